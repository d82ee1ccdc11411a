/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pieces.h - a snap_read_fn over a string, a few bytes at a time: for the
 * unit tests and the fuzz targets, to feed snap_load_stream() text cut at
 * every place.
 */
#ifndef VMAMAP_PIECES_H
#define VMAMAP_PIECES_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pieces {
	const char *p;		/* what is left */
	size_t len;
	size_t size;		/* bytes at a time */
	char *last;		/* the piece handed out last, freed at the
				 * next call: a read past its end or after it
				 * is a memory error (ASan, valgrind) */
};

static inline long pieces_read(const char **out, void *arg)
{
	struct pieces *pc = arg;
	size_t n = pc->len < pc->size ? pc->len : pc->size;

	free(pc->last);
	pc->last = NULL;
	if (!n)
		return 0;
	pc->last = malloc(n);
	if (!pc->last)
		return -ENOMEM;
	memcpy(pc->last, pc->p, n);
	*out = pc->last;
	pc->p += n;
	pc->len -= n;
	return (long)n;
}

/* What pieces_read() still holds (after a load that stopped early). */
static inline void pieces_free(struct pieces *pc)
{
	free(pc->last);
	pc->last = NULL;
}

#endif
