/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_tui.h - the live map (--live): a full-screen curses view of one
 * address space, refreshed every few moments, with the changes since the
 * previous refresh marked.  The only renderer that draws with curses.
 *
 * The TUI owns the sets it shows and frees each one when the next has
 * replaced it.  It does not read targets itself: the caller (glue) hands
 * it a feed that reads the map again.
 */
#ifndef VMAMAP_RENDER_TUI_H
#define VMAMAP_RENDER_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "account.h"
#include "err.h"
#include "mm.h"
#include "vmaset.h"

/*
 * What a feed returns besides 0 and -errno: the process is gone (exited,
 * PID reused); the map read is the same as the one shown.
 */
enum { TUI_GONE = 1, TUI_SAME = 2 };

/* How the TUI reads the map again; implemented by the caller. */
struct tui_feed {
	/*
	 * Read the map again into the empty set @s (indexed, classified;
	 * through smaps when @smaps) and the kernel's counters into @k.
	 * @cur is the map shown, or NULL for a read that will not replace
	 * it.  Returns 0; TUI_SAME when the map read is @cur's, unchanged
	 * (@s left empty, @k read; never when @cur is NULL); TUI_GONE with @e
	 * saying why; or a negative errno with @e filled (-EACCES, -EPERM:
	 * permission lost).  @s is freed by the TUI whatever the result.
	 */
	int (*read)(void *arg, bool smaps, const struct vmaset *cur,
		    struct vmaset *s, struct mm_kernel *k, struct err *e);
	void *arg;
};

struct tui_opts {
	const struct tui_feed *feed;	/* NULL: a static map (saved file) */
	uint64_t delay_ns;		/* between two refreshes */
	unsigned long iterations;	/* quit after this many; 0: on q */
	bool color;			/* colour by class */
	bool smaps;			/* start with the smaps columns */
	uint32_t classes;		/* class filter to start with */
	enum acct_sort sort;		/* order to start with */
};

/* The smallest terminal the map is drawn on. */
enum { TUI_MIN_COLS = 50, TUI_MIN_LINES = 10 };

/*
 * Show @first (indexed and classified; the TUI takes it over and frees
 * it) with its kernel counters @k (NULL: none) on the terminal of
 * standard input and output, refreshing it through @o->feed, until q,
 * the iterations, or SIGINT, SIGTERM or SIGHUP.  The terminal is
 * restored before returning.  Returns 0, the number of the signal that
 * stopped it (> 0), or a negative errno with @e filled.
 */
int tui_run(struct vmaset *first, const struct mm_kernel *k,
	    const struct tui_opts *o, struct err *e);

#endif
