/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * maps_parse.h - the parser: text of /proc/PID/maps or /proc/PID/smaps
 * into a vmaset, in one pass, with no fixed-size line buffer.
 */
#ifndef VMAMAP_MAPS_PARSE_H
#define VMAMAP_MAPS_PARSE_H

#include <stddef.h>

#include "err.h"
#include "vmaset.h"

enum maps_format {
	MF_EMPTY,	/* no bytes at all */
	MF_MAPS,
	MF_SMAPS,
	MF_JSON,	/* starts with '{': a vmamap snapshot */
	MF_UNKNOWN,
};

/* Guess the format of @len bytes at @buf from their first lines. */
enum maps_format maps_parse_detect(const char *buf, size_t len);

/* "maps", "smaps", ... for messages. */
const char *maps_format_name(enum maps_format f);

/*
 * Parse @len bytes of maps or smaps text and append the regions to @s,
 * which keeps copies of everything it needs (@buf may be freed after).
 * @name labels error messages ("FILE:LINE: what is wrong").  Returns the
 * number of regions added, or -EBADMSG (malformed: nothing is skipped
 * silently) or -ENOMEM, with @e filled in.  Sets s->src.smaps when the
 * text carried smaps fields.
 */
int maps_parse(struct vmaset *s, const char *buf, size_t len,
	       const char *name, struct err *e);

/*
 * Parse one maps header line (no newline) into @v, without the name
 * processing; exposed for unit tests and for address parsing.  Returns 0
 * or -EBADMSG with a short reason in *@why.
 */
int maps_parse_header(const char *p, size_t len, struct vma *v,
		      const char **name, size_t *namelen, const char **why);

#endif
