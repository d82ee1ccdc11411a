/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * classify.h - analysis: give every region exactly one class.
 *
 * Rules, first match wins (documented in vmamap(1)):
 *   kernel  [vdso] [vvar] [vvar_vclock] [vsyscall] [uprobes], any other
 *           bracketed special-mapping name ([vectors], [sigpage], ...)
 *   shared  's' in perms (MAP_SHARED: shm, memfd, shared files, devices)
 *   guard   no access (---p)
 *   heap    [heap]
 *   stack   [stack], [stack:TID], VM_GROWSDOWN (smaps "gd"); and then,
 *           for a process, any region holding a thread's stack pointer
 *           (class_thread_stacks())
 *   text / rodata / data
 *           a mapping of an image (a file with at least one executable
 *           mapping in the process, same path, device and inode):
 *           executable / read-only / writable
 *   file    a private mapping of any other file or named object
 *   bss     anonymous private writable, starting where a data region ends
 *   anon    everything else (private anonymous, [anon:NAME])
 */
#ifndef VMAMAP_CLASSIFY_H
#define VMAMAP_CLASSIFY_H

#include "vmaset.h"

/*
 * Set v->cls of every region of @s, which must be sorted by address
 * (vset_index() does that).  Does not fail: an allocation failure only
 * makes image detection fall back to a linear search.
 */
void class_assign(struct vmaset *s);

/*
 * Mark the regions holding the stack pointers @sp[0..@n) as thread
 * stacks: class stack and v->tid.  A region holding several threads' SPs
 * takes the lowest TID; SPs outside every region are ignored.
 * Call after class_assign(); builds the tree when there are SPs.  Returns
 * 0 or -ENOMEM.
 */
int class_thread_stacks(struct vmaset *s, const struct vma_thread_sp *sp,
			 size_t n);

/* Classify one region given whether its file is an image and the region
 * before it (NULL for the first); exposed for unit tests. */
enum vma_class class_of(const struct vmaset *s, const struct vma *v,
			bool image, const struct vma *prev);

#endif
