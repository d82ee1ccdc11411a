/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmaset.h - the model: one address space as a set of regions (struct vma),
 * their smaps counters, an interned string pool and the interval tree.
 *
 * A vmaset owns all of its memory; vset_free() releases it.  Strings are
 * raw bytes exactly as read (the kernel's \012 already decoded to '\n');
 * renderers escape them for their medium.  The model never prints.
 */
#ifndef VMAMAP_VMASET_H
#define VMAMAP_VMASET_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vtree.h"

enum vma_class {
	VC_TEXT, VC_RODATA, VC_DATA, VC_BSS, VC_HEAP, VC_STACK, VC_ANON,
	VC_SHARED, VC_FILE, VC_GUARD, VC_KERNEL,
	VC_NCLASS
};

enum vma_perm {
	VP_READ = 1, VP_WRITE = 2, VP_EXEC = 4, VP_SHARED = 8,
};

/* What the name field of a maps line is. */
enum vma_name {
	VN_NONE,	/* anonymous, no name */
	VN_FILE,	/* a path from d_path (starts with '/') */
	VN_HEAP, VN_STACK, VN_STACK_TID, VN_VDSO, VN_VVAR, VN_VVAR_VCLOCK,
	VN_VSYSCALL, VN_UPROBES,
	VN_ANON,	/* [anon:NAME] */
	VN_ANON_SHMEM,	/* [anon_shmem:NAME] */
	VN_ANON_INODE,	/* anon_inode:... */
	VN_OTHER,	/* any other text (unknown [..] names, dma-buf, ...) */
};

enum vma_flags {
	VF_DELETED = 1,	/* " (deleted)" followed the path */
	VF_SMAPS = 2,	/* smaps counters present (vset_smaps() != NULL) */
	VF_GROWSDOWN = 4,	/* its VmFlags have gd (vset_vmflags_read()) */
};

/* smaps keys the kernel prints, in its order; others are kept as extras. */
enum sm_key {
	SM_SIZE, SM_KERNEL_PAGE_SIZE, SM_MMU_PAGE_SIZE, SM_RSS, SM_PSS,
	SM_PSS_DIRTY, SM_PSS_ANON, SM_PSS_FILE, SM_PSS_SHMEM,
	SM_SHARED_CLEAN, SM_SHARED_DIRTY, SM_PRIVATE_CLEAN, SM_PRIVATE_DIRTY,
	SM_REFERENCED, SM_ANONYMOUS, SM_KSM, SM_LAZYFREE, SM_ANON_HUGE,
	SM_SHMEM_PMD, SM_FILE_PMD, SM_SHARED_HUGETLB, SM_PRIVATE_HUGETLB,
	SM_SWAP, SM_SWAP_PSS, SM_LOCKED, SM_THP_ELIGIBLE, SM_PROTECTION_KEY,
	SM_NKEYS
};

struct sm_keyinfo {
	const char *kernel;	/* as printed: "Pss_Dirty" */
	const char *json;	/* snake_case: "pss_dirty"; NULL: not exported */
	bool kb;		/* value in kB (stored in bytes) */
};

/* Table of the known keys, indexed by enum sm_key. */
extern const struct sm_keyinfo sm_keys[SM_NKEYS];

/* VmFlags two-letter codes, in the kernel's bit order. */
struct vmflag_info {
	char code[3];
	const char *name;	/* the kernel's VM_* name without "VM_" */
};
extern const struct vmflag_info vmflag_table[];
/* Indexes into vmflag_table of the flags vmamap itself looks at. */
enum { VMFLAG_GROWSDOWN = 8, VMFLAG_LOCKED = 10 };
extern const unsigned int vmflag_count;

/* An smaps key the parser did not know: kept, not fatal. */
struct sm_extra {
	uint32_t key;		/* pool offset of the key as printed */
	uint32_t raw;		/* pool offset of the value text when !numeric */
	uint64_t value;		/* bytes when kb, else the number */
	bool kb, numeric;
};

struct vma_smaps {
	uint64_t val[SM_NKEYS];
	uint32_t have;		/* bit (1 << key) set when the key was read */
	uint64_t vmflags;	/* bit i = vmflag_table[i] */
	uint32_t vmf_unknown;	/* pool offset of unknown codes, 0 = none */
	uint32_t extra, nextra;	/* slice of vmaset.extras */
	bool has_vmflags;	/* a VmFlags: line was read (may be empty) */
};

#define VMA_NO_SMAPS UINT32_MAX

struct vma {
	uint64_t start, end;	/* [start, end) */
	uint64_t offset;	/* file offset in bytes */
	uint64_t inode;
	uint32_t major, minor;
	uint32_t path, path_len;/* pool offset and length; path 0 = no name */
	uint32_t smaps;		/* index into vmaset.smaps or VMA_NO_SMAPS */
	uint32_t line;		/* line number in the source text */
	uint8_t perms;		/* enum vma_perm bits */
	uint8_t flags;		/* enum vma_flags bits */
	uint8_t name;		/* enum vma_name */
	uint8_t cls;		/* enum vma_class, set by class_assign() */
	uint32_t tid;		/* thread whose stack this is, 0 = none known */
};

/* A thread's stack pointer, from ROOT/PID/task/TID/syscall. */
struct vma_thread_sp {
	uint32_t tid;
	uint64_t sp;
};

enum vset_kind { VS_NONE, VS_PID, VS_FILE };

/* Where the set came from; strings owned by the set (pool offsets). */
struct vset_source {
	enum vset_kind kind;
	pid_t pid;
	uint32_t comm, cmdline;	/* pool offsets (raw bytes), 0 = unknown */
	uint32_t file;		/* pool offset of the file name, or of "-" */
	uint32_t proc_root;	/* pool offset */
	int64_t captured_at;	/* unix time, 0 = unknown */
	uint32_t snapshot;	/* pool offset of the JSON snapshot file the
				 * set was loaded from; 0 = read from its
				 * source (live /proc or a maps/smaps copy) */
	bool smaps;		/* the text read was smaps */
	int smaps_errno;	/* smaps was asked for but could not be
				 * opened (EACCES, ENOENT): maps was read */
	bool cmdline_truncated;
};

struct vmaset {
	struct vma *v;
	size_t n, cap;
	struct vma_smaps *sm;
	size_t nsm, smcap;
	struct sm_extra *extras;
	size_t nextras, extracap;
	char *pool;		/* interned strings, NUL-terminated each */
	size_t poollen, poolcap;
	uint32_t *hash;		/* open addressing over pool offsets */
	size_t hashcap, hashn;
	struct vtree tree;	/* built by vset_index() */
	struct vtree_node *nodes;	/* nodes[i] indexes v[i] */
	uint64_t *ixkeys;	/* the tree's implicit index (vset_index_fast) */
	size_t ixcap;
	struct vset_source src;
	bool torn;		/* read raced with the target: see vset_disorder() */
	bool jumbled;		/* vset_add() had a region start before the
				 * end of the one added before it */
	bool ordered;		/* by vset_sort(): in order, none overlapping */
};

/* True when the set was read from a process just now (not a saved copy). */
static inline bool vset_live(const struct vmaset *s)
{
	return s->src.kind == VS_PID && !s->src.snapshot;
}

/* Empty set. */
void vset_init(struct vmaset *s);
/* Free everything the set owns; it is left empty and reusable. */
void vset_free(struct vmaset *s);
/* Drop all regions but keep the allocations (for re-reads). */
void vset_clear(struct vmaset *s);

/*
 * Intern @len bytes at @p; returns the pool offset (never 0), or 0 with
 * errno ENOMEM.  Equal strings share one offset.
 */
uint32_t vset_intern(struct vmaset *s, const char *p, size_t len);
/* The string at pool offset @off (NUL-terminated; may hold NULs inside). */
static inline const char *vset_str(const struct vmaset *s, uint32_t off)
{
	return s->pool + off;
}
/* Length of an interned string: stored in the 4 bytes before it. */
static inline uint32_t vset_strlen(const struct vmaset *s, uint32_t off)
{
	uint32_t len;

	__builtin_memcpy(&len, s->pool + off - 4, 4);
	return len;
}

/* Append a region (copied); returns a pointer to the stored one or NULL. */
struct vma *vset_add(struct vmaset *s, const struct vma *v);
/* Attach a zeroed smaps record to @v; returns it or NULL (ENOMEM). */
struct vma_smaps *vset_add_smaps(struct vmaset *s, struct vma *v);
/* Append an extra smaps key to the record of the last region. */
int vset_add_extra(struct vmaset *s, struct vma_smaps *sm,
		   const struct sm_extra *x);

/* The region's smaps counters, or NULL. */
static inline const struct vma_smaps *vset_smaps(const struct vmaset *s,
						  const struct vma *v)
{
	return v->smaps == VMA_NO_SMAPS ? NULL : &s->sm[v->smaps];
}

/* The region's name bytes (NULL when anonymous) and their length. */
static inline const char *vma_path(const struct vmaset *s, const struct vma *v,
				   size_t *len)
{
	if (!v->path) {
		*len = 0;
		return NULL;
	}
	*len = vset_strlen(s, v->path);
	return vset_str(s, v->path);
}

static inline uint64_t vma_size(const struct vma *v)
{
	return v->end - v->start;
}

/* True when the region is part of the mm (everything but [vsyscall]). */
static inline bool vma_in_mm(const struct vma *v)
{
	return v->name != VN_VSYSCALL;
}

/*
 * @sm's VmFlags, read from smaps text or a snapshot, are complete: note in
 * @v what the analysis asks of every region (gd, a stack that grows down),
 * so that it need not look at the smaps record.
 */
static inline void vset_vmflags_read(struct vma *v,
				     const struct vma_smaps *sm)
{
	if (sm->vmflags >> VMFLAG_GROWSDOWN & 1)
		v->flags |= VF_GROWSDOWN;
}

/* Keys of a region's JSON object that are not smaps counters. */
extern const char *const vma_json_keys[];
extern const unsigned int vma_json_nkeys;

/*
 * The JSON name vmamap --json gives the smaps key @k (@len bytes) it does
 * not know: snake_case, "FooBar_Baz" -> "foo_bar_baz".  Writes at most
 * 2 * @len bytes to @out (no NUL); returns the length written.
 */
size_t sm_json_name(const char *k, size_t len, char *out);

/*
 * Unknown smaps keys one region may have: a kernel prints about 30 keys
 * in all; the bound keeps the check below from going quadratic on a
 * crafted file.
 */
enum { VSET_MAX_EXTRAS = 64 };

/*
 * Whether an unknown smaps key @k (@len bytes) about to be added to @sm
 * would be written under a JSON name the region already has or may have
 * (a region field, a known counter, an earlier unknown key, or KEY_hex
 * next to one of these or to the key itself): 1 when it would (the key
 * is a duplicate), 0 when not, -E2BIG when @sm has VSET_MAX_EXTRAS
 * already, -ENOMEM.
 */
int vset_extra_clash(const struct vmaset *s, const struct vma_smaps *sm,
		     const char *k, size_t len);

/*
 * Count regions that are out of order or overlap their predecessor, in
 * the order read (0 for a consistent read).
 */
size_t vset_disorder(const struct vmaset *s);

/*
 * The totals the analysis adds up (sizes; Rss, Pss, Swap and dirty bytes)
 * must fit in 64 bits for the whole set, so that every sum over a subset
 * fits too.  Returns the index of the first region, in the order read,
 * whose counters make a total overflow, or SIZE_MAX when none does.  Only
 * a crafted file can: a real map spans at most 2^64 bytes.
 */
size_t vset_sum_overflow(const struct vmaset *s);

/*
 * Put the regions in address order (start, then end), when they are not,
 * and note whether they are then in order with none overlapping (ordered):
 * no pass over them when vset_add() saw each start at or after the end of
 * the region before (every consistent read).
 */
void vset_sort(struct vmaset *s);

/*
 * Build the interval tree over all regions: sorts them by start first when
 * they are out of order.  Returns 0 or -ENOMEM.  A loaded set is sorted
 * but has no tree until a lookup needs one (vset_need_index()): the
 * table, JSON and diff never walk it.
 */
int vset_index(struct vmaset *s);

/* Whether the tree holds every region (vset_index() was called). */
static inline bool vset_indexed(const struct vmaset *s)
{
	return s->tree.count == s->n;
}

/* vset_index() unless done: 0 or -ENOMEM. */
static inline int vset_need_index(struct vmaset *s)
{
	return vset_indexed(s) ? 0 : vset_index(s);
}

/*
 * Ready for a few vset_find() calls: nothing to do for a set vset_sort()
 * found in order with no region overlapping another (every consistent
 * read: vset_find() then searches the array), else vset_index().  Returns
 * 0 or -ENOMEM.
 */
static inline int vset_need_find(struct vmaset *s)
{
	return vset_indexed(s) || s->ordered ? 0 : vset_index(s);
}

/*
 * find_vma by binary search in the array, for a set vset_sort() found
 * ordered: the first region with end > @addr, or NULL.
 */
const struct vma *vset_bsearch(const struct vmaset *s, uint64_t addr);

/*
 * After vset_index(), before many vset_find() calls (--addr -): give the
 * tree its implicit index (vtree_index()), which vset_find() then walks
 * instead of the nodes, until the next vset_index() or change of the tree.
 * Returns 0 or -ENOMEM (the tree still answers alone).
 */
int vset_index_fast(struct vmaset *s);

/* The region indexed by tree node @n. */
static inline const struct vma *vset_node_vma(const struct vmaset *s,
					      const struct vtree_node *n)
{
	return &s->v[n - s->nodes];
}

/*
 * find_vma: the first region with end > @addr, or NULL (needs
 * vset_need_find(), or vset_index() before many calls).
 */
static inline const struct vma *vset_find(const struct vmaset *s,
					  uint64_t addr)
{
	const struct vtree_node *n;
	size_t i;

	if (!vset_indexed(s)) {
		assert(s->ordered);
		return vset_bsearch(s, addr);
	}
	if (s->tree.ix) {	/* in order, the tree's base is s->nodes */
		i = vtree_index_find(&s->tree, addr);
		return i < s->n ? &s->v[i] : NULL;
	}
	n = vtree_find(&s->tree, addr);
	return n ? vset_node_vma(s, n) : NULL;
}

/* Three-way comparison of two numbers, for qsort() comparators. */
static inline int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* Bytes each class name is stored in: room to copy a name as one word. */
enum { VMA_CLASS_ROOM = 8 };

/* Class names, NUL-padded, and their lengths; [VC_NCLASS] is "?". */
struct vma_class_info {
	char name[VMA_CLASS_ROOM];
	size_t len;
};
extern const struct vma_class_info vma_classes[VC_NCLASS + 1];

/*
 * Name of a class ("text", "?" for an unknown one) and its length in
 * *@len; the name is NUL-padded to VMA_CLASS_ROOM bytes, which may all be
 * copied.
 */
static inline const char *vma_class_name_len(unsigned int cls, size_t *len)
{
	const struct vma_class_info *c = &vma_classes[cls < VC_NCLASS ? cls :
						      VC_NCLASS];

	*len = c->len;
	return c->name;
}

/* Name of a class ("text"), and its index from a name (-1 if unknown). */
static inline const char *vma_class_name(unsigned int cls)
{
	size_t len;

	return vma_class_name_len(cls, &len);
}
int vma_class_from_name(const char *name, size_t len);

#endif
