// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * classify.c - the classifier (rules in classify.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

/* Identity of a mapped file: interned path, device and inode. */
struct file_id {
	uint32_t path, major, minor;
	uint64_t inode;
};

static int id_cmp(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	return cmp_u64(x->path, y->path) ?: cmp_u64(x->inode, y->inode) ?:
	       cmp_u64(x->major, y->major) ?: cmp_u64(x->minor, y->minor);
}

static struct file_id id_of(const struct vma *v)
{
	struct file_id id = { v->path, v->major, v->minor, v->inode };

	return id;
}

static bool is_kernel(const struct vma *v, const struct vmaset *s)
{
	switch (v->name) {
	case VN_VDSO: case VN_VVAR: case VN_VVAR_VCLOCK: case VN_VSYSCALL:
	case VN_UPROBES:
		return true;
	case VN_OTHER:
		return vset_str(s, v->path)[0] == '[';
	default:
		return false;
	}
}

static bool is_filelike(const struct vma *v)
{
	return v->name == VN_FILE || v->name == VN_ANON_INODE ||
	       v->name == VN_OTHER;
}

static enum vma_class image_class(const struct vma *v)
{
	if (v->perms & VP_EXEC)
		return VC_TEXT;
	return (v->perms & VP_WRITE) ? VC_DATA : VC_RODATA;
}

enum vma_class class_of(const struct vmaset *s, const struct vma *v,
			bool image, const struct vma *prev)
{
	if (is_kernel(v, s))
		return VC_KERNEL;
	if (v->perms & VP_SHARED)
		return VC_SHARED;
	if (!(v->perms & (VP_READ | VP_WRITE | VP_EXEC)))
		return VC_GUARD;
	if (v->name == VN_HEAP)
		return VC_HEAP;
	if (v->name == VN_STACK || v->name == VN_STACK_TID || (v->flags & VF_GROWSDOWN))
		return VC_STACK;
	if (is_filelike(v))
		return image ? image_class(v) : VC_FILE;
	if (v->name == VN_NONE && (v->perms & VP_WRITE) && prev &&
	    prev->end == v->start && prev->cls == VC_DATA)
		return VC_BSS;
	return VC_ANON;
}

/* Sorted identities of every file with an executable mapping. */
static struct file_id *collect_images(const struct vmaset *s, size_t *n)
{
	struct file_id *ids = malloc((s->n ? s->n : 1) * sizeof(*ids));

	*n = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].name == VN_FILE && (s->v[i].perms & VP_EXEC))
			ids[(*n)++] = id_of(&s->v[i]);
	qsort(ids, *n, sizeof(*ids), id_cmp);
	return ids;
}

static bool linear_is_image(const struct vmaset *s, const struct file_id *id)
{
	for (size_t i = 0; i < s->n; i++) {
		struct file_id o = id_of(&s->v[i]);

		if (s->v[i].name == VN_FILE && (s->v[i].perms & VP_EXEC) &&
		    !id_cmp(&o, id))
			return true;
	}
	return false;
}

void class_assign(struct vmaset *s)
{
	size_t nimg;
	struct file_id *img = collect_images(s, &nimg);

	for (size_t i = 0; i < s->n; i++) {
		struct vma *v = &s->v[i];
		struct file_id id = id_of(v);
		bool image = false;

		if (v->name == VN_FILE)
			image = img ? bsearch(&id, img, nimg, sizeof(id),
					      id_cmp) != NULL
				    : linear_is_image(s, &id);
		v->cls = (uint8_t)class_of(s, v, image, i ? &s->v[i - 1] : NULL);
	}
	free(img);
}

/*
 * Only anonymous memory becomes class stack: a stack pointer inside
 * [heap] or a file (coroutines, green threads) labels the region with the
 * thread but keeps its class.
 */
static bool may_be_stack(const struct vma *v)
{
	return v->name == VN_NONE || v->name == VN_ANON ||
	       v->name == VN_STACK || v->name == VN_STACK_TID;
}

int class_thread_stacks(struct vmaset *s, const struct vma_thread_sp *sp,
			size_t n)
{
	if (n && vset_need_find(s))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct vma *f = vset_find(s, sp[i].sp);
		struct vma *v;

		if (!f || f->start > sp[i].sp)
			continue;
		v = &s->v[f - s->v];
		if (v->tid && v->tid < sp[i].tid)
			continue;	/* the lowest TID names the region */
		v->tid = sp[i].tid;
		if (may_be_stack(v))
			v->cls = VC_STACK;
	}
	return 0;
}
