/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_table.h - the table renderer (default output).
 */
#ifndef VMAMAP_RENDER_TABLE_H
#define VMAMAP_RENDER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obuf.h"
#include "vmaset.h"

struct table_opts {
	bool smaps;		/* RSS PSS DIRTY SWAP columns */
	bool bytes;		/* exact byte counts instead of 4.0K */
	bool color;		/* SGR colour by class */
	bool filtered;		/* a class filter is active (footer says so) */
	bool gaps;		/* holes as rows; @idx must be in address order */
};

/*
 * Write the header line, column line, one row per region @idx[0..n) of @s,
 * and the footer to @o.
 */
void table_render(const struct vmaset *s, const uint32_t *idx, size_t n,
		  const struct table_opts *opt, struct obuf *o);

/*
 * Write the line naming the target ("PID: CMDLINE" or "FILE (maps)"), with
 * "  (snapshot FILE, captured TIME)" when it was loaded from a snapshot.
 */
void table_put_header(const struct vmaset *s, struct obuf *o);

/*
 * Format @v bytes in human units ("0", "512B", "4.0K", "12M", "1023K",
 * "1.5G"; binary multiples, at most 5 characters) into @buf (>= 8 bytes);
 * returns the length.
 */
size_t table_human(uint64_t v, char *buf);

/* A size in @width columns: human units, or bytes with @bytes. */
void table_put_size(struct obuf *o, uint64_t v, bool bytes,
		    unsigned int width);

/* "rw-p": the four permission characters, at @p (room reserved). */
static inline char *table_perms_at(char *p, uint8_t perms)
{
	static const char text[16][4] = {
		"---p", "r--p", "-w-p", "rw-p", "--xp", "r-xp", "-wxp", "rwxp",
		"---s", "r--s", "-w-s", "rw-s", "--xs", "r-xs", "-wxs", "rwxs",
	};

	return obuf_put_at(p, text[perms & 15], 4);
}

/* "rw-p": the four permission characters. */
static inline void table_put_perms(struct obuf *o, uint8_t perms)
{
	obuf_commit(o, table_perms_at(obuf_reserve(o, 4), perms));
}

/*
 * The region's name, escaped for the terminal, trailing spaces as \x20,
 * " (deleted)" appended, "[stack:TID]" for a thread stack without a name.
 */
void table_put_path(const struct vmaset *s, const struct vma *v,
		    struct obuf *o);

/*
 * A name (@len raw bytes) escaped for the terminal, trailing spaces as
 * \x20, and " (deleted)" after it with @deleted.
 */
void table_put_name(struct obuf *o, const char *p, size_t len, bool deleted);

#endif
