// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmaset.c - the model: region storage, string interning, the tree index.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmaset.h"

const struct sm_keyinfo sm_keys[SM_NKEYS] = {
	[SM_SIZE] = { "Size", NULL, true },	/* = end - start: "size" */
	[SM_KERNEL_PAGE_SIZE] = { "KernelPageSize", "kernel_page_size", true },
	[SM_MMU_PAGE_SIZE] = { "MMUPageSize", "mmu_page_size", true },
	[SM_RSS] = { "Rss", "rss", true },
	[SM_PSS] = { "Pss", "pss", true },
	[SM_PSS_DIRTY] = { "Pss_Dirty", "pss_dirty", true },
	[SM_PSS_ANON] = { "Pss_Anon", "pss_anon", true },
	[SM_PSS_FILE] = { "Pss_File", "pss_file", true },
	[SM_PSS_SHMEM] = { "Pss_Shmem", "pss_shmem", true },
	[SM_SHARED_CLEAN] = { "Shared_Clean", "shared_clean", true },
	[SM_SHARED_DIRTY] = { "Shared_Dirty", "shared_dirty", true },
	[SM_PRIVATE_CLEAN] = { "Private_Clean", "private_clean", true },
	[SM_PRIVATE_DIRTY] = { "Private_Dirty", "private_dirty", true },
	[SM_REFERENCED] = { "Referenced", "referenced", true },
	[SM_ANONYMOUS] = { "Anonymous", "anonymous", true },
	[SM_KSM] = { "KSM", "ksm", true },
	[SM_LAZYFREE] = { "LazyFree", "lazy_free", true },
	[SM_ANON_HUGE] = { "AnonHugePages", "anon_huge_pages", true },
	[SM_SHMEM_PMD] = { "ShmemPmdMapped", "shmem_pmd_mapped", true },
	[SM_FILE_PMD] = { "FilePmdMapped", "file_pmd_mapped", true },
	[SM_SHARED_HUGETLB] = { "Shared_Hugetlb", "shared_hugetlb", true },
	[SM_PRIVATE_HUGETLB] = { "Private_Hugetlb", "private_hugetlb", true },
	[SM_SWAP] = { "Swap", "swap", true },
	[SM_SWAP_PSS] = { "SwapPss", "swap_pss", true },
	[SM_LOCKED] = { "Locked", "locked", true },
	[SM_THP_ELIGIBLE] = { "THPeligible", "thp_eligible", false },
	[SM_PROTECTION_KEY] = { "ProtectionKey", "protection_key", false },
};

/* fs/proc/task_mmu.c: show_smap_vma_flags(), in bit order. */
const struct vmflag_info vmflag_table[] = {
	{ "rd", "READ" }, { "wr", "WRITE" }, { "ex", "EXEC" },
	{ "sh", "SHARED" }, { "mr", "MAYREAD" }, { "mw", "MAYWRITE" },
	{ "me", "MAYEXEC" }, { "ms", "MAYSHARE" }, { "gd", "GROWSDOWN" },
	{ "pf", "PFNMAP" }, { "lo", "LOCKED" }, { "io", "IO" },
	{ "sr", "SEQ_READ" }, { "rr", "RAND_READ" }, { "dc", "DONTCOPY" },
	{ "de", "DONTEXPAND" }, { "lf", "LOCKONFAULT" }, { "ac", "ACCOUNT" },
	{ "nr", "NORESERVE" }, { "ht", "HUGETLB" }, { "sf", "SYNC" },
	{ "ar", "ARCH_1" }, { "wf", "WIPEONFORK" }, { "dd", "DONTDUMP" },
	{ "bt", "ARM64_BTI" }, { "sd", "SOFTDIRTY" }, { "mm", "MIXEDMAP" },
	{ "hg", "HUGEPAGE" }, { "nh", "NOHUGEPAGE" }, { "mg", "MERGEABLE" },
	{ "um", "UFFD_MISSING" }, { "uw", "UFFD_WP" }, { "mt", "MTE" },
	{ "ui", "UFFD_MINOR" }, { "ss", "SHADOW_STACK" }, { "dp", "DROPPABLE" },
	{ "sl", "SEALED" }, { "dw", "DENYWRITE" }, { "nl", "NONLINEAR" },
	{ "mp", "MPX" }, { "pk", "PKEY_BIT" },
};
const unsigned int vmflag_count = sizeof(vmflag_table) / sizeof(vmflag_table[0]);

/* A class name and its length (a macro: the initializer needs constants). */
#define CLASS_NAME(s) { s, sizeof(s) - 1 }

const struct vma_class_info vma_classes[VC_NCLASS + 1] = {
	CLASS_NAME("text"), CLASS_NAME("rodata"), CLASS_NAME("data"),
	CLASS_NAME("bss"), CLASS_NAME("heap"), CLASS_NAME("stack"),
	CLASS_NAME("anon"), CLASS_NAME("shared"), CLASS_NAME("file"),
	CLASS_NAME("guard"), CLASS_NAME("kernel"),
	[VC_NCLASS] = CLASS_NAME("?"),
};

int vma_class_from_name(const char *name, size_t len)
{
	char w[VMA_CLASS_ROOM] = { 0 };

	if (len >= VMA_CLASS_ROOM)	/* no name is that long */
		return -1;
	memcpy(w, name, len);	/* NUL-padded as the names are: one word */
	for (unsigned int i = 0; i < VC_NCLASS; i++)
		if (vma_classes[i].len == len &&
		    !memcmp(vma_classes[i].name, w, VMA_CLASS_ROOM))
			return (int)i;
	return -1;
}

void vset_init(struct vmaset *s)
{
	memset(s, 0, sizeof(*s));
	vtree_init(&s->tree);
}

void vset_free(struct vmaset *s)
{
	free(s->v);
	free(s->sm);
	free(s->extras);
	free(s->pool);
	free(s->hash);
	free(s->nodes);
	free(s->ixkeys);
	vset_init(s);
}

void vset_clear(struct vmaset *s)
{
	s->n = s->nsm = s->nextras = 0;
	s->torn = s->jumbled = s->ordered = false;
	vtree_init(&s->tree);
}

/* Grow *@p to hold at least @need elements of @size bytes. */
static int grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*(void **)p, ncap * size);
	if (!np)
		return -ENOMEM;
	*(void **)p = np;
	*cap = ncap;
	return 0;
}

static uint32_t hash_bytes(const char *p, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static bool pool_equal(const struct vmaset *s, uint32_t off,
		       const char *p, size_t len)
{
	return vset_strlen(s, off) == len && !memcmp(s->pool + off, p, len);
}

static int hash_grow(struct vmaset *s)
{
	size_t ncap = s->hashcap ? s->hashcap * 2 : 256;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (!nh)
		return -ENOMEM;
	for (size_t i = 0; i < s->hashcap; i++) {
		uint32_t off = s->hash[i];
		size_t j;

		if (!off)
			continue;
		j = hash_bytes(s->pool + off, vset_strlen(s, off)) & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = off;
	}
	free(s->hash);
	s->hash = nh;
	s->hashcap = ncap;
	return 0;
}

static uint32_t pool_append(struct vmaset *s, const char *p, size_t len)
{
	uint32_t l32 = (uint32_t)len, off;

	if (len > UINT32_MAX - 8 || s->poollen + len + 5 > UINT32_MAX ||
	    grow(&s->pool, &s->poolcap, s->poollen + len + 5, 1)) {
		errno = ENOMEM;
		return 0;
	}
	memcpy(s->pool + s->poollen, &l32, 4);
	off = (uint32_t)s->poollen + 4;
	memcpy(s->pool + off, p, len);
	s->pool[off + len] = '\0';
	s->poollen = off + len + 1;
	return off;
}

uint32_t vset_intern(struct vmaset *s, const char *p, size_t len)
{
	size_t j;
	uint32_t off;

	if ((s->hashn + 1) * 2 > s->hashcap && hash_grow(s)) {
		errno = ENOMEM;
		return 0;
	}
	j = hash_bytes(p, len) & (s->hashcap - 1);
	for (; s->hash[j]; j = (j + 1) & (s->hashcap - 1))
		if (pool_equal(s, s->hash[j], p, len))
			return s->hash[j];
	off = pool_append(s, p, len);
	if (off) {
		s->hash[j] = off;
		s->hashn++;
	}
	return off;
}

struct vma *vset_add(struct vmaset *s, const struct vma *v)
{
	if (grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)))
		return NULL;
	if (s->n && v->start < s->v[s->n - 1].end)
		s->jumbled = true;
	s->v[s->n] = *v;
	s->ordered = false;
	return &s->v[s->n++];
}

struct vma_smaps *vset_add_smaps(struct vmaset *s, struct vma *v)
{
	struct vma_smaps *sm;

	if (grow(&s->sm, &s->smcap, s->nsm + 1, sizeof(*s->sm)))
		return NULL;
	sm = &s->sm[s->nsm];
	memset(sm, 0, sizeof(*sm));
	sm->extra = (uint32_t)s->nextras;
	v->smaps = (uint32_t)s->nsm++;
	v->flags |= VF_SMAPS;
	return sm;
}

int vset_add_extra(struct vmaset *s, struct vma_smaps *sm,
		   const struct sm_extra *x)
{
	if (grow(&s->extras, &s->extracap, s->nextras + 1, sizeof(*x)))
		return -ENOMEM;
	s->extras[s->nextras++] = *x;
	sm->nextra++;
	return 0;
}

const char *const vma_json_keys[] = {
	"start", "end", "size", "perms", "offset", "dev", "inode", "path",
	"path_hex", "deleted", "class", "tid", "vm_flags",
};
const unsigned int vma_json_nkeys = sizeof(vma_json_keys) /
				    sizeof(vma_json_keys[0]);

size_t sm_json_name(const char *k, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = k[i];
		bool up = c >= 'A' && c <= 'Z';
		bool prev_low = i && ((k[i - 1] >= 'a' && k[i - 1] <= 'z') ||
				      (k[i - 1] >= '0' && k[i - 1] <= '9'));

		if (up && prev_low)
			out[n++] = '_';
		out[n++] = up ? (char)(c - 'A' + 'a') : c;
	}
	return n;
}

/* @a (@alen bytes) is @b, or @b then "_hex" (the KEY_hex of a text). */
static bool name_or_hex(const char *a, size_t alen, const char *b,
			size_t blen)
{
	return (alen == blen || (alen == blen + 4 &&
				 !memcmp(a + blen, "_hex", 4))) &&
	       !memcmp(a, b, blen);
}

static bool names_clash(const char *a, size_t alen, const char *b,
			size_t blen)
{
	return name_or_hex(a, alen, b, blen) || name_or_hex(b, blen, a, alen);
}

static bool name_is(const char *name, size_t len, const char *key)
{
	return key && strlen(key) == len && !memcmp(name, key, len);
}

/* The JSON name @name (@len bytes) is a region field or a known counter. */
static bool fixed_clash(const char *name, size_t len)
{
	for (unsigned int i = 0; i < vma_json_nkeys; i++)
		if (name_is(name, len, vma_json_keys[i]))
			return true;
	for (unsigned int i = 0; i < SM_NKEYS; i++)
		if (name_is(name, len, sm_keys[i].json))
			return true;
	return false;
}

int vset_extra_clash(const struct vmaset *s, const struct vma_smaps *sm,
		     const char *k, size_t len)
{
	char *name, *other = NULL;
	size_t n;
	int r;

	if (sm->nextra >= VSET_MAX_EXTRAS)
		return -E2BIG;
	name = malloc(2 * len + 1);
	n = name ? sm_json_name(k, len, name) : 0;
	r = !name ? -ENOMEM : fixed_clash(name, n);

	for (uint32_t i = 0; r == 0 && i < sm->nextra; i++) {
		uint32_t key = s->extras[sm->extra + i].key;
		uint32_t klen = vset_strlen(s, key);
		char *p = realloc(other, 2 * (size_t)klen + 1);

		if (!p) {
			r = -ENOMEM;
			break;
		}
		other = p;
		r = names_clash(name, n, other,
				sm_json_name(vset_str(s, key), klen, other));
	}
	free(name);
	free(other);
	return r;
}

size_t vset_disorder(const struct vmaset *s)
{
	size_t bad = 0;

	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].start < s->v[i - 1].end)
			bad++;
	return bad;
}

/* *@a += @b; false when the sum does not fit. */
static bool add_u64(uint64_t *a, uint64_t b)
{
	return !__builtin_add_overflow(*a, b, a);
}

size_t vset_sum_overflow(const struct vmaset *s)
{
	uint64_t size = 0, rss = 0, pss = 0, swap = 0, dirty = 0;

	/* Regions added in order, none overlapping, lie apart in [0, 2^64):
	 * their sizes add up to less than 2^64. */
	if (!s->jumbled && !s->nsm)
		return SIZE_MAX;
	for (size_t i = 0; i < s->n; i++) {
		const struct vma_smaps *sm = vset_smaps(s, &s->v[i]);
		bool ok = add_u64(&size, vma_size(&s->v[i]));

		if (ok && sm)
			ok = add_u64(&rss, sm->val[SM_RSS]) &&
			     add_u64(&pss, sm->val[SM_PSS]) &&
			     add_u64(&swap, sm->val[SM_SWAP]) &&
			     add_u64(&dirty, sm->val[SM_SHARED_DIRTY]) &&
			     add_u64(&dirty, sm->val[SM_PRIVATE_DIRTY]);
		if (!ok)
			return i;
	}
	return SIZE_MAX;
}

static int vma_cmp(const void *a, const void *b)
{
	const struct vma *x = a, *y = b;

	return cmp_u64(x->start, y->start) ?: cmp_u64(x->end, y->end) ?:
	       cmp_u64(x->line, y->line);
}

static bool sorted_by_start(const struct vmaset *s)
{
	for (size_t i = 1; i < s->n; i++)
		if (vma_cmp(&s->v[i - 1], &s->v[i]) > 0)
			return false;
	return true;
}

/* In order with none overlapping (and so sorted by start, then end). */
static bool disjoint(const struct vmaset *s)
{
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].start < s->v[i - 1].end)
			return false;
	return true;
}

void vset_sort(struct vmaset *s)
{
	if (s->jumbled && !sorted_by_start(s))
		qsort(s->v, s->n, sizeof(*s->v), vma_cmp);
	s->ordered = !s->jumbled || disjoint(s);
	s->jumbled = !s->ordered;
}

const struct vma *vset_bsearch(const struct vmaset *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < s->n ? &s->v[lo] : NULL;
}

int vset_index(struct vmaset *s)
{
	struct vtree_node *nodes;

	vset_sort(s);
	nodes = realloc(s->nodes, (s->n ? s->n : 1) * sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	s->nodes = nodes;
	for (size_t i = 0; i < s->n; i++) {
		nodes[i].start = s->v[i].start;
		nodes[i].end = s->v[i].end;
	}
	vtree_build_sorted(&s->tree, nodes, s->n);
	return 0;
}

int vset_index_fast(struct vmaset *s)
{
	size_t need = vtree_index_slots(s->n);
	void *keys;

	if (need > s->ixcap) {
		if (posix_memalign(&keys, 64, need * sizeof(*s->ixkeys)))
			return -ENOMEM;
		free(s->ixkeys);
		s->ixkeys = keys;
		s->ixcap = need;
	}
	return vtree_index(&s->tree, s->ixkeys);
}

