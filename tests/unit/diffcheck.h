/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diffcheck.h - invariants every diff keeps, for the diff unit test and
 * the diff fuzz target: each region of either side is in exactly one
 * change, changes are in address order, and swapping the sides swaps
 * added/removed, grown/shrunk and split/merged.
 */
#ifndef VMAMAP_DIFFCHECK_H
#define VMAMAP_DIFFCHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "diff.h"

/* Each region of each side is in exactly one change. */
static inline bool covers_once(const struct diff *d)
{
	size_t no = 0, nn = 0;
	char *seen_o = calloc(d->old->n + 1, 1);
	char *seen_n = calloc(d->new->n + 1, 1);
	bool good = seen_o && seen_n;

	for (size_t i = 0; good && i < d->n; i++) {
		const struct diff_change *c = &d->ch[i];

		good = c->old_n + c->new_n > 0;
		for (uint32_t j = 0; good && j < c->old_n; j++)
			good = !seen_o[d->oidx[c->old_at + j]]++;
		for (uint32_t j = 0; good && j < c->new_n; j++)
			good = !seen_n[d->nidx[c->new_at + j]]++;
		no += c->old_n;
		nn += c->new_n;
	}
	free(seen_o);
	free(seen_n);
	return good && no == d->old->n && nn == d->new->n;
}

static inline uint64_t first_addr(const struct diff *d,
				  const struct diff_change *c)
{
	return diff_region(d, c, c->new_n > 0, 0)->start;
}

static inline bool in_order(const struct diff *d)
{
	for (size_t i = 1; i < d->n; i++)
		if (first_addr(d, &d->ch[i - 1]) > first_addr(d, &d->ch[i]))
			return false;
	return true;
}

static inline unsigned int count_kind(const struct diff *d, unsigned int k)
{
	unsigned int n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->ch[i].kinds >> k & 1;
	return n;
}

static inline bool mirrored(const struct diff *ab, const struct diff *ba)
{
	static const unsigned int swap[][2] = {
		{ DK_ADDED, DK_REMOVED }, { DK_GROWN, DK_SHRUNK },
		{ DK_SPLIT, DK_MERGED }, { DK_MOVED, DK_MOVED },
		{ DK_PERMS, DK_PERMS },
	};

	for (size_t i = 0; i < sizeof(swap) / sizeof(swap[0]); i++)
		if (count_kind(ab, swap[i][0]) != count_kind(ba, swap[i][1]))
			return false;
	return ab->changed == ba->changed;
}

#endif
