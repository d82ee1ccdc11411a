/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff.h - analysis: compare two address spaces region by region.
 *
 * Regions are matched by identity: a file-backed one by (dev, inode,
 * path) and where the file sits in memory (start - offset), a named one
 * ([heap], [stack], [anon:x] ...) by its name, an anonymous one by its
 * address.  Matched regions whose ranges overlap form one change
 * (1:1 grown/shrunk/moved/perms, 1:n split, n:1 merged); what is left
 * over on one side only is added or removed, unless a region of the same
 * identity and size left the other side: then it moved (mremap).
 *
 * The diff points into both sets, which must outlive it and stay
 * unchanged; diff_free() releases what the diff owns.  Never prints.
 */
#ifndef VMAMAP_DIFF_H
#define VMAMAP_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "mm.h"
#include "vmaset.h"

/*
 * Kinds of change, as bits: one change may be several (split + perms
 * after an mprotect of part of a region).  The first bit set, in this
 * order, names the change.
 */
enum diff_kind {
	DK_ADDED, DK_REMOVED, DK_MOVED, DK_SPLIT, DK_MERGED, DK_GROWN,
	DK_SHRUNK, DK_PERMS, DK_MEMORY,
	DK_NKINDS
};

/* One change: regions old[old_at .. +old_n) became new[new_at .. +new_n). */
struct diff_change {
	uint32_t kinds;		/* bit (1 << enum diff_kind); 0 = unchanged */
	uint32_t old_at, old_n;	/* slice of diff.oidx (region indexes) */
	uint32_t new_at, new_n;	/* slice of diff.nidx */
};

/* One side of a change, summed. */
struct diff_side {
	uint64_t start, end;	/* lowest start, highest end (0, 0: none) */
	uint64_t size, rss, pss, swap;
	uint32_t regions;
	bool smaps;		/* every region of the side has smaps */
};

/* The mm counters diffed: the ones the kernel keeps in mm_struct. */
enum { DIFF_NCOUNTERS = MM_MAP_COUNT + 1 };

struct diff {
	const struct vmaset *old, *new;
	struct diff_change *ch;	/* in address order */
	size_t n;		/* changes, unchanged ones included */
	size_t changed;		/* changes with kinds != 0 */
	uint32_t *oidx, *nidx;	/* region indexes, grouped by change */
	bool smaps;		/* both sides carry smaps counters */
	struct acct acct[2];	/* per class: old, new (diff_totals()) */
	uint64_t counters[2][DIFF_NCOUNTERS];	/* rebuilt mm counters
						 * (diff_totals()) */
};

/*
 * Compare @old with @new (both indexed: regions in address order).
 * Returns 0 or -ENOMEM; free with diff_free().
 */
int diff_build(const struct vmaset *old, const struct vmaset *new,
	       struct diff *d);
void diff_free(struct diff *d);

/*
 * Fill d->acct and d->counters, the totals of both sides, for the
 * renderers of a whole diff (the live map and --watch need none).
 */
void diff_totals(struct diff *d);

/* Name of a kind ("grown") and its one-character marker ('>'). */
const char *diff_kind_name(unsigned int k);
char diff_kind_mark(unsigned int k);

/* The kind that names a change (the first bit set), DK_NKINDS if none. */
unsigned int diff_primary(uint32_t kinds);

/* The regions of change @c on side @new_side, summed into @out. */
void diff_side_sum(const struct diff *d, const struct diff_change *c,
		   bool new_side, struct diff_side *out);

/* True when a region of change @c, on either side, has a class in @mask. */
bool diff_change_in(const struct diff *d, const struct diff_change *c,
		    uint32_t mask);

/* Number of changes (kinds != 0) that touch a class in @mask. */
size_t diff_count(const struct diff *d, uint32_t mask);

/* The region @i of change @c on a side (i < old_n or new_n). */
const struct vma *diff_region(const struct diff *d,
			      const struct diff_change *c, bool new_side,
			      uint32_t i);

#endif
