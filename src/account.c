// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * account.c - selection, ordering and per-class totals.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"

int acct_parse_classes(const char *list, uint32_t *mask, struct err *e)
{
	const char *p = list;

	*mask = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		int c = vma_class_from_name(p, len);

		if (c < 0)
			return err_set(e, -EINVAL, "unknown class '%.*s' (known: "
				       "text, rodata, data, bss, heap, stack, "
				       "anon, shared, file, guard, kernel)",
				       (int)(len > 40 ? 40 : len), p);
		*mask |= 1u << c;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int acct_parse_sort(const char *key, enum acct_sort *out, struct err *e)
{
	static const char *const names[] = { "start", "size", "rss" };

	for (unsigned int i = 0; i < 3; i++)
		if (!strcmp(key, names[i])) {
			*out = (enum acct_sort)i;
			return 0;
		}
	return err_set(e, -EINVAL, "unknown sort key '%.40s' (start, size, "
		       "rss)", key);
}

uint64_t acct_dirty(const struct vma_smaps *sm)
{
	return sm ? sm->val[SM_SHARED_DIRTY] + sm->val[SM_PRIVATE_DIRTY] : 0;
}

static uint64_t sort_value(const struct vmaset *s, uint32_t i,
			   enum acct_sort key)
{
	const struct vma_smaps *sm;

	if (key == AS_SIZE)
		return vma_size(&s->v[i]);
	sm = vset_smaps(s, &s->v[i]);
	return sm ? sm->val[SM_RSS] : 0;
}

/* Descending by value, then ascending by index (= by start). */
struct keyed {
	uint64_t value;
	uint32_t idx;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return cmp_u64(y->value, x->value) ?: cmp_u64(x->idx, y->idx);
}

static int sort_desc(const struct vmaset *s, uint32_t *idx, size_t n,
		     enum acct_sort key)
{
	struct keyed *k = malloc((n ? n : 1) * sizeof(*k));

	if (!k)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		k[i].idx = idx[i];
		k[i].value = sort_value(s, idx[i], key);
	}
	qsort(k, n, sizeof(*k), keyed_cmp);
	for (size_t i = 0; i < n; i++)
		idx[i] = k[i].idx;
	free(k);
	return 0;
}

long acct_select(const struct vmaset *s, uint32_t mask, enum acct_sort key,
		 uint32_t **idx)
{
	uint32_t *out = malloc((s->n ? s->n : 1) * sizeof(*out));
	size_t n = 0;

	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		if (mask & (1u << s->v[i].cls))
			out[n++] = (uint32_t)i;
	if (key != AS_START && sort_desc(s, out, n, key)) {
		free(out);
		return -ENOMEM;
	}
	*idx = out;
	return (long)n;
}

void acct_add_row(struct acct_row *r, const struct vma *v,
		  const struct vma_smaps *sm)
{
	r->count++;
	r->size += vma_size(v);
	if (!sm)
		return;
	r->rss += sm->val[SM_RSS];
	r->pss += sm->val[SM_PSS];
	r->dirty += acct_dirty(sm);
	r->swap += sm->val[SM_SWAP];
}

static void sum_one(struct acct *a, const struct vmaset *s,
		    const struct vma *v)
{
	const struct vma_smaps *sm = vset_smaps(s, v);

	acct_add_row(&a->cls[v->cls], v, sm);
	acct_add_row(&a->total, v, sm);
}

void acct_sum(const struct vmaset *s, const uint32_t *idx, size_t n,
	      struct acct *a)
{
	memset(a, 0, sizeof(*a));
	a->smaps = s->src.smaps;
	for (size_t i = 0; i < n; i++)
		sum_one(a, s, &s->v[idx[i]]);
}

void acct_sum_all(const struct vmaset *s, struct acct *a)
{
	memset(a, 0, sizeof(*a));
	a->smaps = s->src.smaps;
	for (size_t i = 0; i < s->n; i++)
		sum_one(a, s, &s->v[i]);
}

long acct_holes(const struct vmaset *s, struct acct_hole **out)
{
	struct acct_hole *h = malloc((s->n ? s->n : 1) * sizeof(*h));
	const struct vma *prev = NULL;
	long n = 0;

	if (!h)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		const struct vma *v = &s->v[i];

		if (!vma_in_mm(v))
			continue;
		if (prev && v->start > prev->end)
			h[n++] = (struct acct_hole){ prev->end, v->start };
		if (!prev || v->end > prev->end)
			prev = v;
	}
	*out = h;
	return n;
}
