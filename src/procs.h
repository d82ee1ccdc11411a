/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procs.h - the process table.  The only file that calls libproc2.
 */
#ifndef VMAMAP_PROCS_H
#define VMAMAP_PROCS_H

#include <stddef.h>
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

/* Version string of the libproc2 vmamap was built with. */
const char *procs_lib_version(void);

#endif
