// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "vtree.h"

/* The three augmented values of a subtree. */
struct aug {
	uint64_t min_start, max_end, gap;
};

static inline uint64_t u64_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t u64_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* @hi - @lo when positive, else 0 (no hole). */
static inline uint64_t hole(uint64_t lo, uint64_t hi)
{
	return hi > lo ? hi - lo : 0;
}

static inline int height(const struct vtree_node *n)
{
	return n ? n->height : 0;
}

static inline int balance(const struct vtree_node *n)
{
	return height(n->left) - height(n->right);
}

/* Strict (start, end) order of two nodes: <0, 0 or >0. */
static inline int key_cmp(const struct vtree_node *a,
			  const struct vtree_node *b)
{
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return 0;
}

/*
 * Combine node @n with the augmented values of its children; a NULL child
 * contributes nothing.
 */
static void aug_combine(struct aug *a, const struct vtree_node *n,
			const struct aug *l, const struct aug *r)
{
	a->min_start = n->start;
	a->max_end = n->end;
	a->gap = 0;
	if (l) {
		a->min_start = u64_min(a->min_start, l->min_start);
		a->max_end = u64_max(a->max_end, l->max_end);
		a->gap = u64_max(l->gap, hole(l->max_end, n->start));
	}
	if (r) {
		a->min_start = u64_min(a->min_start, r->min_start);
		a->max_end = u64_max(a->max_end, r->max_end);
		a->gap = u64_max(a->gap, r->gap);
		a->gap = u64_max(a->gap, hole(n->end, r->min_start));
	}
}

/* The cached augmented values of @n, or NULL for an empty subtree. */
static const struct aug *node_aug(const struct vtree_node *n, struct aug *buf)
{
	if (!n)
		return NULL;
	buf->min_start = n->min_start;
	buf->max_end = n->max_end;
	buf->gap = n->gap;
	return buf;
}

/* Recompute height and augmentation of @n from its children. */
static void update(struct vtree_node *n)
{
	struct aug l, r, a;
	int hl = height(n->left), hr = height(n->right);

	aug_combine(&a, n, node_aug(n->left, &l), node_aug(n->right, &r));
	n->min_start = a.min_start;
	n->max_end = a.max_end;
	n->gap = a.gap;
	n->height = 1 + (hl > hr ? hl : hr);
}

/* Make @new take @old's place under @parent (or as the root). */
static void replace_child(struct vtree *t, struct vtree_node *parent,
			  struct vtree_node *old, struct vtree_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

static struct vtree_node *rotate_left(struct vtree *t, struct vtree_node *x)
{
	struct vtree_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

static struct vtree_node *rotate_right(struct vtree *t, struct vtree_node *x)
{
	struct vtree_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

/* Update @n and restore its AVL balance; returns the subtree's new root. */
static struct vtree_node *rebalance(struct vtree *t, struct vtree_node *n)
{
	int bf;

	update(n);
	bf = balance(n);
	if (bf > 1) {
		if (balance(n->left) < 0)
			rotate_left(t, n->left);
		return rotate_right(t, n);
	}
	if (bf < -1) {
		if (balance(n->right) > 0)
			rotate_right(t, n->right);
		return rotate_left(t, n);
	}
	return n;
}

/* Rebalance and re-augment every node from @n up to the root. */
static void fixup_upward(struct vtree *t, struct vtree_node *n)
{
	while (n)
		n = rebalance(t, n)->parent;
}

static struct vtree_node *leftmost(struct vtree_node *n)
{
	while (n && n->left)
		n = n->left;
	return n;
}

static struct vtree_node *rightmost(struct vtree_node *n)
{
	while (n && n->right)
		n = n->right;
	return n;
}

/* The tree changed shape: its base array and implicit index no longer hold. */
static void drop_index(struct vtree *t)
{
	t->base = NULL;
	t->ix = NULL;
	t->ix_levels = 0;
}

void vtree_init(struct vtree *t)
{
	t->root = NULL;
	t->count = 0;
	drop_index(t);
}

void vtree_insert(struct vtree *t, struct vtree_node *n)
{
	struct vtree_node *parent = NULL, **link = &t->root;

	while (*link) {
		parent = *link;
		if (key_cmp(n, parent) < 0)
			link = &parent->left;
		else
			link = &parent->right;
	}
	n->left = n->right = NULL;
	n->parent = parent;
	*link = n;
	update(n);
	fixup_upward(t, parent);
	t->count++;
	drop_index(t);
}

/*
 * Put @n's in-order successor @s (the leftmost node of its right subtree) in
 * @n's place; returns the lowest node whose subtree changed.
 */
static struct vtree_node *splice_successor(struct vtree *t,
					   struct vtree_node *n,
					   struct vtree_node *s)
{
	struct vtree_node *fix = s;

	if (s->parent != n) {
		fix = s->parent;
		fix->left = s->right;
		if (s->right)
			s->right->parent = fix;
		s->right = n->right;
		n->right->parent = s;
	}
	s->left = n->left;
	n->left->parent = s;
	s->parent = n->parent;
	replace_child(t, n->parent, n, s);
	return fix;
}

void vtree_erase(struct vtree *t, struct vtree_node *n)
{
	struct vtree_node *child, *fix;

	if (n->left && n->right) {
		fix = splice_successor(t, n, leftmost(n->right));
	} else {
		child = n->left ? n->left : n->right;
		replace_child(t, n->parent, n, child);
		if (child)
			child->parent = n->parent;
		fix = n->parent;
	}
	fixup_upward(t, fix);
	t->count--;
	drop_index(t);
}

static struct vtree_node *build(struct vtree_node *nodes, size_t lo, size_t hi,
				struct vtree_node *parent)
{
	size_t mid;
	struct vtree_node *n;

	if (lo >= hi)
		return NULL;
	mid = lo + (hi - lo) / 2;
	n = &nodes[mid];
	n->parent = parent;
	n->left = build(nodes, lo, mid, n);
	n->right = build(nodes, mid + 1, hi, n);
	update(n);
	return n;
}

void vtree_build_sorted(struct vtree *t, struct vtree_node *nodes, size_t count)
{
	t->root = build(nodes, 0, count, NULL);
	t->count = count;
	drop_index(t);
	t->base = nodes;
}

/*
 * Levels of the smallest perfect tree (2^levels - 1 keys) holding @count,
 * and at least three, which the walk of the index takes as given.
 */
static unsigned int ix_levels_for(size_t count)
{
	unsigned int levels = 3;

	while (levels < 63 && ((size_t)1 << levels) - 1 < count)
		levels++;
	return levels;
}

size_t vtree_index_slots(size_t count)
{
	return (size_t)1 << ix_levels_for(count);
}

/*
 * Breadth-first position (1-based) of in-order @rank in a perfect tree of
 * @levels levels: rank + 1 = odd << height above the leaves.
 */
static inline size_t ix_pos(size_t rank, unsigned int levels)
{
	size_t r1 = rank + 1;
	unsigned int up = (unsigned int)__builtin_ctzll(r1);

	return ((size_t)1 << (levels - 1 - up)) + (r1 >> (up + 1));
}

int vtree_index(struct vtree *t, uint64_t *keys)
{
	unsigned int levels = ix_levels_for(t->count);
	size_t last = ((size_t)1 << levels) - 1;
	uint64_t run = 0;

	if (t->count && !t->base)
		return -EINVAL;
	keys[0] = 0;		/* unused: the root is at 1 */
	for (size_t r = 0; r < last; r++) {
		if (r < t->count)
			run = u64_max(run, t->base[r].end);
		keys[ix_pos(r, levels)] = r < t->count ? run : UINT64_MAX;
	}
	t->ix = keys;
	t->ix_levels = levels;
	return 0;
}

/*
 * Levels at the top of the index walked without prefetching: their 2^9 - 1
 * keys (4 KiB) stay in the L1 cache from one lookup to the next, and the
 * next three levels (60 KiB) mostly do.
 */
enum { IX_HOT_LEVELS = 9 };

/* One step down: right past a key <= @addr, left otherwise. */
static inline size_t ix_step(const uint64_t *key, size_t k, uint64_t addr)
{
	return 2 * k + 1 - (addr < key[k]);
}

/*
 * The implicit index's find: each step goes right past the keys <= @addr,
 * so the path spells the number of running maxima <= @addr, which is the
 * in-order rank of the first node with end > @addr.  Below the hot levels
 * the line of keys three levels down (the eight descendants of a node are
 * one line) is fetched while this one is compared, until the last three
 * levels (an index has at least three).
 */
size_t vtree_index_find(const struct vtree *t, uint64_t addr)
{
	const uint64_t *key = t->ix;
	unsigned int levels = t->ix_levels, n;
	unsigned int far = levels > IX_HOT_LEVELS + 3 ?
			   levels - IX_HOT_LEVELS - 3 : 0;
	size_t k = 1;

	n = levels - far - 3;
	if (n & 1)
		k = ix_step(key, k, addr);
	for (n /= 2; n; n--)		/* two at a time: half the loop tests */
		k = ix_step(key, ix_step(key, k, addr), addr);
	for (n = far; n; n--) {
		__builtin_prefetch(key + 8 * k);
		k = ix_step(key, k, addr);
	}
	k = ix_step(key, k, addr);
	k = ix_step(key, k, addr);
	k = ix_step(key, k, addr);
	k -= (size_t)1 << levels;
	return k < t->count ? k : t->count;
}

struct vtree_node *vtree_first(const struct vtree *t)
{
	return leftmost(t->root);
}

struct vtree_node *vtree_last(const struct vtree *t)
{
	return rightmost(t->root);
}

struct vtree_node *vtree_next(const struct vtree_node *n)
{
	const struct vtree_node *p;

	if (n->right)
		return leftmost(n->right);
	for (p = n->parent; p && p->right == n; p = p->parent)
		n = p;
	return n->parent;
}

struct vtree_node *vtree_prev(const struct vtree_node *n)
{
	const struct vtree_node *p;

	if (n->left)
		return rightmost(n->left);
	for (p = n->parent; p && p->left == n; p = p->parent)
		n = p;
	return n->parent;
}

/*
 * First node in order of the subtree @n with end > @addr, or NULL.  The left
 * subtree is taken whenever its max_end says it holds such a node, so this
 * is one root-to-node path even when ranges overlap.
 */
static struct vtree_node *first_end_above(struct vtree_node *n, uint64_t addr)
{
	while (n && n->max_end > addr) {
		if (n->left && n->left->max_end > addr)
			n = n->left;
		else if (n->end > addr)
			return n;
		else
			n = n->right;
	}
	return NULL;
}

struct vtree_node *vtree_find(const struct vtree *t, uint64_t addr)
{
	size_t i;

	if (!t->ix)
		return first_end_above(t->root, addr);
	i = vtree_index_find(t, addr);
	return i < t->count ? t->base + i : NULL;
}

/*
 * The first node with end > @start is the only overlap candidate: every
 * earlier node ends at or below @start, and if it starts at or above @end so
 * does every later one.  Hence "overlaps" reduces to one path walk.
 */
static struct vtree_node *overlap_or_null(struct vtree_node *n, uint64_t end)
{
	return n && n->start < end ? n : NULL;
}

struct vtree_node *vtree_first_overlap(const struct vtree *t,
				       uint64_t start, uint64_t end)
{
	return overlap_or_null(vtree_find(t, start), end);
}

struct vtree_node *vtree_next_overlap(const struct vtree_node *n,
				      uint64_t start, uint64_t end)
{
	struct vtree_node *p, *hit = first_end_above(n->right, start);

	for (p = n->parent; !hit && p; n = p, p = p->parent) {
		if (p->right == n)
			continue;
		if (p->start >= end)
			return NULL;
		hit = p->end > start ? p : first_end_above(p->right, start);
	}
	return overlap_or_null(hit, end);
}

uint64_t vtree_largest_gap(const struct vtree *t)
{
	return t->root ? t->root->gap : 0;
}

/* The hole between @n's left subtree and @n. */
static inline uint64_t hole_before(const struct vtree_node *n)
{
	return n->left ? hole(n->left->max_end, n->start) : 0;
}

/* The hole between @n and its right subtree. */
static inline uint64_t hole_after(const struct vtree_node *n)
{
	return n->right ? hole(n->end, n->right->min_start) : 0;
}

int vtree_find_gap(const struct vtree *t, uint64_t size, uint64_t *hole_start)
{
	const struct vtree_node *n = t->root;

	if (!size)
		size = 1;	/* a hole is never empty */
	if (!n || n->gap < size)
		return -ENOENT;
	while (n) {
		if (n->left && n->left->gap >= size) {
			n = n->left;
		} else if (hole_before(n) >= size) {
			*hole_start = n->left->max_end;
			return 0;
		} else if (hole_after(n) >= size) {
			*hole_start = n->end;
			return 0;
		} else {
			n = n->right;
		}
	}
	return -ENOENT;
}

/* State of one vtree_check() walk. */
struct check {
	const struct vtree *t;
	const struct vtree_node *prev;	/* previous node in order */
	size_t seen, limit;
	size_t rank;			/* in-order position of the next node */
	uint64_t run;			/* running maximum of the ends so far */
	char *why;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static int check_fail(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->why && c->len) {
		va_start(ap, fmt);
		vsnprintf(c->why, c->len, fmt, ap);
		va_end(ap);
	}
	return -EUCLEAN;
}

#define RANGE_FMT "node [%#" PRIx64 ", %#" PRIx64 ")"

/* Compare one cached value of @n with its recomputed value. */
static int check_value(struct check *c, const struct vtree_node *n,
		       const char *what, uint64_t have, uint64_t want)
{
	if (have == want)
		return 0;
	return check_fail(c, RANGE_FMT ": %s is %#" PRIx64
			  ", expected %#" PRIx64, n->start, n->end, what, have,
			  want);
}

/* Parent link, node budget and in-order position of @n. */
static int check_links(struct check *c, const struct vtree_node *n,
		       const struct vtree_node *parent)
{
	if (n->parent != parent)
		return check_fail(c, RANGE_FMT ": parent link is wrong",
				  n->start, n->end);
	if (++c->seen > c->limit)
		return check_fail(c, "more nodes reachable than count %zu",
				  c->limit);
	return 0;
}

/* The index key of in-order @rank; @want its value. */
static int check_key(struct check *c, size_t rank, uint64_t want)
{
	uint64_t have = c->t->ix[ix_pos(rank, c->t->ix_levels)];

	if (have == want)
		return 0;
	return check_fail(c, "index key of rank %zu is %#" PRIx64
			  ", expected %#" PRIx64, rank, have, want);
}

/* @n, next in order, is the next node of the base array and of the index. */
static int check_rank(struct check *c, const struct vtree_node *n)
{
	size_t rank = c->rank++;

	if (!c->t->base)
		return 0;
	if (n != c->t->base + rank)
		return check_fail(c, RANGE_FMT ": in-order position %zu is not "
				  "that of the base array", n->start, n->end,
				  rank);
	c->run = u64_max(c->run, n->end);
	return c->t->ix ? check_key(c, rank, c->run) : 0;
}

static int check_order(struct check *c, const struct vtree_node *n)
{
	const struct vtree_node *p = c->prev;

	c->prev = n;
	if (check_rank(c, n))
		return -EUCLEAN;
	if (!p || key_cmp(p, n) <= 0)
		return 0;
	return check_fail(c, RANGE_FMT " out of order after [%#" PRIx64
			  ", %#" PRIx64 ")", n->start, n->end, p->start,
			  p->end);
}

static int check_shape(struct check *c, const struct vtree_node *n,
		       int hl, int hr, const struct aug *a)
{
	int h = 1 + (hl > hr ? hl : hr);

	if (hl - hr > 1 || hr - hl > 1)
		return check_fail(c, RANGE_FMT ": balance %d out of range",
				  n->start, n->end, hl - hr);
	if (n->height != h)
		return check_fail(c, RANGE_FMT ": height is %d, expected %d",
				  n->start, n->end, n->height, h);
	return check_value(c, n, "min_start", n->min_start, a->min_start) ?:
	       check_value(c, n, "max_end", n->max_end, a->max_end) ?:
	       check_value(c, n, "gap", n->gap, a->gap);
}

/*
 * The header's definition of the augmented values, written apart from
 * aug_combine() on purpose so that a slip in one is caught by the other.
 */
static void expect_aug(struct aug *a, const struct vtree_node *n,
		       const struct aug *l, const struct aug *r)
{
	uint64_t terms[4] = { 0, 0, 0, 0 };
	size_t i;

	*a = (struct aug){ .min_start = n->start, .max_end = n->end };
	if (l) {
		terms[0] = l->gap;
		terms[1] = n->start > l->max_end ? n->start - l->max_end : 0;
		a->min_start = u64_min(l->min_start, n->start);
		a->max_end = u64_max(l->max_end, n->end);
	}
	if (r) {
		terms[2] = r->gap;
		terms[3] = r->min_start > n->end ? r->min_start - n->end : 0;
		a->min_start = u64_min(a->min_start, r->min_start);
		a->max_end = u64_max(a->max_end, r->max_end);
	}
	for (i = 0; i < 4; i++)
		a->gap = u64_max(a->gap, terms[i]);
}

static int check_node(struct check *c, const struct vtree_node *n,
		      const struct vtree_node *parent, int *h, struct aug *a);

/* check_node() for a possibly empty subtree (height 0). */
static inline int check_child(struct check *c, const struct vtree_node *n,
			      const struct vtree_node *parent, int *h,
			      struct aug *a)
{
	*h = 0;
	return n ? check_node(c, n, parent, h, a) : 0;
}

/*
 * Verify the subtree @n whose parent must be @parent; its height and
 * augmentation, recomputed from scratch, go to *@h and *@a.
 */
static int check_node(struct check *c, const struct vtree_node *n,
		      const struct vtree_node *parent, int *h, struct aug *a)
{
	struct aug la = { 0 }, ra = { 0 };
	int hl, hr, err;

	err = check_links(c, n, parent) ?:
	      check_child(c, n->left, n, &hl, &la) ?:
	      check_order(c, n) ?:
	      check_child(c, n->right, n, &hr, &ra);
	if (err)
		return err;
	expect_aug(a, n, n->left ? &la : NULL, n->right ? &ra : NULL);
	*h = 1 + (hl > hr ? hl : hr);
	return check_shape(c, n, hl, hr, a);
}

/* The index has the right depth and no base array missing under it. */
static int check_ix_shape(struct check *c)
{
	const struct vtree *t = c->t;

	if (!t->ix)
		return 0;
	if (t->count && !t->base)
		return check_fail(c, "index without a base array");
	if (t->ix_levels != ix_levels_for(t->count))
		return check_fail(c, "index of %u levels for %zu nodes, "
				  "expected %u", t->ix_levels, t->count,
				  ix_levels_for(t->count));
	return 0;
}

/* The keys past the last node sort after every address: UINT64_MAX. */
static int check_ix_padding(struct check *c)
{
	size_t last = ((size_t)1 << c->t->ix_levels) - 1;
	int err = 0;

	for (size_t r = c->t->count; c->t->ix && r < last && !err; r++)
		err = check_key(c, r, UINT64_MAX);
	return err;
}

int vtree_check(const struct vtree *t, char *why, size_t len)
{
	struct check c = { .t = t, .limit = t->count, .why = why, .len = len };
	struct aug a;
	int h, err;

	if (why && len)
		why[0] = '\0';
	err = check_ix_shape(&c) ?: check_child(&c, t->root, NULL, &h, &a);
	if (err)
		return err;
	if (c.seen != t->count)
		return check_fail(&c, "count is %zu, but %zu nodes reachable",
				  t->count, c.seen);
	return check_ix_padding(&c);
}
