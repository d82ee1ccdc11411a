/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procs.h - the process table.  The only file that calls libproc2.
 */
#ifndef VMAMAP_PROCS_H
#define VMAMAP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct proc_match {
	pid_t pid;
	char *cmdline;		/* raw bytes, NUL-free (spaces between args) */
};

/*
 * Find the processes whose comm, or basename of argv[0], is @name, under
 * the proc tree @root (libproc2 for the live /proc; a directory scan for a
 * captured tree).  vmamap's own process is never a match.  On success
 * returns the number of matches and sets *@out (caller frees with
 * procs_free()); on failure a negative errno with @e filled.
 */
int procs_find_by_name(const char *root, const char *name,
		       struct proc_match **out, struct err *e);

void procs_free(struct proc_match *m, size_t n);

struct mm_kernel;

/*
 * Fill the counters and layout fields libproc2 provides for the live
 * process @pid (VmSize, VmData, VmExe, VmLib, VmStk, VmLck, VmRSS,
 * RssAnon/File/Shmem, VmSwap; start_code, end_code, start_stack) into @k,
 * marked as coming from "libproc2".  Returns 0 or a negative errno.
 */
int procs_mm_live(pid_t pid, struct mm_kernel *k);

/* One entry of the process table. */
struct proc_info {
	pid_t pid;
	uint32_t uid;		/* effective UID, when has_uid */
	bool has_uid;
	char *user;		/* its name, NULL when unknown (captured tree) */
	bool no_mm;		/* kernel thread or zombie: no address space */
};

/*
 * Every process under the proc tree @root: libproc2 for the live /proc, a
 * directory scan (the status of each) for a captured tree, whose
 * UIDs are left without names (its passwd is not here).  Threads are not
 * listed.  On success returns the count with *@out sorted by PID (caller
 * frees with procs_list_free()); on failure a negative errno with @e
 * filled.
 */
int procs_list(const char *root, struct proc_info **out, struct err *e);

void procs_list_free(struct proc_info *p, size_t n);

/* Version string of the libproc2 vmamap was built with. */
const char *procs_lib_version(void);

#endif
