/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * summary.h - analysis: the mm_struct counters rebuilt from the VMA set
 * and reconciled with the kernel's, per-class and per-image totals, and
 * the holes of the address space.
 */
#ifndef VMAMAP_SUMMARY_H
#define VMAMAP_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "mm.h"
#include "vmaset.h"

/* One counter: the kernel's value and the one rebuilt from the VMAs. */
struct sum_counter {
	bool has_kernel, has_rebuilt;
	uint64_t kernel, rebuilt;
	uint64_t tolerance;	/* allowed |difference| (rounding), bytes */
};

/* Columns of the per-image table. */
enum sum_part { SP_TEXT, SP_RODATA, SP_DATA, SP_BSS, SP_OTHER, SP_NPARTS };

/* One mapped file: an ELF image (with an executable mapping) or another. */
struct sum_image {
	const struct vma *first;	/* a region of it (path, dev, inode) */
	bool image;
	uint64_t part[SP_NPARTS];
	uint64_t total, rss;
	uint32_t regions;
};

struct sum_gaps {
	uint64_t holes;		/* free ranges between the user regions */
	uint64_t largest;	/* the largest of them */
	uint64_t below;		/* free space below the lowest mapping */
	uint64_t above;		/* free space above the highest user mapping */
	uint64_t task_size;	/* the top of user space assumed */
};

struct summary {
	struct sum_counter c[MM_NCOUNTERS];
	struct sum_counter rollup[MR_NROLLUP];
	const struct mm_kernel *kernel;	/* NULL for a saved file */
	bool stack_from_flags;	/* VM_GROWSDOWN known from smaps VmFlags */
	struct acct acct;	/* every region, per class */
	struct sum_image *images;	/* biggest first (owned) */
	size_t nimages;
	struct sum_gaps gaps;
};

/*
 * Build the summary of @s (sorted and classified) against the kernel's
 * view @k (NULL for a saved file).  Returns 0 or -ENOMEM; free with
 * summary_free().
 */
int summary_build(const struct vmaset *s, const struct mm_kernel *k,
		  struct summary *out);
void summary_free(struct summary *sum);

/*
 * The counters the kernel keeps in mm_struct (total_vm, data_vm, exec_vm,
 * stack_vm, map_count) rebuilt from the regions of @s into @r (the rest
 * zero).  Stack regions are the VM_GROWSDOWN ones when
 * @stack_from_flags (see summary_stack_from_flags()), else [stack].
 */
void summary_counters(const struct vmaset *s, bool stack_from_flags,
		      uint64_t r[MM_NCOUNTERS]);

/* True when every region of @s has its smaps VmFlags. */
bool summary_stack_from_flags(const struct vmaset *s);

/* True when counter @c has both values and they agree (within tolerance). */
bool summary_match(const struct sum_counter *c);

/* Number of counters (and rollup sums) with both values that disagree. */
unsigned int summary_mismatches(const struct summary *sum);

#endif
