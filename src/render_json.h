/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_json.h - the JSON renderer: one document per run (schema in
 * vmamap(1), "vmamap": 1).  Addresses and offsets are "0x..." strings,
 * sizes integer bytes; a name that is not valid UTF-8 also gets its exact
 * bytes as "path_hex" (and so do source strings, "comm_hex", ..., and text
 * smaps values, "KEY_hex"), so that snap_load() reads back the same set.
 */
#ifndef VMAMAP_RENDER_JSON_H
#define VMAMAP_RENDER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obuf.h"
#include "vmaset.h"

/* Version of the document schema, the value of the "vmamap" key. */
enum { JSON_SCHEMA_VERSION = 1 };

/*
 * Write the document for regions @idx[0..n) of @s to @o; with @gaps the
 * holes of the map are rows too (class "gap"; @idx in address order) and
 * a "holes" object gives their count and size.
 */
void json_render(const struct vmaset *s, const uint32_t *idx, size_t n,
		 bool gaps, struct obuf *o);

/*
 * Write the opening of a document: `{`, "vmamap", "source" and "torn",
 * each line ending with a comma: the caller writes the rest and `}`.
 */
void json_put_preamble(const struct vmaset *s, struct obuf *o);

/*
 * Write `, "path": ...` for region @v (null when anonymous), and
 * `, "path_hex": "..."` after it when the name is not valid UTF-8.
 */
void json_put_path(const struct vmaset *s, const struct vma *v,
		   struct obuf *o);

/* Write the "source" object of @s: `{"type": "pid", ...}`. */
void json_put_source(const struct vmaset *s, struct obuf *o);

/* Write region @v as one object `{"start": ..., ...}` (no newline). */
void json_put_vma(const struct vmaset *s, const struct vma *v,
		  struct obuf *o);

/*
 * Write `"KEY": "..."` (null when @p is NULL), and `, "KEY_hex": "..."`
 * with the exact bytes when they are not valid UTF-8.
 */
void json_put_bytes(struct obuf *o, const char *key, const char *p,
		    size_t len);

/* Write `, "KEY": V`. */
void json_put_u64(struct obuf *o, const char *key, uint64_t v);

struct acct_row;

/*
 * Write `{"regions": N, "size": N` and with @smaps rss, pss, dirty and
 * swap, without the closing brace.
 */
void json_put_acct_row(struct obuf *o, const struct acct_row *r, bool smaps);

#endif
