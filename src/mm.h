/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mm.h - the kernel's mm_struct view of a process: counters from
 * /proc/PID/status (and libproc2), layout fields from /proc/PID/stat,
 * the smaps_rollup sums, and map_count from the PROCMAP_QUERY ioctl.
 * Plain data owned by the caller; parsing functions never print.
 */
#ifndef VMAMAP_MM_H
#define VMAMAP_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Counters, as the kernel names them (bytes; map_count is a count). */
enum mm_counter {
	MM_TOTAL_VM, MM_DATA_VM, MM_EXEC_VM, MM_STACK_VM, MM_MAP_COUNT,
	MM_LOCKED_VM, MM_PINNED_VM, MM_HIWATER_VM, MM_HIWATER_RSS,
	MM_RSS, MM_RSS_ANON, MM_RSS_FILE, MM_RSS_SHMEM, MM_SWAP,
	MM_PGTABLES, MM_VM_EXE, MM_VM_LIB,
	MM_NCOUNTERS
};

/* Layout fields of /proc/PID/stat, and the current brk. */
enum mm_layout {
	ML_START_CODE, ML_END_CODE, ML_START_DATA, ML_END_DATA,
	ML_START_BRK, ML_BRK, ML_START_STACK, ML_ARG_START, ML_ARG_END,
	ML_ENV_START, ML_ENV_END,
	ML_NLAYOUT
};

/* smaps_rollup sums checked against the per-region smaps. */
enum mm_rollup { MR_RSS, MR_PSS, MR_SWAP, MR_NROLLUP };

struct mm_kernel {
	uint64_t val[MM_NCOUNTERS];
	uint32_t have;			/* bit per counter read */
	const char *via[MM_NCOUNTERS];	/* "libproc2", "status", ... */
	uint64_t layout[ML_NLAYOUT];
	uint32_t layout_have;		/* bit per layout field read */
	bool layout_hidden;		/* stat read, fields zeroed by kernel */
	uint64_t rollup[MR_NROLLUP];
	bool has_rollup;
};

/* Kernel name ("total_vm") and where it comes from ("VmSize"). */
const char *mm_counter_name(unsigned int c);
const char *mm_counter_origin(unsigned int c);
/* Name of a layout field ("start_code") and its origin ("stat 26"). */
const char *mm_layout_name(unsigned int l);
const char *mm_layout_origin(unsigned int l);

/* Set counter @c of @k to @v, noting where it came from. */
void mm_set(struct mm_kernel *k, unsigned int c, uint64_t v, const char *via);

/*
 * Parse the text of /proc/PID/status into @k (Vm* and Rss* lines, kB).
 * Unknown lines are ignored; returns the number of counters read.
 */
int mm_parse_status(const char *text, size_t len, struct mm_kernel *k);

/*
 * Parse the text of /proc/PID/stat: fields 26-28 and 45-51.  A process
 * name with spaces or parentheses is handled (the last ')' ends it).
 * Returns 0 or -EBADMSG.  Sets layout_hidden when the kernel zeroed the
 * fields (the reader may not ptrace the target).
 */
int mm_parse_stat(const char *text, size_t len, struct mm_kernel *k);

/*
 * Field 22 of /proc/PID/stat (starttime, clock ticks after boot): with
 * the PID it names one process for good.  Returns 0 or -EBADMSG.
 */
int mm_parse_starttime(const char *text, size_t len, uint64_t *out);

/*
 * Field 2 of /proc/PID/stat, the name (comm) between the parentheses:
 * its bytes into *@name and *@n (pointing into @text).  Returns 0 or
 * -EBADMSG.
 */
int mm_parse_stat_comm(const char *text, size_t len, const char **name,
		       size_t *n);

#endif
