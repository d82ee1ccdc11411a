// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vtree.c - unit test of the augmented AVL interval tree.
 *
 * Long seeded random insert/erase runs with vtree_check() after every
 * operation, every query cross-checked against a brute-force sorted array,
 * plus balanced builds, edge cases near UINT64_MAX, duplicates, and proof
 * that the checker itself notices corruption.  The implicit index of a
 * built tree answers like the tree and a linear scan, for disjoint and
 * overlapping sets of every size around its level boundaries; changes drop
 * it, and the checker catches damage to it.
 *
 * Usage: test_vtree [OPS [SEED]]   (defaults: 100000 ops, fixed seed)
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vtree.h"

#define PAGE		UINT64_C(0x1000)
#define TOP_PAGE	UINT64_C(0xfffffffffffff000)
#define VSYSCALL	UINT64_C(0xffffffffff600000)
#define DEFAULT_SEED	UINT64_C(0x766d616d61702121)
#define DEFAULT_OPS	100000L
#define MAX_LIVE	1200
#define SCRATCH		65537

/* ------------------------------------------------------------------ rng */

static uint64_t seed, rng_state;

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* @start + @len, clipped to the top of the address space. */
static uint64_t clip_add(uint64_t start, uint64_t len)
{
	return len > UINT64_MAX - start ? UINT64_MAX : start + len;
}

/* ------------------------------------------------------ brute force */

/* The reference: node pointers in the order the tree must hold them. */
struct ref {
	struct vtree_node **v;
	size_t n;
};

static int key_cmp(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	if (s1 != s2)
		return s1 < s2 ? -1 : 1;
	if (e1 != e2)
		return e1 < e2 ? -1 : 1;
	return 0;
}

/* Index of the first node whose key is greater than (@start, @end). */
static size_t ref_upper_bound(const struct ref *r, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = r->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (key_cmp(r->v[mid]->start, r->v[mid]->end, start, end) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct vtree_node *ref_find(const struct ref *r, uint64_t addr)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i]->end > addr)
			return r->v[i];
	return NULL;
}

static size_t ref_overlaps(const struct ref *r, uint64_t start, uint64_t end,
			   struct vtree_node **out)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i]->start < end && r->v[i]->end > start)
			out[k++] = r->v[i];
	return k;
}

static uint64_t ref_hole(const struct ref *r, size_t i)
{
	uint64_t lo = r->v[i]->end, hi = r->v[i + 1]->start;

	return hi > lo ? hi - lo : 0;
}

static uint64_t ref_largest_gap(const struct ref *r)
{
	uint64_t best = 0;
	size_t i;

	for (i = 0; i + 1 < r->n; i++)
		if (ref_hole(r, i) > best)
			best = ref_hole(r, i);
	return best;
}

static int ref_find_gap(const struct ref *r, uint64_t size, uint64_t *hole)
{
	size_t i;

	for (i = 0; i + 1 < r->n; i++) {
		if (ref_hole(r, i) >= size && ref_hole(r, i) > 0) {
			*hole = r->v[i]->end;
			return 0;
		}
	}
	return -ENOENT;
}

/* ---------------------------------------------------- accumulators */

/* Many checks folded into one TAP line; remembers the first failure. */
struct acc {
	const char *what;
	long checks, fails, first_op;
	char first_why[320];
};

__attribute__((format(printf, 4, 5)))
static bool acc_record(struct acc *a, long op, bool good, const char *fmt, ...)
{
	va_list ap;

	a->checks++;
	if (good)
		return true;
	if (!a->fails++) {
		a->first_op = op;
		va_start(ap, fmt);
		vsnprintf(a->first_why, sizeof(a->first_why), fmt, ap);
		va_end(ap);
	}
	return false;
}

static void acc_report(const struct acc *a, const char *phase)
{
	if (!a->fails)
		ok(1, "%s: %s (%ld checks)", phase, a->what, a->checks);
	else
		ok(0, "%s: %s: %ld of %ld checks failed, first at op %ld: %s",
		   phase, a->what, a->fails, a->checks, a->first_op,
		   a->first_why);
}

static const char *desc(const struct vtree_node *n, char *buf, size_t len)
{
	if (!n)
		return "NULL";
	snprintf(buf, len, "[%#" PRIx64 ", %#" PRIx64 ")", n->start, n->end);
	return buf;
}

/* ------------------------------------------------ tree vs reference */

static struct vtree_node *scratch_a[SCRATCH], *scratch_b[SCRATCH];

static bool cmp_check(struct acc *a, long op, const struct vtree *t)
{
	char why[256];
	int rc = vtree_check(t, why, sizeof(why));

	return acc_record(a, op, rc == 0, "rc %d: %s", rc, why);
}

static void cmp_find(struct acc *a, long op, const struct vtree *t,
		     const struct ref *r, uint64_t addr)
{
	struct vtree_node *got = vtree_find(t, addr), *want = ref_find(r, addr);
	char b1[64], b2[64];

	if (got != want)
		acc_record(a, op, false, "find(%#" PRIx64 ") = %s, want %s",
			   addr, desc(got, b1, sizeof(b1)),
			   desc(want, b2, sizeof(b2)));
	else
		a->checks++;
}

/* Enumerate [@start, @end) with first/next_overlap, at most @cap nodes. */
static size_t tree_overlaps(const struct vtree *t, uint64_t start, uint64_t end,
			    struct vtree_node **out, size_t cap)
{
	struct vtree_node *n;
	size_t k = 0;

	for (n = vtree_first_overlap(t, start, end); n && k < cap;
	     n = vtree_next_overlap(n, start, end))
		out[k++] = n;
	return k;
}

static void cmp_overlap(struct acc *a, long op, const struct vtree *t,
			const struct ref *r, uint64_t start, uint64_t end)
{
	size_t want = ref_overlaps(r, start, end, scratch_a);
	size_t got = tree_overlaps(t, start, end, scratch_b, r->n + 1);
	size_t i = 0;

	while (i < want && i < got && scratch_a[i] == scratch_b[i])
		i++;
	acc_record(a, op, got == want && i == want,
		   "overlap [%#" PRIx64 ", %#" PRIx64
		   "): %zu nodes, want %zu, first difference at %zu",
		   start, end, got, want, i);
}

static void cmp_largest_gap(struct acc *a, long op, const struct vtree *t,
			    const struct ref *r)
{
	uint64_t got = vtree_largest_gap(t), want = ref_largest_gap(r);

	acc_record(a, op, got == want,
		   "largest_gap %#" PRIx64 ", want %#" PRIx64, got, want);
}

static void cmp_find_gap(struct acc *a, long op, const struct vtree *t,
			 const struct ref *r, uint64_t size)
{
	uint64_t got = 0xdead, want = 0xbeef;
	int rg = vtree_find_gap(t, size, &got);
	int rw = ref_find_gap(r, size, &want);

	acc_record(a, op, rg == rw && (rg || got == want),
		   "find_gap(%#" PRIx64 ") = %d/%#" PRIx64 ", want %d/%#" PRIx64,
		   size, rg, got, rw, want);
}

/* first/next forward and last/prev backward must both spell out @r. */
static void cmp_order(struct acc *a, long op, const struct vtree *t,
		      const struct ref *r)
{
	struct vtree_node *n;
	size_t i = 0, j = r->n;

	for (n = vtree_first(t); n && i < r->n && n == r->v[i]; n = vtree_next(n))
		i++;
	if (!acc_record(a, op, !n && i == r->n,
			"forward walk differs at position %zu of %zu", i, r->n))
		return;
	for (n = vtree_last(t); n && j > 0 && n == r->v[j - 1]; n = vtree_prev(n))
		j--;
	acc_record(a, op, !n && j == 0,
		   "backward walk differs at position %zu of %zu", j, r->n);
}

/* A query address: anywhere, near the top, or on a node boundary. */
static uint64_t pick_addr(const struct ref *r, uint64_t span)
{
	const struct vtree_node *n = r->n ? r->v[rnd_below(r->n)] : NULL;

	switch (rnd_below(10)) {
	case 0:
		return rnd();
	case 1:
		return UINT64_MAX - rnd_below(3 * PAGE);
	case 2:
		return n ? n->start : 0;
	case 3:
		return n ? n->end : 0;
	case 4:
		return n ? n->end - 1 : 0;
	case 5:
		return n ? n->start - 1 : 0;
	default:
		return rnd_below(span);
	}
}

/* A hole size worth asking for: exact, off by one, random, or too big. */
static uint64_t pick_gap_size(const struct ref *r)
{
	uint64_t exact = r->n > 1 ? ref_hole(r, rnd_below(r->n - 1)) : PAGE;

	switch (rnd_below(8)) {
	case 0:
		return exact + 1;
	case 1:
		return exact ? exact - 1 : 0;
	case 2:
		return (1 + rnd_below(64)) * PAGE;
	case 3:
		return rnd_below(3);
	case 4:
		return ref_largest_gap(r) + rnd_below(2);
	case 5:
		return UINT64_MAX - rnd_below(2);
	default:
		return exact;
	}
}

/* --------------------------------------------------------- the model */

static struct model {
	struct vtree t;
	struct vtree_node pool[MAX_LIVE];
	struct vtree_node *free[MAX_LIVE];	/* unused pool slots */
	struct vtree_node *live[MAX_LIVE];	/* in the tree, any order */
	struct vtree_node *sorted[MAX_LIVE];	/* in the tree, in order */
	size_t nfree, nlive;
} m;

static struct ref model_ref(void)
{
	return (struct ref){ .v = m.sorted, .n = m.nlive };
}

static void model_init(void)
{
	size_t i;

	vtree_init(&m.t);
	m.nlive = 0;
	m.nfree = MAX_LIVE;
	for (i = 0; i < MAX_LIVE; i++)
		m.free[i] = &m.pool[MAX_LIVE - 1 - i];
}

static void model_insert(uint64_t start, uint64_t end)
{
	struct ref r = model_ref();
	struct vtree_node *n = m.free[--m.nfree];
	size_t pos = ref_upper_bound(&r, start, end);

	memset(n, 0xa5, sizeof(*n));	/* the tree must set every field */
	n->start = start;
	n->end = end;
	vtree_insert(&m.t, n);
	memmove(&m.sorted[pos + 1], &m.sorted[pos],
		(m.nlive - pos) * sizeof(m.sorted[0]));
	m.sorted[pos] = n;
	m.live[m.nlive++] = n;
}

static void model_erase(size_t li)
{
	struct vtree_node *n = m.live[li];
	size_t pos = 0;

	vtree_erase(&m.t, n);
	while (m.sorted[pos] != n)
		pos++;
	memmove(&m.sorted[pos], &m.sorted[pos + 1],
		(m.nlive - pos - 1) * sizeof(m.sorted[0]));
	m.live[li] = m.live[--m.nlive];
	memset(n, 0x5a, sizeof(*n));	/* the tree must not look at it */
	m.free[m.nfree++] = n;
}

/* Does [@start, @end) touch a node?  Only for non-overlapping sets. */
static bool model_overlaps(uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = m.nlive, mid;

	while (lo < hi) {		/* first node with end > start */
		mid = lo + (hi - lo) / 2;
		if (m.sorted[mid]->end > start)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < m.nlive && m.sorted[lo]->start < end;
}

/* ------------------------------------------------- random op phases */

struct phase {
	const char *name;
	long ops;
	bool overlapping;
	uint64_t span;		/* most addresses fall below this */
	bool high;		/* also place ranges near UINT64_MAX */
	struct acc inv, count, find, overlap, order, lgap, fgap;
};

/* A page-aligned range for the non-overlapping phase. */
static void gen_disjoint_once(const struct phase *ph, uint64_t *s, uint64_t *e)
{
	uint64_t len = (1 + rnd_below(16)) * PAGE;

	if (m.nlive && !rnd_below(8))
		*s = m.sorted[rnd_below(m.nlive)]->end;	/* adjacent */
	else if (ph->high && !rnd_below(64))
		*s = !rnd_below(4) ? VSYSCALL : TOP_PAGE - rnd_below(32) * PAGE;
	else
		*s = rnd_below(ph->span / PAGE) * PAGE;
	*e = clip_add(*s, len);
}

static bool gen_disjoint(const struct phase *ph, uint64_t *s, uint64_t *e)
{
	int tries;

	for (tries = 0; tries < 8; tries++) {
		gen_disjoint_once(ph, s, e);
		if (*s < *e && !model_overlaps(*s, *e))
			return true;
	}
	return false;
}

/* Anything goes: small dense area, big ranges, duplicates, odd bytes. */
static bool gen_overlapping(const struct phase *ph, uint64_t *s, uint64_t *e)
{
	uint64_t k = rnd_below(64);

	*s = rnd_below(ph->span / PAGE) * PAGE;
	*e = *s + (1 + rnd_below(8)) * PAGE;
	if (k < 4) {
		*e = *s + (1 + rnd_below(ph->span / PAGE)) * PAGE;
	} else if (k < 8 && m.nlive) {
		const struct vtree_node *d = m.sorted[rnd_below(m.nlive)];

		*s = d->start;
		*e = d->end;
	} else if (k < 10) {
		*s += rnd_below(PAGE);
		*e = *s + 1 + rnd_below(3 * PAGE);
	} else if (k < 11) {
		*s = TOP_PAGE - rnd_below(8) * PAGE;
		*e = UINT64_MAX;
	} else if (k < 12) {
		*s = rnd_below(2) ? 0 : *s;
		*e = rnd_below(2) ? UINT64_MAX : *e;
	}
	return true;
}

static void phase_queries(struct phase *ph, long op)
{
	struct ref r = model_ref();
	uint64_t s = pick_addr(&r, ph->span);
	uint64_t e = rnd_below(16) ? clip_add(s, rnd_below(64) * PAGE + 1) : s;

	if (m.t.count == m.nlive)
		ph->count.checks++;
	else
		acc_record(&ph->count, op, false, "count %zu, want %zu",
			   m.t.count, m.nlive);
	cmp_find(&ph->find, op, &m.t, &r, pick_addr(&r, ph->span));
	cmp_overlap(&ph->overlap, op, &m.t, &r, s, e);
	if (op % 16 == 0 || m.nlive < 8)
		cmp_order(&ph->order, op, &m.t, &r);
	if (ph->overlapping)
		return;
	cmp_largest_gap(&ph->lgap, op, &m.t, &r);
	cmp_find_gap(&ph->fgap, op, &m.t, &r, pick_gap_size(&r));
}

/* One insert or erase; the live set sweeps between 0 and MAX_LIVE. */
static void phase_step(struct phase *ph, bool *growing)
{
	uint64_t s, e;
	bool ins;

	if (m.nlive >= MAX_LIVE)
		*growing = false;
	else if (!m.nlive)
		*growing = true;
	ins = m.nlive < MAX_LIVE && rnd_below(10) < (*growing ? 6u : 4u);
	if (ins && (ph->overlapping ? gen_overlapping(ph, &s, &e) :
				      gen_disjoint(ph, &s, &e)))
		model_insert(s, e);
	else if (m.nlive)
		model_erase(rnd_below(m.nlive));
}

static void run_phase(struct phase *ph)
{
	bool growing = true;
	long op;

	model_init();
	for (op = 0; op < ph->ops || m.nlive; op++) {
		if (op < ph->ops)
			phase_step(ph, &growing);
		else
			model_erase(rnd_below(m.nlive));	/* drain */
		if (!cmp_check(&ph->inv, op, &m.t))
			break;		/* a broken tree may not be walkable */
		phase_queries(ph, op);
	}
	if (ph->inv.fails)
		ok(0, "%s: invariants broken by random op %ld (seed %#" PRIx64 "): %s",
		   ph->name, ph->inv.first_op, seed, ph->inv.first_why);
	else
		ok(1, "%s: invariants hold after every one of %ld random insert/erase ops",
		   ph->name, op);
}

static void report_phase(const struct phase *ph)
{
	acc_report(&ph->count, ph->name);
	acc_report(&ph->find, ph->name);
	acc_report(&ph->overlap, ph->name);
	acc_report(&ph->order, ph->name);
	if (ph->overlapping)
		return;
	acc_report(&ph->lgap, ph->name);
	acc_report(&ph->fgap, ph->name);
}

static void phase_init(struct phase *ph, const char *name, long ops,
		       bool overlapping)
{
	memset(ph, 0, sizeof(*ph));
	ph->name = name;
	ph->ops = ops;
	ph->overlapping = overlapping;
	ph->span = overlapping ? 512 * PAGE : UINT64_C(1) << 32;
	ph->high = !overlapping;
	ph->inv.what = "invariants";
	ph->count.what = "count matches the reference";
	ph->find.what = "vtree_find matches brute force";
	ph->overlap.what = "first/next_overlap enumerate the brute-force set in order";
	ph->order.what = "first/next and last/prev walk the reference order";
	ph->lgap.what = "vtree_largest_gap matches a linear scan";
	ph->fgap.what = "vtree_find_gap matches a linear scan";
}

static void test_random(long ops)
{
	static struct phase disjoint, overlapping;

	phase_init(&disjoint, "disjoint", ops, false);
	phase_init(&overlapping, "overlapping", ops / 2, true);
	run_phase(&disjoint);
	report_phase(&disjoint);
	run_phase(&overlapping);
	report_phase(&overlapping);
}

/* -------------------------------------------------- balanced builds */

static int ceil_log2(size_t x)
{
	int h = 0;

	while (h < 64 && (UINT64_C(1) << h) < x)
		h++;
	return h;
}

/* Sorted, mostly disjoint, with adjacent ranges and (if @dups) equal keys. */
static void fill_sorted(struct vtree_node *v, size_t n, bool dups)
{
	uint64_t addr = rnd_below(16) * PAGE;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&v[i], 0xa5, sizeof(v[i]));
		if (dups && i && rnd_below(3) == 0) {
			v[i].start = v[i - 1].start;
			v[i].end = v[i - 1].end;
			continue;
		}
		addr += rnd_below(4) ? rnd_below(64) * PAGE : 0;
		v[i].start = addr;
		v[i].end = addr + (1 + rnd_below(8)) * PAGE;
		addr = v[i].end;
	}
}

/* Does the in-order walk of @t visit exactly &@v[0..n)? */
static bool walk_equals(const struct vtree *t, struct vtree_node *v, size_t n)
{
	struct vtree_node *x = vtree_first(t);
	size_t i;

	for (i = 0; i < n; i++, x = vtree_next(x))
		if (x != &v[i])
			return false;
	return !x;
}

static void build_cross_check(const struct vtree *t, struct vtree_node *v,
			      size_t n)
{
	static struct vtree_node *ptrs[SCRATCH];
	struct acc a = { .what = "queries match brute force" };
	struct ref r = { .v = ptrs, .n = n };
	uint64_t s, span = n ? v[n - 1].end + PAGE : PAGE;
	long q;

	for (q = 0; q < (long)n; q++)
		ptrs[q] = &v[q];
	for (q = 0; q < 200; q++) {
		s = pick_addr(&r, span);
		cmp_find(&a, q, t, &r, pick_addr(&r, span));
		cmp_overlap(&a, q, t, &r, s, clip_add(s, rnd_below(256) * PAGE));
		cmp_largest_gap(&a, q, t, &r);
		cmp_find_gap(&a, q, t, &r, pick_gap_size(&r));
	}
	acc_report(&a, "build_sorted(65536)");
}

static void test_build_one(size_t n, bool dups)
{
	struct vtree_node *v = calloc(n ? n : 1, sizeof(*v));
	struct vtree_node junk[3] = {
		{ .start = 0, .end = 1 }, { .start = 5, .end = 9 },
		{ .start = 2, .end = 3 },
	};
	struct vtree t;
	char why[256] = "";
	int h, rc, i;

	if (!v)
		abort();
	vtree_init(&t);
	for (i = 0; i < 3; i++)
		vtree_insert(&t, &junk[i]);	/* to be replaced */
	fill_sorted(v, n, dups);
	vtree_build_sorted(&t, v, n);
	rc = vtree_check(&t, why, sizeof(why));
	h = t.root ? t.root->height : 0;
	ok(rc == 0 && h == ceil_log2(n + 1) && t.count == n && walk_equals(&t, v, n),
	   "build_sorted(%zu%s): check %d%s%s, height %d (minimal %d), "
	   "count %zu, walk equals input",
	   n, dups ? ", duplicate keys" : "", rc, *why ? " " : "", why, h,
	   ceil_log2(n + 1), t.count);
	if (n == 65536)
		build_cross_check(&t, v, n);
	free(v);
}

/* A built tree stays a valid AVL tree under later updates. */
static void test_build_then_modify(void)
{
	static struct vtree_node v[1000], extra[500];
	struct acc a = { .what = "invariants hold" };
	struct vtree t;
	size_t i;

	fill_sorted(v, 1000, false);
	vtree_build_sorted(&t, v, 1000);
	for (i = 0; i < 500; i++) {
		extra[i].start = v[999].end + rnd_below(1 << 20) * PAGE;
		extra[i].end = extra[i].start + PAGE;
		vtree_insert(&t, &extra[i]);
		if (!cmp_check(&a, (long)i, &t))
			break;		/* a broken tree may not be walkable */
		vtree_erase(&t, &v[rnd_below(2) ? i : 999 - i]);
		if (!cmp_check(&a, (long)i, &t))
			break;
	}
	acc_report(&a, "build_sorted(1000) then 500 inserts and 500 erases");
}

static void test_builds(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 1000, 65536 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		test_build_one(sizes[i], false);
	test_build_one(100, true);
	test_build_then_modify();
}

/* ------------------------------------------------------- edge cases */

static int check_quiet(const struct vtree *t)
{
	char why[256];

	return vtree_check(t, why, sizeof(why));
}

static void test_empty(void)
{
	struct vtree t;
	uint64_t hole = 42;

	vtree_init(&t);
	ok(!vtree_first(&t) && !vtree_last(&t) && t.count == 0,
	   "empty: first/last are NULL, count 0");
	ok(!vtree_find(&t, 0) && !vtree_find(&t, UINT64_MAX),
	   "empty: find returns NULL");
	ok(!vtree_first_overlap(&t, 0, UINT64_MAX),
	   "empty: first_overlap returns NULL");
	ok(vtree_largest_gap(&t) == 0, "empty: largest_gap is 0");
	ok(vtree_find_gap(&t, 1, &hole) == -ENOENT &&
	   vtree_find_gap(&t, 0, &hole) == -ENOENT && hole == 42,
	   "empty: find_gap returns -ENOENT and leaves *hole_start alone");
	ok(vtree_check(&t, NULL, 0) == 0, "empty: check passes");
}

static void test_single(void)
{
	struct vtree t;
	struct vtree_node a = { .start = 0x1000, .end = 0x2000 };
	uint64_t hole;

	vtree_init(&t);
	vtree_insert(&t, &a);
	ok(vtree_first(&t) == &a && vtree_last(&t) == &a && !vtree_next(&a) &&
	   !vtree_prev(&a) && vtree_find(&t, 0) == &a &&
	   vtree_find(&t, 0x1fff) == &a && !vtree_find(&t, 0x2000) &&
	   vtree_largest_gap(&t) == 0 &&
	   vtree_find_gap(&t, 1, &hole) == -ENOENT && check_quiet(&t) == 0,
	   "single node: walk, find, no gap");
	vtree_erase(&t, &a);
	ok(!t.root && t.count == 0 && check_quiet(&t) == 0,
	   "erasing the only node (the root) empties the tree");
}

/* A process-like layout up to the last byte of the address space. */
static void test_high(void)
{
	struct vtree_node v[] = {
		{ .start = 0, .end = PAGE },
		{ .start = 0x400000, .end = 0x452000 },
		{ .start = UINT64_C(0x7ffd4a3f0000), .end = UINT64_C(0x7ffd4a411000) },
		{ .start = VSYSCALL, .end = VSYSCALL + PAGE },
		{ .start = TOP_PAGE, .end = UINT64_MAX },
	};
	struct vtree t;
	struct vtree_node *n;
	uint64_t hole = 0, big = VSYSCALL - UINT64_C(0x7ffd4a411000);
	size_t i;

	vtree_init(&t);
	for (i = 5; i-- > 0;)
		vtree_insert(&t, &v[i]);
	ok(check_quiet(&t) == 0 && walk_equals(&t, v, 5), "high: check and order");
	ok(vtree_find(&t, VSYSCALL) == &v[3] &&
	   vtree_find(&t, VSYSCALL + PAGE - 1) == &v[3] &&
	   vtree_find(&t, VSYSCALL + PAGE) == &v[4] &&
	   vtree_find(&t, UINT64_MAX - 1) == &v[4] &&
	   !vtree_find(&t, UINT64_MAX),
	   "high: find around the vsyscall page and UINT64_MAX");
	n = vtree_first_overlap(&t, VSYSCALL + PAGE - 1, UINT64_MAX);
	ok(n == &v[3] && vtree_next_overlap(n, VSYSCALL + PAGE - 1, UINT64_MAX) == &v[4] &&
	   !vtree_next_overlap(&v[4], VSYSCALL + PAGE - 1, UINT64_MAX) &&
	   vtree_first_overlap(&t, UINT64_MAX - 1, UINT64_MAX) == &v[4] &&
	   !vtree_first_overlap(&t, VSYSCALL + PAGE, TOP_PAGE),
	   "high: overlaps at the top of the address space");
	ok(vtree_largest_gap(&t) == big, "high: largest gap is below vsyscall (%#" PRIx64 ")",
	   vtree_largest_gap(&t));
	ok(vtree_find_gap(&t, big, &hole) == 0 && hole == UINT64_C(0x7ffd4a411000) &&
	   vtree_find_gap(&t, TOP_PAGE - VSYSCALL - PAGE, &hole) == 0 &&
	   hole == 0x452000 &&
	   vtree_find_gap(&t, 0x3ff000, &hole) == 0 && hole == PAGE &&
	   vtree_find_gap(&t, 0x3ff001, &hole) == 0 && hole == 0x452000 &&
	   vtree_find_gap(&t, big + 1, &hole) == -ENOENT &&
	   vtree_find_gap(&t, UINT64_MAX, &hole) == -ENOENT,
	   "high: find_gap picks the lowest hole that fits, -ENOENT beyond");
	vtree_erase(&t, &v[3]);
	ok(check_quiet(&t) == 0 &&
	   vtree_largest_gap(&t) == TOP_PAGE - UINT64_C(0x7ffd4a411000) &&
	   vtree_find(&t, VSYSCALL) == &v[4],
	   "high: without vsyscall the hole runs to the last page");
}

/* Fill @v[0..n) with disjoint pages [i+1, i+2) * PAGE. */
static void fill_pages(struct vtree_node *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].start = (i + 1) * PAGE;
		v[i].end = (i + 2) * PAGE - (i % 2 ? 0 : 0x800);
	}
}

static const char *shape(const struct vtree_node *x)
{
	bool root = !x->parent;

	if (x->left && x->right && x->right->left)
		return root ? "root, deep successor" : "two children, deep successor";
	if (x->left && x->right)
		return root ? "root, successor is its right child" :
			      "two children, successor is its right child";
	if (x->left || x->right)
		return root ? "root, one child" : "one child";
	return "leaf";
}

/* Erase @victim from a fresh build of @n pages; check and order after. */
static bool erase_from_build(size_t n, size_t victim, const char **how)
{
	struct vtree_node v[15];
	struct vtree t;
	struct vtree_node *x;
	size_t i;

	fill_pages(v, n);
	vtree_build_sorted(&t, v, n);
	x = &v[victim];
	*how = shape(x);
	vtree_erase(&t, x);
	if (check_quiet(&t) || t.count != n - 1)
		return false;
	x = vtree_first(&t);
	for (i = 0; i < n; i++) {
		if (i == victim)
			continue;
		if (x != &v[i])
			return false;
		x = vtree_next(x);
	}
	return !x;
}

static void test_erase_shapes(void)
{
	static const size_t cases[][2] = {
		{ 3, 1 }, { 7, 3 }, { 15, 7 }, { 15, 11 }, { 15, 13 },
		{ 15, 0 }, { 2, 0 }, { 2, 1 },
	};
	const char *how = "";
	size_t i;
	bool good;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		good = erase_from_build(cases[i][0], cases[i][1], &how);
		ok(good, "erase node %zu of %zu (%s): check passes, order kept",
		   cases[i][1], cases[i][0], how);
	}
}

static void test_duplicates(void)
{
	struct vtree_node d[5], lo = { .start = 0, .end = 0x1000 },
		big = { .start = 0x1000, .end = 0x3000 };
	struct vtree_node *want[7] = { &lo, &d[0], &d[1], &d[2], &d[3], &d[4], &big };
	struct vtree_node *got[8];
	struct ref r = { .v = want, .n = 7 };
	struct acc a = { .what = "order, find and overlaps keep insertion order" };
	struct vtree t;
	size_t i;

	vtree_init(&t);
	vtree_insert(&t, &big);
	for (i = 0; i < 5; i++) {
		d[i] = (struct vtree_node){ .start = 0x1000, .end = 0x2000 };
		vtree_insert(&t, &d[i]);
		if (i == 2)
			vtree_insert(&t, &lo);
	}
	cmp_check(&a, 0, &t);
	cmp_order(&a, 0, &t, &r);
	cmp_overlap(&a, 0, &t, &r, 0x1800, 0x1801);
	cmp_find(&a, 0, &t, &r, 0x1000);
	vtree_erase(&t, &d[2]);
	memmove(&want[3], &want[4], 3 * sizeof(want[0]));
	r.n = 6;
	cmp_check(&a, 1, &t);
	cmp_order(&a, 1, &t, &r);
	cmp_overlap(&a, 1, &t, &r, 0, 0x1001);
	ok(tree_overlaps(&t, 0x1fff, 0x2000, got, 8) == 5 && got[0] == &d[0] &&
	   got[4] == &big, "duplicates: overlap of the last byte lists all four and big");
	acc_report(&a, "duplicates");
}

/* An overlapping set where a long range hides among short ones. */
static void test_overlap_pruning(void)
{
	struct vtree_node v[64], wide = { .start = 0x20000, .end = 0x100000 };
	struct vtree_node *got[80];
	struct vtree t;
	size_t i, k;

	vtree_init(&t);
	for (i = 0; i < 64; i++) {
		v[i].start = 0x2000 + i * PAGE;
		v[i].end = v[i].start + 0x800;
		vtree_insert(&t, &v[i]);
	}
	vtree_insert(&t, &wide);
	k = tree_overlaps(&t, 0x90000, 0x90001, got, 80);
	ok(check_quiet(&t) == 0 && vtree_find(&t, 0x80000) == &wide &&
	   vtree_find(&t, 0x2800) == &v[1] && vtree_next(&v[30]) == &wide &&
	   k == 1 && got[0] == &wide,
	   "a long range among short ones is found through max_end");
	k = tree_overlaps(&t, 0x21000, 0x23000, got, 80);
	ok(k == 3 && got[0] == &wide && got[1] == &v[31] && got[2] == &v[32],
	   "overlaps of a window list the long range in its sorted place");
}

/* ------------------------------------------------ the checker fails */

/* Ways to damage the 7-node build (v[3] root, v[1]/v[5] inner, rest leaves). */
enum corruption {
	C_LEAF_GAP, C_INNER_GAP, C_MAX_END, C_MIN_START, C_LEAF_HEIGHT,
	C_ROOT_HEIGHT, C_PARENT, C_ROOT_PARENT, C_COUNT_UP, C_COUNT_DOWN,
	C_ORDER, C_CYCLE,
};

struct corrupt_case {
	enum corruption what;
	const char *name, *expect;	/* expect: a word of the report */
};

static const struct corrupt_case corrupt_cases[] = {
	{ C_LEAF_GAP, "leaf gap", "gap" },
	{ C_INNER_GAP, "inner gap", "gap" },
	{ C_MAX_END, "root max_end", "max_end" },
	{ C_MIN_START, "inner min_start", "min_start" },
	{ C_LEAF_HEIGHT, "leaf height", "height" },
	{ C_ROOT_HEIGHT, "root height", "height" },
	{ C_PARENT, "leaf parent", "parent" },
	{ C_ROOT_PARENT, "root parent", "parent" },
	{ C_COUNT_UP, "count (too high)", "count" },
	{ C_COUNT_DOWN, "count (too low)", "count" },
	{ C_ORDER, "in-order sort", "order" },
	{ C_CYCLE, "child link (cycle)", "parent" },
};

/* Swap keys and cached bounds of two leaves: only the order breaks. */
static void swap_leaf_keys(struct vtree_node *a, struct vtree_node *b)
{
	struct vtree_node tmp = *a;

	a->start = b->start;
	a->end = b->end;
	a->min_start = b->min_start;
	a->max_end = b->max_end;
	b->start = tmp.start;
	b->end = tmp.end;
	b->min_start = tmp.min_start;
	b->max_end = tmp.max_end;
}

static void corrupt(struct vtree *t, struct vtree_node *v, enum corruption what)
{
	switch (what) {
	case C_LEAF_GAP:
		v[0].gap++;
		break;
	case C_INNER_GAP:
		v[5].gap--;
		break;
	case C_MAX_END:
		v[3].max_end--;
		break;
	case C_MIN_START:
		v[1].min_start++;
		break;
	case C_LEAF_HEIGHT:
		v[6].height = 2;
		break;
	case C_ROOT_HEIGHT:
		v[3].height = 4;
		break;
	case C_PARENT:
		v[2].parent = &v[3];
		break;
	case C_ROOT_PARENT:
		v[3].parent = &v[0];
		break;
	case C_COUNT_UP:
		t->count++;
		break;
	case C_COUNT_DOWN:
		t->count--;
		break;
	case C_ORDER:
		swap_leaf_keys(&v[0], &v[6]);
		break;
	case C_CYCLE:		/* must be reported, not followed forever */
		v[6].right = &v[3];
		break;
	}
}

static void test_corrupt_one(const struct corrupt_case *c)
{
	struct vtree_node v[7], saved[7];
	struct vtree t, saved_t;
	char why[256] = "";
	int rc, rc_null, restored;

	fill_pages(v, 7);
	vtree_build_sorted(&t, v, 7);
	memcpy(saved, v, sizeof(v));
	saved_t = t;
	corrupt(&t, v, c->what);
	rc = vtree_check(&t, why, sizeof(why));
	rc_null = vtree_check(&t, NULL, 0);
	memcpy(v, saved, sizeof(v));
	t = saved_t;
	restored = check_quiet(&t);
	ok(rc == -EUCLEAN && rc_null == -EUCLEAN && strstr(why, c->expect) &&
	   restored == 0, "checker catches corrupted %s (%s); 0 once restored",
	   c->name, why);
}

/* Correct heights and augmentation, but a 3-node chain: only balance. */
static void test_corrupt_balance(void)
{
	struct vtree_node a = { .start = 0x1000, .end = 0x2000 },
		b = { .start = 0x3000, .end = 0x4000 },
		c = { .start = 0x6000, .end = 0x7000 };
	struct vtree t = { .root = &a, .count = 3 };
	char why[256] = "", tiny[8];
	int rc;

	a.right = &b;
	b.parent = &a;
	b.right = &c;
	c.parent = &b;
	c.height = 1;
	c.min_start = 0x6000;
	c.max_end = 0x7000;
	b.height = 2;
	b.min_start = 0x3000;
	b.max_end = 0x7000;
	b.gap = 0x2000;
	a.height = 3;
	a.min_start = 0x1000;
	a.max_end = 0x7000;
	a.gap = 0x2000;
	rc = vtree_check(&t, why, sizeof(why));
	ok(rc == -EUCLEAN && strstr(why, "balance"),
	   "checker catches an unbalanced but otherwise consistent chain (%s)", why);
	memset(tiny, 'x', sizeof(tiny));
	rc = vtree_check(&t, tiny, sizeof(tiny));
	ok(rc == -EUCLEAN && memchr(tiny, '\0', sizeof(tiny)),
	   "a short why buffer is truncated and terminated");
}

static void test_checker(void)
{
	size_t i;

	for (i = 0; i < sizeof(corrupt_cases) / sizeof(corrupt_cases[0]); i++)
		test_corrupt_one(&corrupt_cases[i]);
	test_corrupt_balance();
}

/* ---------------------------------------------------- implicit index */

static int node_cmp(const void *a, const void *b)
{
	const struct vtree_node *x = a, *y = b;

	return key_cmp(x->start, x->end, y->start, y->end);
}

/*
 * @n nodes sorted for vtree_build_sorted(): disjoint (adjacent or with
 * holes, the last one possibly ending at UINT64_MAX), or overlapping
 * (duplicates, long ranges over short ones, odd bytes, [x, UINT64_MAX)).
 */
static void fill_index_set(struct vtree_node *v, size_t n, bool overlapping)
{
	uint64_t s, e;
	size_t i;

	if (!overlapping) {
		fill_sorted(v, n, false);
		if (n && rnd_below(2))
			v[n - 1].end = UINT64_MAX;
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&v[i], 0xa5, sizeof(v[i]));
		s = rnd_below((uint64_t)n * 4 + 64) * PAGE + rnd_below(3);
		e = s + (1 + rnd_below(8)) * PAGE;
		if (!rnd_below(50))
			e = s + (1 + rnd_below((uint64_t)n * 4)) * PAGE;
		if (!rnd_below(200))
			e = UINT64_MAX;
		if (i && !rnd_below(10)) {
			s = v[i - 1].start;
			e = v[i - 1].end;
		}
		v[i].start = s;
		v[i].end = e;
	}
	qsort(v, n, sizeof(*v), node_cmp);
}

/* An address to ask the index about: anything pick_addr() gives, or an end. */
static uint64_t index_addr(const struct ref *r, uint64_t span, long q)
{
	static const uint64_t fixed[] = { 0, 1, PAGE, UINT64_MAX - 1, UINT64_MAX };

	if (q < (long)(sizeof(fixed) / sizeof(fixed[0])))
		return fixed[q];
	return pick_addr(r, span);
}

/* One query: the index, the tree's own walk and a linear scan agree. */
static void index_query(struct acc *a, long q, const struct vtree *t,
			const struct vtree *walk, const struct ref *r,
			uint64_t addr)
{
	struct vtree_node *got = vtree_find(t, addr), *want = ref_find(r, addr);
	size_t pos = vtree_index_find(t, addr);
	uint64_t end = clip_add(addr, rnd_below(8) * PAGE + 1);
	char b1[64], b2[64];

	acc_record(a, q, got == want && vtree_find(walk, addr) == want &&
		   pos == (want ? (size_t)(want - t->base) : t->count) &&
		   vtree_first_overlap(t, addr, end) ==
		   vtree_first_overlap(walk, addr, end),
		   "find(%#" PRIx64 ") = %s (position %zu), want %s",
		   addr, desc(got, b1, sizeof(b1)), pos,
		   desc(want, b2, sizeof(b2)));
}

/* Build @n nodes with an index and ask it @queries questions. */
static void test_index_one(size_t n, bool overlapping, long queries)
{
	static struct vtree_node *ptrs[SCRATCH + 100000];
	struct vtree_node *v = calloc(n ? n : 1, sizeof(*v));
	uint64_t *keys = malloc(vtree_index_slots(n) * sizeof(*keys));
	struct acc a = { .what = "index, tree walk and linear scan agree" };
	struct ref r = { .v = ptrs, .n = n };
	struct vtree t, walk;
	char what[80], why[256] = "";
	int rc;

	if (!v || !keys || n > sizeof(ptrs) / sizeof(ptrs[0]))
		abort();
	fill_index_set(v, n, overlapping);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &v[i];
	vtree_init(&t);
	vtree_build_sorted(&t, v, n);
	rc = vtree_index(&t, keys);
	walk = t;
	walk.ix = NULL;
	snprintf(what, sizeof(what), "index of %zu %s nodes", n,
		 overlapping ? "overlapping" : "disjoint");
	if (!rc)
		rc = vtree_check(&t, why, sizeof(why));
	ok(rc == 0 && t.ix == keys, "%s: built, check passes%s%s", what,
	   *why ? ": " : "", why);
	for (long q = 0; q < queries; q++)
		index_query(&a, q, &t, &walk, &r,
			    index_addr(&r, n ? v[n - 1].start + 4 * PAGE : PAGE, q));
	acc_report(&a, what);
	free(keys);
	free(v);
}

static void test_index_sizes(void)
{
	static const size_t sizes[] = {
		0, 1, 2, 3, 6, 7, 8, 9, 15, 16, 1000, 4094, 4095, 4096, 4097,
		32767, 32768, 65535, 65536, 100000,
	};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long queries = sizes[i] > 10000 ? 1000 : 4000;

		test_index_one(sizes[i], false, queries);
		test_index_one(sizes[i], true, queries);
	}
}

/* A tree changed after its build cannot take an index and loses its own. */
static void test_index_dropped(void)
{
	struct vtree_node v[20], extra = { .start = 1, .end = 2 };
	uint64_t keys[32];
	struct vtree t;

	fill_pages(v, 20);
	vtree_build_sorted(&t, v, 20);
	ok(vtree_index(&t, keys) == 0 && vtree_find(&t, 2 * PAGE) == &v[1],
	   "index attached to a fresh build");
	vtree_insert(&t, &extra);
	ok(!t.ix && !t.base && vtree_index(&t, keys) == -EINVAL &&
	   vtree_find(&t, 1) == &extra && check_quiet(&t) == 0,
	   "an insert drops the index; a changed tree takes none");
	vtree_build_sorted(&t, v, 20);
	vtree_index(&t, keys);
	vtree_erase(&t, &v[5]);
	ok(!t.ix && vtree_find(&t, 6 * PAGE + 1) == &v[6] &&
	   check_quiet(&t) == 0, "an erase drops the index");
	vtree_build_sorted(&t, v, 20);
	ok(!t.ix && t.base == v, "a new build has no index until asked");
	vtree_init(&t);
	vtree_insert(&t, &extra);
	vtree_erase(&t, &extra);
	ok(vtree_index(&t, keys) == 0 && !vtree_find(&t, 0) &&
	   !vtree_find(&t, UINT64_MAX) && vtree_index_find(&t, 5) == 0 &&
	   check_quiet(&t) == 0, "an emptied tree takes an empty index");
}

/* Ways to damage the index of a 100-node build. */
enum ix_damage { IX_KEY, IX_PADDING, IX_LEVELS, IX_BASE, IX_NO_BASE };

static const struct {
	enum ix_damage what;
	const char *name, *expect;
} ix_cases[] = {
	{ IX_KEY, "a key", "index key" },
	{ IX_PADDING, "a padding key", "index key" },
	{ IX_LEVELS, "the depth", "levels" },
	{ IX_BASE, "the base array", "base array" },
	{ IX_NO_BASE, "a missing base array", "without a base" },
};

static void ix_damage(struct vtree *t, uint64_t *keys, size_t slots,
		      enum ix_damage what)
{
	size_t i;

	switch (what) {
	case IX_KEY:
		keys[1 + rnd_below(slots - 1)] ^= 1;
		break;
	case IX_PADDING:
		for (i = slots - 1; keys[i] != UINT64_MAX; i--)
			;
		keys[i] = 0;
		break;
	case IX_LEVELS:
		t->ix_levels++;
		break;
	case IX_BASE:
		t->base++;
		break;
	case IX_NO_BASE:
		t->base = NULL;
		break;
	}
}

static void test_index_checker(void)
{
	static struct vtree_node v[100];
	size_t slots = vtree_index_slots(100);
	uint64_t *keys = malloc(slots * sizeof(*keys));
	struct vtree t;
	char why[256];

	if (!keys)
		abort();
	fill_sorted(v, 100, false);
	for (size_t i = 0; i < sizeof(ix_cases) / sizeof(ix_cases[0]); i++) {
		vtree_build_sorted(&t, v, 100);
		vtree_index(&t, keys);
		ix_damage(&t, keys, slots, ix_cases[i].what);
		why[0] = '\0';
		ok(vtree_check(&t, why, sizeof(why)) == -EUCLEAN &&
		   strstr(why, ix_cases[i].expect),
		   "checker catches a damaged index: %s (%s)", ix_cases[i].name,
		   why);
	}
	free(keys);
}

static void test_index(void)
{
	test_index_dropped();
	test_index_checker();
	test_index_sizes();
}

/* ------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	long ops = argc > 1 ? strtol(argv[1], NULL, 0) : DEFAULT_OPS;

	seed = argc > 2 ? strtoull(argv[2], NULL, 0) : DEFAULT_SEED;
	if (ops < 1)
		ops = DEFAULT_OPS;
	rng_state = seed;
	diag("seed %#" PRIx64 ", %ld disjoint + %ld overlapping random ops",
	     seed, ops, ops / 2);
	test_empty();
	test_single();
	test_high();
	test_erase_shapes();
	test_duplicates();
	test_overlap_pruning();
	test_checker();
	test_builds();
	test_index();
	test_random(ops);
	return tap_done();
}
