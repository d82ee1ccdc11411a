/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_summary.h - the --summary renderer: mm_struct counters beside the
 * rebuilt ones, layout, classes, images and holes; table or JSON.
 */
#ifndef VMAMAP_RENDER_SUMMARY_H
#define VMAMAP_RENDER_SUMMARY_H

#include <stdbool.h>

#include "obuf.h"
#include "summary.h"
#include "vmaset.h"

/* Write the summary @sum of @s as a table (@bytes: exact byte counts). */
void summary_render_table(const struct vmaset *s, const struct summary *sum,
			  bool bytes, struct obuf *o);

/* Write the summary @sum of @s as one JSON document. */
void summary_render_json(const struct vmaset *s, const struct summary *sum,
			 struct obuf *o);

#endif
