/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_diff.h - the diff renderers: a table of changes in address order
 * with per-class and mm-counter deltas, the JSON diff document
 * ("vmamap_diff": 1), and the one-line events of --watch.
 */
#ifndef VMAMAP_RENDER_DIFF_H
#define VMAMAP_RENDER_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "diff.h"
#include "obuf.h"
#include "watch.h"

/* Version of the diff document schema, the value of "vmamap_diff". */
enum { DIFF_SCHEMA_VERSION = 1 };

struct diff_opts {
	bool all;		/* --all-regions: unchanged regions too */
	bool bytes;		/* sizes in bytes */
	bool color;		/* SGR by kind of change */
	uint32_t classes;	/* show changes touching these classes */
};

/*
 * The table: headers, one block per change, class and counter deltas.
 * This and diff_render_json() need diff_totals() done on @d.
 */
void diff_render_table(const struct diff *d, const struct diff_opts *opt,
		       struct obuf *o);

/* The JSON diff document. */
void diff_render_json(const struct diff *d, const struct diff_opts *opt,
		      struct obuf *o);

/*
 * One line for change @c of @d at time @ns (unix nanoseconds): text
 * ("HH:MM:SS.mmm MARK KIND RANGE ...", local time) or, with @json, one
 * JSON object with "time" (UTC) and "event": "change".
 */
void diff_render_event(const struct diff *d, const struct diff_change *c,
		       int64_t ns, bool json, bool bytes, struct obuf *o);

/*
 * The other lines of --watch: the start ("watching pid N [comm]: M
 * regions"), the process exiting, its PID being reused.  WE_DONE and
 * WE_CHANGES write nothing.
 */
void diff_render_watch(const struct watch_report *r, bool json,
		       struct obuf *o);

#endif
