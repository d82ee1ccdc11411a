/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * watch.h - follow a live process: re-read its map every few moments and
 * hand each difference to the caller as it happens (--watch).
 *
 * The process is named by PID and start time together, so a PID reused by
 * another process is noticed.  Only maps is read each poll unless smaps
 * was asked for.  The loop never prints: it calls back.
 */
#ifndef VMAMAP_WATCH_H
#define VMAMAP_WATCH_H

#include <stdint.h>
#include <sys/types.h>

#include "diff.h"
#include "err.h"
#include "source.h"
#include "target.h"
#include "vmaset.h"

/* Why a callback is called. */
enum watch_event {
	WE_START,	/* first read: @s is the map */
	WE_CHANGES,	/* @d holds the changes since the previous poll */
	WE_EXITED,	/* the process exited: the watch ends */
	WE_REUSED,	/* the PID now names another process: the watch ends */
	WE_DONE,	/* the iterations asked for are done */
};

struct watch_report {
	enum watch_event ev;
	int64_t ns;			/* unix time, nanoseconds */
	pid_t pid;
	const struct vmaset *s;		/* WE_START, WE_CHANGES: the new map */
	const struct diff *d;		/* WE_CHANGES */
};

struct watch_opts {
	struct target_opts target;
	uint64_t delay_ns;		/* between polls */
	unsigned long iterations;	/* polls after the first read; 0 = no
					 * limit */
	void (*report)(const struct watch_report *r, void *arg);
	void *arg;
};

/* A process followed by PID and start time, so a reused PID is noticed. */
/*
 * A refresh reads maps and stat, nothing else (the caller may read
 * status): the name and command line of the first read are carried over
 * to each later one, and read again only when the name in stat changes
 * (an execve).
 */
struct watch_proc {
	struct target_opts t;	/* lean reads of the PID; t.smaps may be
				 * changed between reads */
	pid_t pid;		/* 0: a saved file, nothing to follow */
	uint64_t start;		/* starttime (stat field 22) */
	char pidtext[16];
	char comm[64], cmdline[4096];	/* raw bytes, as last read */
	size_t comm_len, cmdline_len;
	char stat_name[64];	/* the name stat gave with them */
	size_t stat_name_len;
	struct src_memo memo;	/* the text of the last read (t.memo) */
};

/* What watch_reread() returns besides 0 and -errno. */
enum { WATCH_EXITED = 1, WATCH_REUSED = 2, WATCH_SAME = 3 };

/*
 * First read of @spec into the empty set @s, lean (no thread stacks).
 * A live process is then followed by @p; a saved file leaves p->pid 0.
 * Returns 0 or a negative errno with @e filled.
 */
int watch_open(struct watch_proc *p, const char *spec,
	       const struct target_opts *o, struct vmaset *s, struct err *e);

/*
 * Read the map of the process followed by @p again into the empty set
 * @s.  Returns 0; WATCH_SAME when the text read is the same as the last
 * one, byte for byte (@s is left empty: the map of the last successful
 * read, which the caller holds, is still the map); WATCH_EXITED or
 * WATCH_REUSED with @e saying so; or a negative errno with @e filled
 * (-EACCES: permission lost).  @s may hold a partial read on failure: the
 * caller frees it.  Every result but 0 and WATCH_SAME means the caller
 * keeps no new map.
 */
int watch_reread(struct watch_proc *p, struct vmaset *s, struct err *e);

/* Release what @p holds (the last text read). */
void watch_close(struct watch_proc *p);

/*
 * Watch the process @spec (a PID, 'self' or a process name) until it
 * exits, its PID is reused, or @o->iterations polls are done.  Returns
 * 0, or a negative errno with @e filled (the first read failed, or a
 * later one failed for another reason than the process exiting).
 * -ESRCH with WE_REUSED reported first when the PID was reused.
 */
int watch_run(const char *spec, const struct watch_opts *o, struct err *e);

/* Parse a --delay value in seconds ("0.5"), into nanoseconds. */
int watch_parse_delay(const char *text, uint64_t *ns, struct err *e);

#endif
