// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diff.c - compare two address spaces region by region (see diff.h).
 *
 * Both sides are sorted by (identity, base, start); a merge walk over the
 * two sorted lists finds the groups of equal identity, and a sweep over
 * each group joins the regions whose ranges overlap into one change.
 * O(n log n) in the number of regions.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "summary.h"

static const struct {
	const char *name;
	char mark;
} kind_info[DK_NKINDS] = {
	[DK_ADDED] = { "added", '+' },	[DK_REMOVED] = { "removed", '-' },
	[DK_MOVED] = { "moved", '@' },	[DK_SPLIT] = { "split", '/' },
	[DK_MERGED] = { "merged", '&' }, [DK_GROWN] = { "grown", '>' },
	[DK_SHRUNK] = { "shrunk", '<' }, [DK_PERMS] = { "perms", '~' },
	[DK_MEMORY] = { "memory", '*' },
};

const char *diff_kind_name(unsigned int k)
{
	return k < DK_NKINDS ? kind_info[k].name : "unchanged";
}

char diff_kind_mark(unsigned int k)
{
	return k < DK_NKINDS ? kind_info[k].mark : '=';
}

unsigned int diff_primary(uint32_t kinds)
{
	return kinds ? (unsigned int)__builtin_ctz(kinds) : DK_NKINDS;
}

static inline uint32_t bit(enum diff_kind k)
{
	return 1u << k;
}

/* ------------------------------------------------------------ identity */

enum id_kind { ID_ANON, ID_NAMED, ID_FILE };

static enum id_kind id_kind(const struct vma *v)
{
	if (v->name == VN_FILE || v->inode)
		return ID_FILE;
	return v->name == VN_NONE ? ID_ANON : ID_NAMED;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t dev_of(const struct vma *v)
{
	return (uint64_t)v->major << 32 | v->minor;
}

/* Hash of what identifies a region: equal in both sets for one file. */
static uint64_t id_hash(const struct vmaset *s, const struct vma *v)
{
	uint64_t key[3] = { id_kind(v), v->name, 0 };
	size_t len;
	const char *p = vma_path(s, v, &len);

	if (key[0] == ID_FILE) {
		key[1] = dev_of(v);
		key[2] = v->inode;
	}
	return fnv1a(fnv1a(0xcbf29ce484222325ULL, key, sizeof(key)), p, len);
}

static int cmp_path(const struct vmaset *a, const struct vma *x,
		    const struct vmaset *b, const struct vma *y)
{
	size_t lx, ly;
	const char *px = vma_path(a, x, &lx), *py = vma_path(b, y, &ly);
	int r = lx && ly ? memcmp(px, py, lx < ly ? lx : ly) : 0;

	return r ? r : cmp_u64(lx, ly);
}

/* Order of identities, across two sets. */
static int cmp_id(const struct vmaset *a, const struct vma *x,
		  const struct vmaset *b, const struct vma *y)
{
	enum id_kind k = id_kind(x);
	int r = cmp_u64(k, id_kind(y));

	if (r || k == ID_ANON)
		return r;
	if (k == ID_FILE)
		r = dev_of(x) != dev_of(y) ? cmp_u64(dev_of(x), dev_of(y))
					   : cmp_u64(x->inode, y->inode);
	else
		r = cmp_u64(x->name, y->name);
	if (r || (a == b && x->path == y->path))
		return r;
	return cmp_path(a, x, b, y);
}

/* ------------------------------------------------------------- sorting */

/* A region as sorted for matching. */
struct ent {
	uint64_t hash;		/* of the identity */
	uint64_t base;		/* where file offset 0 would be; 0 if no file */
	uint64_t start;
	uint32_t idx;		/* index in the set */
};

struct side {
	const struct vmaset *s;
	struct ent *e;
	size_t n;
};

/* Same identity and base: one group. */
static int cmp_group(const struct side *a, const struct ent *x,
		     const struct side *b, const struct ent *y)
{
	int r = cmp_u64(x->hash, y->hash);

	if (!r)
		r = cmp_id(a->s, &a->s->v[x->idx], b->s, &b->s->v[y->idx]);
	return r ? r : cmp_u64(x->base, y->base);
}

static int cmp_ent(const void *p, const void *q, void *ctx)
{
	const struct ent *x = p, *y = q;
	int r = cmp_group(ctx, x, ctx, y);

	return r ? r : cmp_u64(x->start, y->start);
}

static int side_init(struct side *sd, const struct vmaset *s)
{
	sd->s = s;
	sd->n = s->n;
	sd->e = malloc((s->n ? s->n : 1) * sizeof(*sd->e));
	if (!sd->e)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		const struct vma *v = &s->v[i];

		sd->e[i] = (struct ent){
			.hash = id_hash(s, v), .start = v->start,
			.base = id_kind(v) == ID_FILE ? v->start - v->offset : 0,
			.idx = (uint32_t)i,
		};
	}
	qsort_r(sd->e, sd->n, sizeof(*sd->e), cmp_ent, sd);
	return 0;
}

/* ------------------------------------------------------------ matching */

struct builder {
	struct diff *d;
	struct side o, n;
	uint32_t no, nn;	/* used entries of d->oidx, d->nidx */
};

static struct diff_change *new_change(struct builder *b)
{
	struct diff_change *c = &b->d->ch[b->d->n++];

	*c = (struct diff_change){ .old_at = b->no, .new_at = b->nn };
	return c;
}

/* Move the next region of the group, old or new, into change @c. */
static uint64_t take(struct builder *b, struct diff_change *c, bool old,
		     size_t *i)
{
	const struct side *sd = old ? &b->o : &b->n;
	uint32_t idx = sd->e[(*i)++].idx;

	if (old) {
		b->d->oidx[b->no++] = idx;
		c->old_n++;
	} else {
		b->d->nidx[b->nn++] = idx;
		c->new_n++;
	}
	return sd->s->v[idx].end;
}

/* One group: old [i, i1), new [j, j1), each by start; join overlaps. */
static void match_group(struct builder *b, size_t i, size_t i1, size_t j,
			size_t j1)
{
	while (i < i1 || j < j1) {
		struct diff_change *c = new_change(b);
		uint64_t end = 0;

		for (;;) {
			bool old = i < i1 &&
				   (j == j1 || b->o.e[i].start <= b->n.e[j].start);
			uint64_t start = old ? b->o.e[i].start :
					 j < j1 ? b->n.e[j].start : 0;
			uint64_t e;

			if ((!old && j == j1) ||
			    (c->old_n + c->new_n && start >= end))
				break;
			e = take(b, c, old, old ? &i : &j);
			end = e > end ? e : end;
		}
	}
}

static size_t group_end(const struct side *sd, size_t i)
{
	size_t k = i + 1;

	while (k < sd->n && !cmp_group(sd, &sd->e[i], sd, &sd->e[k]))
		k++;
	return k;
}

static void walk(struct builder *b)
{
	size_t i = 0, j = 0;

	while (i < b->o.n || j < b->n.n) {
		int r = i == b->o.n ? 1 : j == b->n.n ? -1 :
			cmp_group(&b->o, &b->o.e[i], &b->n, &b->n.e[j]);
		size_t i1 = r <= 0 ? group_end(&b->o, i) : i;
		size_t j1 = r >= 0 ? group_end(&b->n, j) : j;

		match_group(b, i, i1, j, j1);
		i = i1;
		j = j1;
	}
}

/* -------------------------------------------------------------- kinds */

const struct vma *diff_region(const struct diff *d,
			      const struct diff_change *c, bool new_side,
			      uint32_t i)
{
	return new_side ? &d->new->v[d->nidx[c->new_at + i]]
			: &d->old->v[d->oidx[c->old_at + i]];
}

static void add_side(struct diff_side *out, const struct vma *v,
		     const struct vma_smaps *sm)
{
	if (!out->regions || v->start < out->start)
		out->start = v->start;
	if (v->end > out->end)
		out->end = v->end;
	out->size += vma_size(v);
	out->regions++;
	if (!sm) {
		out->smaps = false;
		return;
	}
	out->rss += sm->val[SM_RSS];
	out->pss += sm->val[SM_PSS];
	out->swap += sm->val[SM_SWAP];
}

void diff_side_sum(const struct diff *d, const struct diff_change *c,
		   bool new_side, struct diff_side *out)
{
	const struct vmaset *s = new_side ? d->new : d->old;
	uint32_t n = new_side ? c->new_n : c->old_n;

	memset(out, 0, sizeof(*out));
	out->smaps = n > 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct vma *v = diff_region(d, c, new_side, i);

		add_side(out, v, vset_smaps(s, v));
	}
}

/*
 * Some piece of one side has other permissions than the piece of the
 * other side that holds its start (both sides are in address order).
 */
static bool perms_differ(const struct diff *d, const struct diff_change *c,
			 bool from_new)
{
	uint32_t n = from_new ? c->new_n : c->old_n;
	uint32_t m = from_new ? c->old_n : c->new_n;
	uint32_t i = 0;

	for (uint32_t j = 0; j < n; j++) {
		const struct vma *v = diff_region(d, c, from_new, j);

		while (i + 1 < m && diff_region(d, c, !from_new, i)->end <=
				    v->start)
			i++;
		if (diff_region(d, c, !from_new, i)->perms != v->perms)
			return true;
	}
	return false;
}

static bool same_bounds(const struct diff *d, const struct diff_change *c)
{
	for (uint32_t i = 0; i < c->old_n; i++) {
		const struct vma *o = diff_region(d, c, false, i);
		const struct vma *n = diff_region(d, c, true, i);

		if (o->start != n->start || o->end != n->end)
			return false;
	}
	return true;
}

/* Pieces with the same bounds (even overlapping ones, in a torn read)
 * are compared pairwise; otherwise by where each piece starts. */
static bool perms_changed(const struct diff *d, const struct diff_change *c)
{
	if (c->old_n != c->new_n || !same_bounds(d, c))
		return perms_differ(d, c, true) || perms_differ(d, c, false);
	for (uint32_t i = 0; i < c->old_n; i++)
		if (diff_region(d, c, false, i)->perms !=
		    diff_region(d, c, true, i)->perms)
			return true;
	return false;
}

static uint32_t shape_kinds(const struct diff *d, const struct diff_change *c,
			    const struct diff_side *o,
			    const struct diff_side *n)
{
	uint32_t k = 0;

	if (c->new_n > c->old_n)
		k |= bit(DK_SPLIT);
	else if (c->old_n > c->new_n)
		k |= bit(DK_MERGED);
	else if (c->old_n > 1 && !same_bounds(d, c))
		k |= bit(DK_SPLIT) | bit(DK_MERGED);
	if (n->size != o->size)
		k |= n->size > o->size ? bit(DK_GROWN) : bit(DK_SHRUNK);
	else if (c->old_n == 1 && c->new_n == 1 && o->start != n->start)
		k |= bit(DK_MOVED);
	return k;
}

static uint32_t kinds_of(const struct diff *d, const struct diff_change *c)
{
	struct diff_side o, n;
	uint32_t k;

	if (!c->new_n)
		return c->old_n ? bit(DK_REMOVED) : 0;
	if (!c->old_n)
		return bit(DK_ADDED);
	diff_side_sum(d, c, false, &o);
	diff_side_sum(d, c, true, &n);
	k = shape_kinds(d, c, &o, &n);
	if (perms_changed(d, c))
		k |= bit(DK_PERMS);
	if (o.smaps && n.smaps &&
	    (o.rss != n.rss || o.pss != n.pss || o.swap != n.swap))
		k |= bit(DK_MEMORY);
	return k;
}

/* -------------------------------------------------------------- moves */

/* What must agree for a region that left one place to be the one that
 * arrived at another: identity, file offset, size (and for anonymous
 * memory, which has no other identity, the permissions). */
static int cmp_move_key(const struct vmaset *a, const struct vma *x,
			const struct vmaset *b, const struct vma *y)
{
	int r = cmp_id(a, x, b, y);

	if (!r && id_kind(x) == ID_FILE)
		r = cmp_u64(x->offset, y->offset);
	if (!r)
		r = cmp_u64(vma_size(x), vma_size(y));
	if (!r && id_kind(x) == ID_ANON)
		r = cmp_u64(x->perms, y->perms);
	return r;
}

struct move_ctx {
	const struct diff *d;
	bool new_side;
};

static const struct vma *lone(const struct diff *d, uint32_t ci,
			      bool new_side)
{
	return diff_region(d, &d->ch[ci], new_side, 0);
}

static int cmp_lone(const void *p, const void *q, void *arg)
{
	const struct move_ctx *m = arg;
	const struct vmaset *s = m->new_side ? m->d->new : m->d->old;
	const struct vma *x = lone(m->d, *(const uint32_t *)p, m->new_side);
	const struct vma *y = lone(m->d, *(const uint32_t *)q, m->new_side);
	int r = cmp_move_key(s, x, s, y);

	return r ? r : cmp_u64(x->start, y->start);
}

/* Changes that are one region removed (or added), sorted by move key. */
static uint32_t *lone_changes(const struct diff *d, bool added, size_t *n)
{
	uint32_t *v = malloc((d->n ? d->n : 1) * sizeof(*v));
	struct move_ctx m = { d, added };

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_change *c = &d->ch[i];

		if (added ? !c->old_n && c->new_n == 1
			  : c->old_n == 1 && !c->new_n)
			v[(*n)++] = (uint32_t)i;
	}
	qsort_r(v, *n, sizeof(*v), cmp_lone, &m);
	return v;
}

/* Length of the run of equal move keys at @v[i] on one side. */
static size_t key_run(const struct diff *d, const uint32_t *v, size_t n,
		      size_t i, bool new_side)
{
	const struct vmaset *s = new_side ? d->new : d->old;
	size_t k = i + 1;

	while (k < n && !cmp_move_key(s, lone(d, v[i], new_side), s,
				      lone(d, v[k], new_side)))
		k++;
	return k - i;
}

/* Removed change @r and added change @a are one region that moved. */
static void pair_move(struct diff *d, uint32_t r, uint32_t a)
{
	d->ch[r].new_at = d->ch[a].new_at;
	d->ch[r].new_n = 1;
	d->ch[a].new_n = 0;	/* now empty: dropped by compact() */
	d->ch[r].kinds = kinds_of(d, &d->ch[r]);
	d->ch[a].kinds = 0;
}

/* Pair runs of equal keys; anonymous regions only when unambiguous. */
static void pair_runs(struct diff *d, const uint32_t *rm, size_t nr,
		      const uint32_t *ad, size_t na)
{
	size_t i = 0, j = 0;

	while (i < nr && j < na) {
		const struct vma *x = lone(d, rm[i], false);
		int c = cmp_move_key(d->old, x, d->new, lone(d, ad[j], true));
		size_t ri, rj;

		if (c) {
			if (c < 0)
				i++;
			else
				j++;
			continue;
		}
		ri = key_run(d, rm, nr, i, false);
		rj = key_run(d, ad, na, j, true);
		for (size_t k = 0; k < ri && k < rj; k++)
			if (id_kind(x) != ID_ANON || (ri == 1 && rj == 1))
				pair_move(d, rm[i + k], ad[j + k]);
		i += ri;
		j += rj;
	}
}

static int find_moves(struct diff *d)
{
	size_t nr, na;
	uint32_t *rm = lone_changes(d, false, &nr);
	uint32_t *ad = rm ? lone_changes(d, true, &na) : NULL;

	if (ad)
		pair_runs(d, rm, nr, ad, na);
	free(rm);
	free(ad);
	return ad ? 0 : -ENOMEM;
}

/* -------------------------------------------------------------- order */

static uint64_t change_addr(const struct diff *d, const struct diff_change *c)
{
	return c->new_n ? diff_region(d, c, true, 0)->start
			: diff_region(d, c, false, 0)->start;
}

static int cmp_change(const void *p, const void *q, void *arg)
{
	const struct diff *d = arg;
	const struct diff_change *x = p, *y = q;
	int r = cmp_u64(change_addr(d, x), change_addr(d, y));

	return r ? r : cmp_u64(x->new_n, y->new_n);
}

/* Drop the empty changes left by pair_move(), count, sort. */
static void compact(struct diff *d)
{
	size_t k = 0;

	d->changed = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (!d->ch[i].old_n && !d->ch[i].new_n)
			continue;
		d->changed += d->ch[i].kinds != 0;
		d->ch[k++] = d->ch[i];
	}
	d->n = k;
	qsort_r(d->ch, d->n, sizeof(*d->ch), cmp_change, d);
}

bool diff_change_in(const struct diff *d, const struct diff_change *c,
		    uint32_t mask)
{
	for (uint32_t i = 0; i < c->old_n; i++)
		if (mask >> diff_region(d, c, false, i)->cls & 1)
			return true;
	for (uint32_t i = 0; i < c->new_n; i++)
		if (mask >> diff_region(d, c, true, i)->cls & 1)
			return true;
	return false;
}

size_t diff_count(const struct diff *d, uint32_t mask)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->ch[i].kinds && diff_change_in(d, &d->ch[i], mask);
	return n;
}

/* ------------------------------------------------------------- totals */

static void totals(struct diff *d)
{
	bool flags = summary_stack_from_flags(d->old) &&
		     summary_stack_from_flags(d->new);
	uint64_t r[MM_NCOUNTERS];

	acct_sum_all(d->old, &d->acct[0]);
	acct_sum_all(d->new, &d->acct[1]);
	summary_counters(d->old, flags, r);
	memcpy(d->counters[0], r, sizeof(d->counters[0]));
	summary_counters(d->new, flags, r);
	memcpy(d->counters[1], r, sizeof(d->counters[1]));
}

static int alloc_diff(struct diff *d, size_t no, size_t nn)
{
	d->ch = malloc((no + nn ? no + nn : 1) * sizeof(*d->ch));
	d->oidx = malloc((no ? no : 1) * sizeof(*d->oidx));
	d->nidx = malloc((nn ? nn : 1) * sizeof(*d->nidx));
	return d->ch && d->oidx && d->nidx ? 0 : -ENOMEM;
}

int diff_build(const struct vmaset *old, const struct vmaset *new,
	       struct diff *d)
{
	struct builder b = { .d = d };
	int r;

	memset(d, 0, sizeof(*d));
	d->old = old;
	d->new = new;
	d->smaps = old->src.smaps && new->src.smaps;
	r = alloc_diff(d, old->n, new->n);
	if (!r)
		r = side_init(&b.o, old);
	if (!r)
		r = side_init(&b.n, new);
	if (!r) {
		walk(&b);
		for (size_t i = 0; i < d->n; i++)
			d->ch[i].kinds = kinds_of(d, &d->ch[i]);
		r = find_moves(d);
	}
	free(b.o.e);
	free(b.n.e);
	if (r) {
		diff_free(d);
		return r;
	}
	compact(d);
	totals(d);
	return 0;
}

void diff_free(struct diff *d)
{
	free(d->ch);
	free(d->oidx);
	free(d->nidx);
	memset(d, 0, sizeof(*d));
}
