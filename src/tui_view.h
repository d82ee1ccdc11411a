/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tui_view.h - the part of the live map (render_tui.c) that needs no
 * terminal: the rows of the main pane (filtered, sorted, removed regions
 * kept a few refreshes), the change marks carried from one refresh to the
 * next through the diff, the minimap layout, bar lengths, the details
 * text, and clipping terminal-safe text to a number of columns.
 *
 * A tui_view points at the current set, which it does not own: the
 * caller keeps it alive and unchanged until the next tui_view_update().
 * The view owns its marks, ghosts and rows; tui_view_free() releases
 * them.  Nothing here prints: text goes to a caller's obuf.
 */
#ifndef VMAMAP_TUI_VIEW_H
#define VMAMAP_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "diff.h"
#include "obuf.h"
#include "vmaset.h"

/* How many refreshes a change stays marked (and a removed region shown). */
enum { TUI_MARK_REFRESHES = 3 };

/* At most this many removed regions are kept on screen. */
enum { TUI_MAX_GHOSTS = 4096 };

/* A change mark: the kind (enum diff_kind) and the refreshes left. */
struct tui_mark {
	uint8_t kind, age;	/* age 0: no mark */
};

/* A removed region kept on screen, dimmed, for a few refreshes. */
struct tui_ghost {
	uint64_t start, end;
	uint8_t perms, cls, age;
	char *path;		/* escaped for the terminal, owned */
};

/* One row of the main pane: a region of the set or a ghost. */
struct tui_row {
	uint32_t i;		/* index into s->v or into ghosts */
	bool ghost;
};

struct tui_view {
	const struct vmaset *s;		/* the current map (not owned) */
	struct tui_mark *marks;		/* one per region of s */
	struct tui_ghost *ghosts;	/* sorted by start */
	size_t nghosts;
	struct tui_row *rows;
	size_t nrows;
	uint32_t classes;		/* the class filter (bit mask) */
	enum acct_sort sort;
};

/* What a row shows, from a region or a ghost; pointers into the view. */
struct tui_rowinfo {
	uint64_t start, end;
	uint8_t perms, cls;
	const struct vma *v;		/* NULL for a ghost */
	const char *path;		/* a ghost's escaped path, else NULL */
	struct tui_mark mark;
};

/* What the cursor is on, to find it again after a refresh. */
struct tui_key {
	uint64_t start;
	long old;		/* region index in the set; -1 for a ghost */
};

/* Minimap columns that hold no region. */
enum { TUI_MM_HOLE = -1, TUI_MM_CUT = -2 };

/* An empty view with this filter and order. */
void tui_view_init(struct tui_view *v, uint32_t classes,
		   enum acct_sort sort);
/* Free what the view owns (not the set); it is left empty, same filter. */
void tui_view_free(struct tui_view *v);

/*
 * Show the set @s, indexed and classified.  @d compares the set shown
 * until now with @s (d->old == v->s, still alive), or is NULL for a set
 * with no predecessor (no marks).  Changes are marked, removed regions
 * become ghosts, older marks and ghosts age by one refresh; then the rows
 * are rebuilt.  Returns 0 or -ENOMEM (the view then shows nothing).
 */
int tui_view_update(struct tui_view *v, const struct vmaset *s,
		    const struct diff *d);

/*
 * A refresh that read the same map again: marks and ghosts age by one
 * refresh; the rows are rebuilt only when a ghost goes.  Returns 0 or
 * -ENOMEM (the view then shows nothing).
 */
int tui_view_age(struct tui_view *v);

/* Rebuild the rows after a change of v->classes or v->sort. */
int tui_view_rows(struct tui_view *v);

/* What row @row (< v->nrows) shows. */
void tui_row_info(const struct tui_view *v, size_t row,
		  struct tui_rowinfo *out);

/* The key of row @row, taken before tui_view_update(). */
struct tui_key tui_view_key(const struct tui_view *v, size_t row);

/*
 * The row of @k after tui_view_update() with @d (the diff it was given,
 * or NULL when the set did not change): the same region followed through
 * the diff, or its ghost, else the row nearest by address.  0 when there
 * are no rows.
 */
size_t tui_view_find(const struct tui_view *v, const struct diff *d,
		     struct tui_key k);

/* The row showing region @r of v->s, or -1 (filtered out). */
long tui_view_row_of(const struct tui_view *v, const struct vma *r);

/*
 * The next row after @from (before it with @back), wrapping around,
 * whose escaped path contains @pat (ASCII case ignored); -1 if none.
 * @scratch is a memory obuf used for escaping.
 */
long tui_view_search(const struct tui_view *v, const char *pat, size_t from,
		     bool back, struct obuf *scratch);

/* The class mask after @mask when cycling: all, then each class present. */
uint32_t tui_next_class(const struct vmaset *s, uint32_t mask);

/*
 * Lay the whole address space of @s out on @width columns: @col[c] is
 * the index of the region drawn there, TUI_MM_HOLE or TUI_MM_CUT (a huge
 * unmapped stretch compressed to one column).  Each region and hole
 * weighs about the log of its size, so small regions stay visible.
 */
void tui_minimap(const struct vmaset *s, int32_t *col, size_t width);

/*
 * Length in eighths of a cell of the bar of a region of @size bytes in a
 * bar of @cells cells: logarithmic, 4 KiB is 1, 128 TiB is all of it.
 */
unsigned int tui_bar_eighths(uint64_t size, unsigned int cells);

/*
 * How many bytes of the terminal-safe text @s (@len bytes, no control
 * characters) fit in @cols columns, cut between characters; the columns
 * they take go to *@used (may be NULL).
 */
size_t tui_clip(const char *s, size_t len, size_t cols, size_t *used);

/* Terminal columns of @len bytes of terminal-safe text. */
size_t tui_width(const char *s, size_t len);

/* Bytes to skip so that what is left of @s fits in @cols columns. */
size_t tui_tail(const char *s, size_t len, size_t cols);

/*
 * The details of the region @r of @s, one line per field ending with
 * '\n': range, size, perms, class, path, offset, device, inode, thread,
 * the image it belongs to, the change mark @m, every smaps field read
 * and the VmFlags with the kernel's VM_* names.
 */
void tui_details(const struct vmaset *s, const struct vma *r,
		 struct tui_mark m, struct obuf *o);

/* The details of a removed region still shown. */
void tui_ghost_details(const struct tui_ghost *g, struct obuf *o);

#endif
