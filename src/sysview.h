/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysview.h - analysis: the system-wide views.
 *
 * --all: one row per process of the process table (procs.c), with its
 * regions per class from maps (no page-table walk) and its RSS, PSS and
 * swap from smaps_rollup (or, with smaps, summed per class from smaps).
 * --who-maps: one row per process and mapped file whose name matches a
 * glob, with its regions, RSS, PSS and swap; smaps is read only for the
 * processes whose maps show a match.
 *
 * Each process is read through target.c (lean: no thread stacks, so a
 * thread's stack counts as anon).  A process that cannot be read is kept
 * apart with the reason; kernel threads and zombies (no address space)
 * and processes that exit while being read are only counted.
 */
#ifndef VMAMAP_SYSVIEW_H
#define VMAMAP_SYSVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "account.h"
#include "err.h"
#include "mm.h"
#include "target.h"
#include "vmaset.h"

struct sysv_row {
	pid_t pid;		/* 0: a saved file, not a process */
	uint32_t uid;		/* effective UID, when has_uid */
	bool has_uid;
	char *user;		/* user name, NULL when unknown */
	char *comm;		/* raw bytes; for a saved file its name */
	char *cmdline;		/* raw bytes, arguments joined by spaces */
	struct acct a;		/* per class and total (--who-maps: total) */
	uint64_t rss, pss, swap;	/* of the process (--who-maps: file) */
	bool has_mem;		/* rss, pss and swap are known */
	char *path;		/* --who-maps: the file's name, raw bytes */
	bool deleted;		/* --who-maps: the file was deleted */
	uint64_t inode;		/* --who-maps */
	uint32_t major, minor;	/* --who-maps */
};

/* A process that could not be read. */
struct sysv_fail {
	pid_t pid;
	char *comm;		/* raw bytes, "" when unknown */
	int code;		/* negative errno */
};

/* Everything a view shows; the strings are owned. */
struct sysv {
	struct sysv_row *rows;
	size_t n, cap;
	struct sysv_fail *fails;
	size_t nfails, failcap;
	size_t nprocs;		/* processes with at least one row */
	size_t no_mm;		/* kernel threads and zombies */
	size_t gone;		/* exited while being read */
};

/* Sort keys: SK_CLASS + c orders by the size of class c. */
enum sysv_key {
	SK_PID, SK_COMM, SK_REGIONS, SK_SIZE, SK_RSS, SK_PSS, SK_SWAP,
	SK_CLASS
};

void sysv_init(struct sysv *v);
void sysv_free(struct sysv *v);

/*
 * Parse a sort key: pid, comm, regions, size, rss, pss, swap, and with
 * @classes a class name.  Returns 0 or -EINVAL with @e filled.
 */
int sysv_parse_sort(const char *key, bool classes, int *out, struct err *e);

/*
 * --all: a row for every process under o->proc_root (o->smaps: read
 * smaps instead of maps and smaps_rollup).  Returns 0, or a negative
 * errno with @e filled when the process table cannot be listed (or out of
 * memory); processes that cannot be read are in v->fails.
 */
int sysv_scan_all(struct sysv *v, const struct target_opts *o,
		  struct err *e);

/*
 * --who-maps: a row for every process and file whose name matches the
 * glob @pattern (fnmatch(3): the whole path when @pattern holds a '/',
 * else the base name).  Returns as sysv_scan_all().
 */
int sysv_who_maps(struct sysv *v, const char *pattern,
		  const struct target_opts *o, struct err *e);

/*
 * A row for the loaded set @s (a TARGET), with the smaps_rollup sums of
 * @k when it has them and @s has no smaps; a second row for the same PID
 * (or file) is not added.  Returns 0 or -ENOMEM.
 */
int sysv_add_set(struct sysv *v, const struct vmaset *s,
		 const struct mm_kernel *k);

/* Order the rows by @key (numbers largest first; then by PID, path). */
void sysv_sort(struct sysv *v, int key);

/* Why a process could not be read, in a few words ("permission denied"). */
const char *sysv_reason(int code);

#endif
