/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * account.h - analysis: choose and order the regions to show, and add up
 * totals per class.
 */
#ifndef VMAMAP_ACCOUNT_H
#define VMAMAP_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "vmaset.h"

enum acct_sort { AS_START, AS_SIZE, AS_RSS };

struct acct_row {
	uint64_t count, size, rss, pss, dirty, swap;
};

struct acct {
	struct acct_row cls[VC_NCLASS];
	struct acct_row total;
	bool smaps;		/* rss/pss/dirty/swap are meaningful */
};

/* Every class set. */
#define ACCT_ALL_CLASSES ((1u << VC_NCLASS) - 1)

/*
 * Parse a comma-separated class list ("heap,stack") into a bit mask.
 * Returns 0 or -EINVAL with @e naming the unknown class.
 */
int acct_parse_classes(const char *list, uint32_t *mask, struct err *e);

/* Parse "start", "size" or "rss".  Returns 0 or -EINVAL. */
int acct_parse_sort(const char *key, enum acct_sort *out, struct err *e);

/*
 * Indexes of the regions of @s whose class is in @mask, ordered by @key
 * (start ascending; size and rss descending, ties by start).  *@idx is
 * allocated (caller frees).  Returns the count or -ENOMEM.
 */
long acct_select(const struct vmaset *s, uint32_t mask, enum acct_sort key,
		 uint32_t **idx);

/* Count region @v (its smaps counters @sm, or NULL) into @r. */
void acct_add_row(struct acct_row *r, const struct vma *v,
		  const struct vma_smaps *sm);

/* Sum the @n regions @idx of @s into @a. */
void acct_sum(const struct vmaset *s, const uint32_t *idx, size_t n,
	      struct acct *a);

/* Sum every region of @s into @a. */
void acct_sum_all(const struct vmaset *s, struct acct *a);

/* An unmapped hole between two consecutive regions of the mm. */
struct acct_hole {
	uint64_t start, end;
};

/*
 * The holes between consecutive regions of @s (sorted; [vsyscall], which
 * is not part of the mm, is left out; each from the highest end before
 * it, so that in a torn set a region inside another leaves none), in
 * address order, in *@out
 * (allocated; caller frees).  Returns the count or -ENOMEM.
 */
long acct_holes(const struct vmaset *s, struct acct_hole **out);

/* Dirty bytes of a region (shared + private), 0 without smaps. */
uint64_t acct_dirty(const struct vma_smaps *sm);

#endif
