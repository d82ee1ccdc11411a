/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtree.h - augmented balanced (AVL) interval tree over half-open ranges
 * [start, end), the index of the model.
 *
 * The tree is intrusive: callers embed or allocate struct vtree_node and
 * own its memory; the tree never allocates or frees.  Nodes are ordered by
 * (start, end); equal keys are allowed and kept in insertion order.
 *
 * Each node caches, for its subtree:
 *   min_start  smallest start
 *   max_end    largest end          (interval-tree augmentation)
 *   gap        largest free gap     (like the kernel's rb_subtree_gap)
 * where gap(n) = max(gap(left), gap(right),
 *                    n.start - max_end(left)      if positive,
 *                    min_start(right) - n.end     if positive).
 * For a set of non-overlapping ranges this is the largest hole between two
 * consecutive ranges of the subtree.  vtree_check() verifies all of it.
 *
 * A tree made by vtree_build_sorted() can also carry an implicit index
 * (vtree_index()) that answers vtree_find() without touching the nodes:
 * for the nodes in order, the running maximum of their ends, stored as a
 * perfect binary search tree in breadth-first (Eytzinger) order.  The first
 * node with end > addr is the first whose running maximum is > addr (the
 * maximum first exceeds addr at that node), so one descent of 64-byte
 * cache lines of keys, without a branch on the data, gives find_vma's
 * answer for any set, overlapping or not.  At 60,000 regions it is 512 KiB
 * (it fits the L2 cache) against 4.3 MB of nodes.
 */
#ifndef VMAMAP_VTREE_H
#define VMAMAP_VTREE_H

#include <stddef.h>
#include <stdint.h>

struct vtree_node {
	struct vtree_node *left, *right, *parent;
	uint64_t start, end;		/* set by the caller before insert */
	uint64_t min_start, max_end, gap;	/* maintained by the tree */
	int height;			/* maintained by the tree; leaf = 1 */
};

struct vtree {
	struct vtree_node *root;
	size_t count;
	/*
	 * Set by vtree_build_sorted() and dropped (NULL) by any insert or
	 * erase: the array whose order is the in-order walk of the tree.
	 */
	struct vtree_node *base;
	/* The implicit index (vtree_index()), or NULL: ix[1 .. 2^ix_levels). */
	const uint64_t *ix;
	unsigned int ix_levels;
};

/* Empty tree. */
void vtree_init(struct vtree *t);

/* Insert @n (start/end filled in by the caller). O(log n). */
void vtree_insert(struct vtree *t, struct vtree_node *n);

/* Remove @n, which must be in @t. O(log n). The node's memory is untouched. */
void vtree_erase(struct vtree *t, struct vtree_node *n);

/*
 * Replace the contents of @t by the @count nodes of @nodes, which must be
 * sorted by start; builds a perfectly balanced tree in O(n).
 */
void vtree_build_sorted(struct vtree *t, struct vtree_node *nodes, size_t count);

/* Number of uint64_t slots the implicit index of @count nodes takes. */
size_t vtree_index_slots(size_t count);

/*
 * Give @t, built by vtree_build_sorted() and not changed since, the
 * implicit index described above, written into @keys: vtree_index_slots()
 * slots owned by the caller, who keeps them until the tree is rebuilt or
 * dropped (64-byte alignment makes each step of the descent one cache
 * line).  vtree_find() and vtree_first_overlap() then use it; an insert,
 * erase or rebuild drops it.  Returns 0, or -EINVAL when @t was changed
 * after its build (the index is then not attached).
 */
int vtree_index(struct vtree *t, uint64_t *keys);

/*
 * vtree_find() through the implicit index, which @t must have: the node's
 * position in the base array (in order), or t->count for NULL.
 */
size_t vtree_index_find(const struct vtree *t, uint64_t addr);

/* In-order first / last / successor / predecessor; NULL at the ends. */
struct vtree_node *vtree_first(const struct vtree *t);
struct vtree_node *vtree_last(const struct vtree *t);
struct vtree_node *vtree_next(const struct vtree_node *n);
struct vtree_node *vtree_prev(const struct vtree_node *n);

/*
 * find_vma semantics: the first node (in order) with end > @addr, or NULL.
 * The result may start above @addr (then @addr is in a hole).  O(log n):
 * a walk of the implicit index when the tree has one, else of the nodes.
 */
struct vtree_node *vtree_find(const struct vtree *t, uint64_t addr);

/*
 * First node, in order, that overlaps [@start, @end), and the next one after
 * @n that overlaps the same range; NULL when there is none.  O(log n + k).
 */
struct vtree_node *vtree_first_overlap(const struct vtree *t,
				       uint64_t start, uint64_t end);
struct vtree_node *vtree_next_overlap(const struct vtree_node *n,
				      uint64_t start, uint64_t end);

/* Largest free gap between consecutive ranges of the whole tree (0 if none). */
uint64_t vtree_largest_gap(const struct vtree *t);

/*
 * Find the lowest hole of at least @size bytes between two consecutive ranges
 * of the tree (the kernel's unmapped_area walk, using the gap augmentation to
 * skip subtrees): returns 0 and sets *@hole_start to the end of the range
 * before the hole, or -ENOENT when no hole is big enough.  Ranges must not
 * overlap for the answer to be exact.
 */
int vtree_find_gap(const struct vtree *t, uint64_t size, uint64_t *hole_start);

/*
 * Verify every invariant: parent links, in-order sort, AVL balance, heights,
 * min_start/max_end/gap of every node, and count; with an implicit index,
 * its depth, that the in-order walk is the base array, and every key (the
 * running maximum of ends, UINT64_MAX past the last node).  Returns 0 when
 * all hold, otherwise -EUCLEAN and writes the first violation found into
 * @why (which may be NULL) of @len bytes.
 */
int vtree_check(const struct vtree *t, char *why, size_t len);

#endif
