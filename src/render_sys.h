/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_sys.h - renderers of the system-wide views (--all, --who-maps):
 * a table like ps(1) with a footer, or one JSON document ("vmamap_all": 1,
 * "vmamap_who_maps": 1; schemas in vmamap(1)).  Names are escaped for the
 * medium: \xNN on a terminal, \u00XX (and KEY_hex) in JSON.
 */
#ifndef VMAMAP_RENDER_SYS_H
#define VMAMAP_RENDER_SYS_H

#include <stdbool.h>

#include "obuf.h"
#include "sysview.h"

struct sysr_opts {
	bool bytes;		/* exact byte counts instead of 4.0K */
	const char *pattern;	/* --who-maps PATTERN; NULL: --all */
	const char *proc_root;
	bool smaps;		/* --all read smaps (memory per class) */
};

/* The table of @v: column line, one row per row of @v, the footer. */
void sysr_table(const struct sysv *v, const struct sysr_opts *opt,
		struct obuf *o);

/* The JSON document of @v. */
void sysr_json(const struct sysv *v, const struct sysr_opts *opt,
	       struct obuf *o);

#endif
