/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_om.h - the OpenMetrics renderer (--format=openmetrics): the rows
 * of a system view as Prometheus/OpenMetrics text, gauges labelled pid,
 * comm (and class), ending with "# EOF", for node_exporter's textfile
 * collector.  The families are listed in vmamap(1).
 */
#ifndef VMAMAP_RENDER_OM_H
#define VMAMAP_RENDER_OM_H

#include <stdbool.h>

#include "obuf.h"
#include "sysview.h"

/*
 * Write the families of @v that have samples; with @all (--all) also the
 * number of processes that could not be read.
 */
void om_render(const struct sysv *v, bool all, struct obuf *o);

#endif
