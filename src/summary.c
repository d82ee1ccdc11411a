// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.c - rebuild the mm counters from the VMAs, reconcile them with
 * the kernel's, and total per class, per image and per hole.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

static bool is_stack_vma(const struct vma *v, bool flags_known)
{
	if (flags_known)
		return v->flags & VF_GROWSDOWN;
	return v->name == VN_STACK;
}

void summary_counters(const struct vmaset *s, bool stack_from_flags,
		      uint64_t r[MM_NCOUNTERS])
{
	memset(r, 0, MM_NCOUNTERS * sizeof(r[0]));
	for (size_t i = 0; i < s->n; i++) {
		const struct vma *v = &s->v[i];
		bool stack = is_stack_vma(v, stack_from_flags);
		bool w = v->perms & VP_WRITE, x = v->perms & VP_EXEC;

		if (!vma_in_mm(v))
			continue;
		r[MM_TOTAL_VM] += vma_size(v);
		r[MM_MAP_COUNT]++;
		if (w && !(v->perms & VP_SHARED) && !stack)
			r[MM_DATA_VM] += vma_size(v);
		if (x && !w && !stack)
			r[MM_EXEC_VM] += vma_size(v);
		if (stack)
			r[MM_STACK_VM] += vma_size(v);
	}
}

static void rebuild(const struct vmaset *s, struct summary *sum)
{
	uint64_t r[MM_NCOUNTERS];

	summary_counters(s, sum->stack_from_flags, r);
	for (unsigned int c = MM_TOTAL_VM; c <= MM_MAP_COUNT; c++) {
		sum->c[c].rebuilt = r[c];
		sum->c[c].has_rebuilt = true;
	}
}

static void take_kernel(const struct mm_kernel *k, struct summary *sum)
{
	for (unsigned int c = 0; c < MM_NCOUNTERS; c++)
		if (k->have >> c & 1) {
			sum->c[c].kernel = k->val[c];
			sum->c[c].has_kernel = true;
		}
}

/*
 * Per-region Pss is printed truncated to whole kB while the rollup sums
 * the exact values: allow 1 KiB per region.
 */
static void rollup(const struct vmaset *s, const struct mm_kernel *k,
		   struct summary *sum)
{
	static const unsigned int key[MR_NROLLUP] = { SM_RSS, SM_PSS, SM_SWAP };

	for (unsigned int r = 0; r < MR_NROLLUP; r++) {
		struct sum_counter *c = &sum->rollup[r];

		c->has_rebuilt = s->src.smaps;
		for (size_t i = 0; i < s->n && c->has_rebuilt; i++) {
			const struct vma_smaps *sm = vset_smaps(s, &s->v[i]);

			if (sm && vma_in_mm(&s->v[i]))
				c->rebuilt += sm->val[key[r]];
		}
		c->has_kernel = k && k->has_rollup;
		c->kernel = k ? k->rollup[r] : 0;
		c->tolerance = key[r] == SM_PSS ? 1024 * (uint64_t)s->n : 0;
	}
}

bool summary_match(const struct sum_counter *c)
{
	uint64_t d = c->kernel > c->rebuilt ? c->kernel - c->rebuilt
					    : c->rebuilt - c->kernel;

	return c->has_kernel && c->has_rebuilt && d <= c->tolerance;
}

unsigned int summary_mismatches(const struct summary *sum)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < MM_NCOUNTERS; c++)
		n += sum->c[c].has_kernel && sum->c[c].has_rebuilt &&
		     !summary_match(&sum->c[c]);
	for (unsigned int r = 0; r < MR_NROLLUP; r++)
		n += sum->rollup[r].has_kernel && sum->rollup[r].has_rebuilt &&
		     !summary_match(&sum->rollup[r]);
	return n;
}

bool summary_stack_from_flags(const struct vmaset *s)
{
	for (size_t i = 0; i < s->nsm; i++)
		if (!s->sm[i].has_vmflags)
			return false;
	return s->nsm > 0 && s->nsm == s->n;
}

/* The top of user space for a set: 32-bit, x86-64 4- or 5-level paging. */
static uint64_t summary_task_size(const struct vmaset *s)
{
	uint64_t top = 0;

	for (size_t i = 0; i < s->n; i++)
		if (vma_in_mm(&s->v[i]) && s->v[i].end > top)
			top = s->v[i].end;
	if (top <= UINT64_C(0xffffe000))
		return UINT64_C(0xffffe000);		/* 32-bit (x86 compat) */
	if (top <= UINT64_C(0x7ffffffff000))
		return UINT64_C(0x7ffffffff000);	/* 4-level paging */
	return UINT64_C(0xfffffffffff000);		/* 5-level paging */
}

/*
 * The holes of the mm (acct_holes(): in a torn set a region inside
 * another leaves none), the largest, and the space below and above it.
 * 0 or -ENOMEM.
 */
static int summary_gaps(const struct vmaset *s, struct sum_gaps *g)
{
	struct acct_hole *h;
	long n = acct_holes(s, &h);
	uint64_t top = 0;
	bool any = false;

	if (n < 0)
		return -ENOMEM;
	g->holes = (uint64_t)n;
	for (long i = 0; i < n; i++)
		if (h[i].end - h[i].start > g->largest)
			g->largest = h[i].end - h[i].start;
	free(h);
	g->task_size = summary_task_size(s);
	for (size_t i = 0; i < s->n; i++) {
		if (!vma_in_mm(&s->v[i]))
			continue;
		if (!any)
			g->below = s->v[i].start;
		top = any && top > s->v[i].end ? top : s->v[i].end;
		any = true;
	}
	if (any && top < g->task_size)
		g->above = g->task_size - top;
	return 0;
}

/* A region and the file it is accounted to (bss: the image before it). */
struct owned {
	const struct vma *owner, *v;
};

static int owned_cmp(const void *a, const void *b)
{
	const struct vma *x = ((const struct owned *)a)->owner;
	const struct vma *y = ((const struct owned *)b)->owner;

	return cmp_u64(x->path, y->path) ?: cmp_u64(x->inode, y->inode) ?:
	       cmp_u64(x->major, y->major) ?: cmp_u64(x->minor, y->minor);
}

static size_t collect_owned(const struct vmaset *s, struct owned *o)
{
	const struct vma *last_file = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct vma *v = &s->v[i];

		if (v->name == VN_FILE) {
			last_file = v;
			o[n++] = (struct owned){ v, v };
		} else if (v->cls == VC_BSS && last_file) {
			o[n++] = (struct owned){ last_file, v };
		}
	}
	qsort(o, n, sizeof(*o), owned_cmp);
	return n;
}

static enum sum_part part_of(const struct vma *v)
{
	switch (v->cls) {
	case VC_TEXT: return SP_TEXT;
	case VC_RODATA: return SP_RODATA;
	case VC_DATA: return SP_DATA;
	case VC_BSS: return SP_BSS;
	default: return SP_OTHER;
	}
}

static void add_owned(const struct vmaset *s, struct sum_image *im,
		      const struct vma *v)
{
	const struct vma_smaps *sm = vset_smaps(s, v);

	im->part[part_of(v)] += vma_size(v);
	im->total += vma_size(v);
	im->rss += sm ? sm->val[SM_RSS] : 0;
	im->regions++;
	im->image |= v->cls == VC_TEXT;
}

static int image_cmp(const void *a, const void *b)
{
	const struct sum_image *x = a, *y = b;

	return cmp_u64(y->total, x->total) ?:
	       cmp_u64(x->first->start, y->first->start);
}

static int summary_images(const struct vmaset *s, struct summary *out)
{
	struct owned *o = malloc((s->n ? s->n : 1) * sizeof(*o));
	size_t n, k = 0;

	out->images = calloc(s->n ? s->n : 1, sizeof(*out->images));
	if (!o || !out->images) {
		free(o);
		return -ENOMEM;
	}
	n = collect_owned(s, o);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || owned_cmp(&o[i - 1], &o[i]))
			out->images[k++].first = o[i].owner;
		add_owned(s, &out->images[k - 1], o[i].v);
	}
	free(o);
	out->nimages = k;
	qsort(out->images, k, sizeof(*out->images), image_cmp);
	return 0;
}

int summary_build(const struct vmaset *s, const struct mm_kernel *k,
		  struct summary *out)
{
	uint32_t *idx;
	long n;

	memset(out, 0, sizeof(*out));
	out->kernel = k;
	out->stack_from_flags = summary_stack_from_flags(s);
	rebuild(s, out);
	if (k)
		take_kernel(k, out);
	rollup(s, k, out);
	n = acct_select(s, (1u << VC_NCLASS) - 1, AS_START, &idx);
	if (n < 0)
		return -ENOMEM;
	acct_sum(s, idx, (size_t)n, &out->acct);
	free(idx);
	return summary_gaps(s, &out->gaps) ?: summary_images(s, out);
}

void summary_free(struct summary *sum)
{
	free(sum->images);
	sum->images = NULL;
	sum->nimages = 0;
}
