/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pieces.h - a snap_read_fn over a string, a few bytes at a time: for the
 * unit tests and the fuzz targets, to feed snap_load_stream() text cut at
 * every place.
 */
#ifndef VMAMAP_PIECES_H
#define VMAMAP_PIECES_H

#include <string.h>

struct pieces {
	const char *p;		/* what is left */
	size_t len;
	size_t size;		/* bytes at a time */
};

static inline long pieces_read(char *buf, size_t len, void *arg)
{
	struct pieces *pc = arg;
	size_t n = pc->len < pc->size ? pc->len : pc->size;

	n = n < len ? n : len;
	memcpy(buf, pc->p, n);
	pc->p += n;
	pc->len -= n;
	return (long)n;
}

#endif
