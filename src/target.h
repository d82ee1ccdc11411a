/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.h - turn a TARGET argument into a loaded, indexed, classified
 * vmaset: resolves PID / self / process name / file / stdin, reads through
 * the source stage, parses (maps, smaps or a JSON snapshot), validates
 * order (re-reading torn live reads) and runs the classifier.
 */
#ifndef VMAMAP_TARGET_H
#define VMAMAP_TARGET_H

#include <stdbool.h>

#include "err.h"
#include "vmaset.h"

enum target_kind {
	TK_GUESS,	/* decide from the text of the argument */
	TK_PID,		/* --pid */
	TK_FILE,	/* --file */
};

struct src_memo;

struct target_opts {
	const char *proc_root;	/* "/proc" unless --proc-root */
	bool smaps;		/* read smaps rather than maps */
	bool lean;		/* skip the threads' stack pointers; for
				 * target_load_mm(), read status alone */
	bool no_ident;		/* leave comm and cmdline out (a refresh
				 * whose caller has them already) */
	enum target_kind kind;
	struct src_memo *memo;	/* a live process's refreshes: compare
				 * with the last read; when the text is the
				 * same, the set is left empty and
				 * memo->valid stays true (see src_memo) */
};

/* Number of times a torn live read is retried before it is kept. */
enum { TARGET_READ_TRIES = 4 };

/*
 * Load @spec into @s (which must be empty).  Returns 0, or a negative
 * errno with @e holding the one-line message (see err_exit_code()).
 * s->torn is set when every read of a live target raced with it.
 */
int target_load(const char *spec, const struct target_opts *o,
		struct vmaset *s, struct err *e);

struct mm_kernel;

/*
 * Load the process @pid under o->proc_root into @s (empty), as
 * target_load() does for a PID.  With @k (zeroed first), also its
 * smaps_rollup sums (k->rollup, k->has_rollup; left unset when they
 * cannot be read), read through the same directory.  Returns 0 or a
 * negative errno with @e filled.
 */
int target_load_pid(pid_t pid, const struct target_opts *o, struct vmaset *s,
		    struct mm_kernel *k, struct err *e);

/* True when @spec names a saved file (or '-') rather than a process. */
bool target_is_file(const char *spec, const struct target_opts *o);

/*
 * Read the kernel's mm_struct view of the live (or captured) process that
 * @s was loaded from: status (libproc2 for the live /proc), stat layout,
 * smaps_rollup and the PROCMAP_QUERY map count, as far as each can be
 * read; with @o->lean (each refresh of the live map) only status, which
 * costs no page-table walk.  Returns 0, or a negative errno with @e
 * filled when the process is gone.  @k is zeroed first.
 */
int target_load_mm(const struct vmaset *s, const struct target_opts *o,
		   struct mm_kernel *k, struct err *e);

/*
 * target_load() and, for a process, target_load_mm() at once: the
 * kernel's counters are read on a second thread while the regions are
 * read, so that the page walks behind them overlap.  @k is zeroed first
 * and stays so for a saved file.  Returns as target_load().
 */
int target_load_with_mm(const char *spec, const struct target_opts *o,
			struct vmaset *s, struct mm_kernel *k, struct err *e);

/*
 * target_load() of two targets (@spec[i] with @o[i] into the empty @s[i],
 * result @r[i], message @e[i]), for --diff.  When both are files named on
 * the command line, @spec[0] is loaded on a second thread while this one
 * loads @spec[1] (two JSON snapshots take twice as long as the diff
 * itself to parse).  Otherwise one after the other, on this thread (a
 * process is read through libproc2, which must stay on it; stdin is read
 * once), and @spec[1] not at all when @spec[0] failed (@r[1] is then 0,
 * @s[1] left empty).
 */
void target_load_two(const char *const spec[2],
		     const struct target_opts o[2], struct vmaset s[2],
		     struct err e[2], int r[2]);

#endif
