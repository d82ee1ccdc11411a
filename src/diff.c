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

/*
 * The regions of one side grouped by (identity, base) with a hash table:
 * each group is a chain in address order (the set is in address order).
 */
struct side {
	const struct vmaset *s;
	uint64_t *key;		/* per region: hash of identity and base */
	uint32_t *next;		/* per region: next of its group, or NONE */
	uint32_t *head;		/* per slot: first region of a group */
	uint32_t *tail;		/* per slot: last region of that group */
	uint8_t *used;		/* per slot: group matched already */
	size_t mask;		/* slots - 1 (a power of two) */
};

enum { NONE = UINT32_MAX };

static uint64_t base_of(const struct vma *v)
{
	return id_kind(v) == ID_FILE ? v->start - v->offset : 0;
}

static uint64_t group_key(const struct vmaset *s, const struct vma *v)
{
	uint64_t b = base_of(v);

	return fnv1a(id_hash(s, v), &b, sizeof(b));
}

static bool same_group(const struct vmaset *a, const struct vma *x,
		       const struct vmaset *b, const struct vma *y)
{
	return base_of(x) == base_of(y) && !cmp_id(a, x, b, y);
}

/* The slot of the group of region @y of set @b (with key @k) in @sd:
 * its own, or the empty one where it would go. */
static size_t find_slot(const struct side *sd, uint64_t k,
			const struct vmaset *b, const struct vma *y)
{
	size_t i = k & sd->mask;

	while (sd->head[i] != NONE &&
	       (sd->key[sd->head[i]] != k ||
		!same_group(sd->s, &sd->s->v[sd->head[i]], b, y)))
		i = (i + 1) & sd->mask;
	return i;
}

static void side_free(struct side *sd)
{
	free(sd->key);
	free(sd->next);
	free(sd->head);
	free(sd->tail);
	free(sd->used);
}

/* Room for the regions of @s, @loose of them to be grouped. */
static int side_alloc(struct side *sd, const struct vmaset *s, size_t loose)
{
	size_t slots = 16;

	while (slots < 2 * loose)
		slots <<= 1;
	sd->s = s;
	sd->mask = slots - 1;
	sd->key = malloc((s->n + 1) * sizeof(*sd->key));
	sd->next = malloc((s->n + 1) * sizeof(*sd->next));
	sd->head = malloc(slots * sizeof(*sd->head));
	sd->tail = malloc(slots * sizeof(*sd->tail));
	sd->used = calloc(slots, 1);
	if (!sd->key || !sd->next || !sd->head || !sd->tail || !sd->used)
		return -ENOMEM;
	memset(sd->head, 0xff, slots * sizeof(*sd->head));
	return 0;
}

/* Group the regions of @s not paired already (@paired[i] set). */
static int side_init(struct side *sd, const struct vmaset *s,
		     const uint8_t *paired, size_t npaired)
{
	int r = side_alloc(sd, s, s->n - npaired);

	for (uint32_t i = 0; !r && i < s->n; i++) {
		const struct vma *v = &s->v[i];
		size_t slot;

		if (paired[i])
			continue;
		sd->key[i] = group_key(s, v);
		sd->next[i] = NONE;
		slot = find_slot(sd, sd->key[i], s, v);
		if (sd->head[slot] == NONE)
			sd->head[slot] = i;
		else
			sd->next[sd->tail[slot]] = i;
		sd->tail[slot] = i;
	}
	return r;
}

/* ------------------------------------------------------------ matching */

struct builder {
	struct diff *d;
	struct side o, n;
	uint32_t no, nn;	/* used entries of d->oidx, d->nidx */
	uint8_t *opaired, *npaired;	/* per region: in a change already */
};

static struct diff_change *new_change(struct builder *b)
{
	struct diff_change *c = &b->d->ch[b->d->n++];

	*c = (struct diff_change){ .old_at = b->no, .new_at = b->nn };
	return c;
}

/* Move region *@i (old or new) into change @c; *@i becomes the next of
 * its group.  Returns the region's end. */
static uint64_t take(struct builder *b, struct diff_change *c, bool old,
		     uint32_t *i)
{
	const struct side *sd = old ? &b->o : &b->n;
	uint32_t idx = *i;

	*i = sd->next[idx];
	if (old) {
		b->d->oidx[b->no++] = idx;
		c->old_n++;
	} else {
		b->d->nidx[b->nn++] = idx;
		c->new_n++;
	}
	return sd->s->v[idx].end;
}

/* One group: chains from old @i and new @j, each by start; overlapping
 * regions join one change. */
static void match_group(struct builder *b, uint32_t i, uint32_t j)
{
	while (i != NONE || j != NONE) {
		struct diff_change *c = new_change(b);
		uint64_t end = 0;

		for (;;) {
			uint64_t os = i != NONE ? b->o.s->v[i].start : 0;
			uint64_t ns = j != NONE ? b->n.s->v[j].start : 0;
			bool old = i != NONE && (j == NONE || os <= ns);
			uint64_t e;

			if ((!old && j == NONE) ||
			    (c->old_n + c->new_n && (old ? os : ns) >= end))
				break;
			e = take(b, c, old, old ? &i : &j);
			end = e > end ? e : end;
		}
	}
}

/* Each side in address order without overlaps (what pairing needs). */
static bool ordered(const struct vmaset *s)
{
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].start < s->v[i - 1].end)
			return false;
	return true;
}

/*
 * The quick pass: an old and a new region with the same bounds and the
 * same identity are one change of their own, the one the grouping below
 * would make (no other region of either side can overlap them).  Most
 * regions of two reads of one process are such pairs, so the hash
 * grouping is left with the few others.  Needs ordered sides.
 */
static void pair_same(struct builder *b)
{
	const struct vmaset *o = b->d->old, *n = b->d->new;
	size_t i = 0, j = 0;

	if (!ordered(o) || !ordered(n))
		return;
	while (i < o->n && j < n->n) {
		const struct vma *x = &o->v[i], *y = &n->v[j];
		struct diff_change *c;

		if (x->start != y->start || x->end != y->end ||
		    !same_group(o, x, n, y)) {
			i += x->start <= y->start;
			j += y->start <= x->start;
			continue;
		}
		c = new_change(b);
		b->d->oidx[b->no++] = (uint32_t)i;
		b->d->nidx[b->nn++] = (uint32_t)j;
		c->old_n = c->new_n = 1;
		b->opaired[i++] = b->npaired[j++] = 1;
	}
}

/* Every group of the old side with its new counterpart, then the groups
 * only the new side has. */
static void walk(struct builder *b)
{
	const struct vmaset *o = b->o.s;

	for (size_t k = 0; k <= b->o.mask; k++) {
		uint32_t i = b->o.head[k];
		size_t sn;

		if (i == NONE)
			continue;
		sn = find_slot(&b->n, b->o.key[i], o, &o->v[i]);
		b->n.used[sn] = 1;
		match_group(b, i, b->n.head[sn]);
	}
	for (size_t k = 0; k <= b->n.mask; k++)
		if (b->n.head[k] != NONE && !b->n.used[k])
			match_group(b, NONE, b->n.head[k]);
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

/* A region paired with one of the same bounds: perms and memory only. */
static uint32_t pair_kinds(const struct diff *d, const struct diff_change *c)
{
	const struct vma *x = diff_region(d, c, false, 0);
	const struct vma *y = diff_region(d, c, true, 0);
	const struct vma_smaps *sx = vset_smaps(d->old, x);
	const struct vma_smaps *sy = vset_smaps(d->new, y);
	uint32_t k = x->perms != y->perms ? bit(DK_PERMS) : 0;

	if (sx && sy && (sx->val[SM_RSS] != sy->val[SM_RSS] ||
			 sx->val[SM_SWAP] != sy->val[SM_SWAP]))
		k |= bit(DK_MEMORY);
	return k;
}

static uint32_t kinds_of(const struct diff *d, const struct diff_change *c)
{
	struct diff_side o, n;
	uint32_t k;

	if (c->old_n == 1 && c->new_n == 1 &&
	    diff_region(d, c, false, 0)->start ==
	    diff_region(d, c, true, 0)->start &&
	    diff_region(d, c, false, 0)->end == diff_region(d, c, true, 0)->end)
		return pair_kinds(d, c);
	if (!c->new_n)
		return c->old_n ? bit(DK_REMOVED) : 0;
	if (!c->old_n)
		return bit(DK_ADDED);
	diff_side_sum(d, c, false, &o);
	diff_side_sum(d, c, true, &n);
	k = shape_kinds(d, c, &o, &n);
	if (perms_changed(d, c))
		k |= bit(DK_PERMS);
	/* PSS alone changes whenever another process maps or unmaps the
	 * same pages: not a change of this process. */
	if (o.smaps && n.smaps && (o.rss != n.rss || o.swap != n.swap))
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
	d->ch[a].new_n = 0;	/* now empty: dropped by order() */
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

/* Per region of each side, the change it is in. */
struct owners {
	uint32_t *o, *n;
};

static int owners_of(const struct diff *d, struct owners *w)
{
	w->o = malloc((d->old->n + 1) * sizeof(*w->o));
	w->n = malloc((d->new->n + 1) * sizeof(*w->n));
	if (!w->o || !w->n)
		return -ENOMEM;
	for (uint32_t k = 0; k < d->n; k++) {
		const struct diff_change *c = &d->ch[k];

		for (uint32_t i = 0; i < c->old_n; i++)
			w->o[d->oidx[c->old_at + i]] = k;
		for (uint32_t i = 0; i < c->new_n; i++)
			w->n[d->nidx[c->new_at + i]] = k;
	}
	return 0;
}

/* Next old region from @i that starts a change with no new side. */
static uint32_t next_removed(const struct diff *d, const uint32_t *own,
			     uint32_t i)
{
	for (; i < d->old->n; i++) {
		const struct diff_change *c = &d->ch[own[i]];

		if (!c->new_n && d->oidx[c->old_at] == i)
			return i;
	}
	return i;
}

/* Next new region from @j that is the first of its change's new side. */
static uint32_t next_first_new(const struct diff *d, const uint32_t *own,
			       uint32_t j)
{
	for (; j < d->new->n; j++)
		if (d->nidx[d->ch[own[j]].new_at] == j)
			return j;
	return j;
}

/*
 * Put the changes in address order (of their first new region; a removed
 * one at its old place, before a change starting at the same address) by
 * merging the two sides' address orders; drops the changes pair_move()
 * emptied and counts the rest.
 */
static int order(struct diff *d)
{
	struct owners w;
	struct diff_change *out = malloc((d->n + 1) * sizeof(*out));
	uint32_t i = 0, j = 0;
	size_t m = 0;
	int r = owners_of(d, &w);

	for (; !r && out; m++) {
		i = next_removed(d, w.o, i);
		j = next_first_new(d, w.n, j);
		if (i == d->old->n && j == d->new->n)
			break;
		if (j == d->new->n || (i < d->old->n &&
		    d->old->v[i].start <= d->new->v[j].start))
			out[m] = d->ch[w.o[i++]];
		else
			out[m] = d->ch[w.n[j++]];
		d->changed += out[m].kinds != 0;
	}
	free(w.o);
	free(w.n);
	if (r || !out) {
		free(out);
		return -ENOMEM;
	}
	free(d->ch);
	d->ch = out;
	d->n = m;
	return 0;
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

void diff_totals(struct diff *d)
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
	b.opaired = calloc(old->n + 1, 1);
	b.npaired = calloc(new->n + 1, 1);
	if (!b.opaired || !b.npaired)
		r = -ENOMEM;
	if (!r) {
		pair_same(&b);
		r = side_init(&b.o, old, b.opaired, b.no);
	}
	if (!r)
		r = side_init(&b.n, new, b.npaired, b.nn);
	if (!r) {
		walk(&b);
		for (size_t i = 0; i < d->n; i++)
			d->ch[i].kinds = kinds_of(d, &d->ch[i]);
		r = find_moves(d);
	}
	side_free(&b.o);
	side_free(&b.n);
	free(b.opaired);
	free(b.npaired);
	if (!r)
		r = order(d);
	if (r) {
		diff_free(d);
		return r;
	}
	return 0;
}

void diff_free(struct diff *d)
{
	free(d->ch);
	free(d->oidx);
	free(d->nidx);
	memset(d, 0, sizeof(*d));
}
