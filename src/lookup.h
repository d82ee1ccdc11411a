/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lookup.h - analysis for --addr: which region holds an address (the
 * kernel's find_vma), which regions a range intersects (like
 * find_vma_intersection), and for an address in a hole the nearest regions
 * on either side.  Every answer walks the interval tree, or its implicit
 * index when the set has one (vset_index_fast): O(log n) per address,
 * O(log n + k) per range of k regions.  Nothing here prints.
 */
#ifndef VMAMAP_LOOKUP_H
#define VMAMAP_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "vmaset.h"

/*
 * One parsed query, owned by the caller.  A single address has end =
 * start + 1 (0 when start is UINT64_MAX: only start counts then); a range
 * (range = true) is [start, end) with end > start.
 */
struct addr_query {
	uint64_t start, end;
	bool range;
};

/*
 * Parse the @len bytes at @text (need not be NUL-terminated; blanks around
 * the text and around a range's '-' are ignored): "0x7f00", "7F00" (hex,
 * either case, at most 16 digits) or "START-END" with each side in either
 * form.  Returns 0, or -EBADMSG with @e saying "bad address 'TEXT': why"
 * (TEXT raw, cut at 64 bytes, a NUL byte as the 4 characters \x00: the
 * caller escapes the message) for an empty text, a missing side, no hex
 * digits, more than 16 digits, junk after the number, or END <= START.
 */
int lookup_parse(const char *text, size_t len, struct addr_query *q,
		 struct err *e);

/*
 * The usual line of --addr -, read without looking for its end first: a
 * bare address ("0x" or not, then 1 to 16 lower-case hex digits) and '\n',
 * at @p with @avail bytes readable.  Returns the length of the line with
 * its newline and fills @q, or returns 0 for any other line, or when fewer
 * than 19 bytes are readable, or on a machine without the vector path: the
 * caller then finds the line's end and calls lookup_parse(), which gives
 * the same answer for every line this one reads.
 */
size_t lookup_parse_line(const char *p, size_t avail, struct addr_query *q);

/*
 * A region a query hit and the address its offsets refer to: the queried
 * address, or for a range max(range start, region start).  @v points into
 * the set, which owns it.
 */
struct lookup_hit {
	const struct vma *v;
	uint64_t addr;
};

/* The hit of @q in region @v, which must intersect it. */
static inline struct lookup_hit lookup_hit_of(const struct addr_query *q,
					      const struct vma *v)
{
	struct lookup_hit h = { v, q->start > v->start ? q->start : v->start };

	return h;
}

/*
 * The offset in the file of @h->addr: v->offset + (addr - v->start) (the
 * kernel's pgoff arithmetic, wrapping like it).  Meaningful only when the
 * region maps a file (v->name == VN_FILE).
 */
static inline uint64_t lookup_file_offset(const struct lookup_hit *h)
{
	return h->v->offset + (h->addr - h->v->start);
}

/*
 * The region of @s (indexed with vset_index) holding @addr, or NULL:
 * find_vma, then the check find_vma's callers make (start <= addr).
 */
static inline const struct vma *lookup_addr(const struct vmaset *s,
					    uint64_t addr)
{
	const struct vma *v = vset_find(s, addr);

	return v && v->start <= addr ? v : NULL;
}

/*
 * Regions of @s (indexed with vset_index) that a query hits: for a single
 * address the region containing it (0 or 1: the first in address order
 * when a torn read overlaps regions), for a range every intersecting
 * region in address order.  Uses the tree (vtree_find,
 * vtree_first_overlap/next_overlap), never a linear scan.  Calls @fn (may
 * be NULL: just count) for each, with @ctx; returns the count.
 */
size_t lookup_each(const struct vmaset *s, const struct addr_query *q,
		   void (*fn)(const struct vma *v, void *ctx), void *ctx);

/*
 * For an address in no region: the nearest region below (largest end with
 * end <= @addr) into *@below and the nearest above (smallest start with
 * start > @addr) into *@above, or NULL when there is none.  O(log n);
 * excludes nothing ([vsyscall] counts).  *@above is exact for any @addr,
 * and so is *@below when regions do not overlap; in a torn set a region
 * holding @addr can hide a nearer one below it.
 */
void lookup_neighbours(const struct vmaset *s, uint64_t addr,
		       const struct vma **below, const struct vma **above);

#endif
