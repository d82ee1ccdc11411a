// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_tui.c - the live map on a curses screen (see render_tui.h).
 *
 * Top to bottom: two header lines, a banner once reads have stopped, the
 * minimap (a strip of the whole address space and a line marking what the
 * main pane shows), the column titles, the main pane (one row per region,
 * or the details or help text) and the status line.  A frame is erase(),
 * draw, refresh(): curses sends only the cells that changed.  Text from
 * the target is escaped into a memory buffer before it is drawn.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <curses.h>

#include "escape.h"
#include "lookup.h"
#include "render_table.h"
#include "render_tui.h"
#include "summary.h"
#include "tui_view.h"

enum tui_mode { TM_MAP, TM_SEARCH, TM_ADDR, TM_DETAILS, TM_HELP };

/* Colour pairs: 1 + class, then these. */
enum { PAIR_ADDED = VC_NCLASS + 1, PAIR_REMOVED, PAIR_CHANGED, PAIR_BANNER };

/* The UI state: what is shown, where the cursor is, what is being typed. */
struct tui {
	const struct tui_opts *o;
	SCREEN *scr;
	struct vmaset sets[2];		/* the map shown and the next read */
	int cur;			/* which of the two is shown */
	struct mm_kernel k;		/* the kernel's counters, if has_k */
	bool has_k;
	struct tui_view view;		/* rows, filter, sort, marks, ghosts */
	size_t cursor, top;		/* selected row, first row shown */
	enum tui_mode mode;
	char input[256];		/* the prompt being typed (raw) */
	size_t ninput;
	char pattern[256];		/* the last search */
	char msg[1200];			/* status message (raw) */
	char banner[1400];		/* why the reads stopped (raw) */
	bool smaps, paused, ended, quit, dirty, color, utf8;
	uint64_t delay_ns;
	int64_t next_ns;		/* monotonic time of the next refresh */
	int64_t read_ns;		/* wall time of the last read */
	unsigned long ticks;		/* refresh intervals gone by */
	struct obuf esc;		/* memory buffer: one escaped item */
	struct obuf ascii;		/* memory buffer: non-ASCII as \xNN */
	struct obuf text;		/* the details or help text */
	size_t text_top;		/* first line of it shown */
	int32_t *mm;			/* minimap columns */
	size_t mmcap;
	size_t mm_width;		/* columns mm is laid out for, 0: none
					 * (for the map shown) */
	uint64_t counters[MM_NCOUNTERS];	/* of the map shown, when */
	bool counters_ok;			/* this is set */
	uint8_t *visible;		/* per region: 1 shown, 2 selected */
	size_t viscap;
};

/* Where things go this frame. */
struct layout {
	int banner, minimap, titles, pane, status;	/* lines; -1: none */
	int height;		/* lines of the main pane */
	unsigned int addr;	/* hex digits of an address */
	bool range;		/* START-END, or START alone */
	unsigned int bar;	/* cells of the size bar */
};

static volatile sig_atomic_t stop_signal;
static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Set before curses starts, so that curses leaves these to us. */
static void catch_signals(struct sigaction old[3])
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction old[3])
{
	for (int i = 0; i < 3; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* "HH:MM:SS" (local time) of the wall time @ns. */
static void hms(int64_t ns, char *b, size_t size)
{
	time_t sec = (time_t)(ns / 1000000000);
	struct tm tm;

	if (!localtime_r(&sec, &tm) || !strftime(b, size, "%H:%M:%S", &tm))
		snprintf(b, size, "?");
}

__attribute__((format(printf, 2, 3)))
static void say(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
}

static struct vmaset *cur(struct tui *t)
{
	return &t->sets[t->cur];
}

/* ------------------------------------------------------------ drawing */

/* Outside a UTF-8 locale: @s with its non-ASCII bytes as \xNN. */
static void ascii_only(struct tui *t, const char **s, size_t *len)
{
	static const char hx[] = "0123456789abcdef";
	struct obuf *o = &t->ascii;

	o->len = 0;
	for (size_t i = 0; i < *len; i++) {
		unsigned char c = (unsigned char)(*s)[i];
		char x[4] = { '\\', 'x', hx[c >> 4], hx[c & 15] };

		if (c < 0x80)
			obuf_putc(o, (char)c);
		else
			obuf_put(o, x, 4);
	}
	*s = o->p;
	*len = o->len;
}

/*
 * Draw @len bytes of terminal-safe text at (@y, *@x) with @attr, cut at
 * the right edge; *@x moves past it.
 */
static void put(struct tui *t, int y, int *x, const char *s, size_t len,
		attr_t attr)
{
	size_t used, n;

	if (*x >= COLS || y < 0 || y >= LINES)
		return;
	if (!t->utf8)
		ascii_only(t, &s, &len);
	n = tui_clip(s, len, (size_t)(COLS - *x), &used);
	attrset(attr);
	mvaddnstr(y, *x, s, (int)n);
	*x += (int)used;
}

static void puts_at(struct tui *t, int y, int *x, const char *s, attr_t attr)
{
	put(t, y, x, s, strlen(s), attr);
}

/* What t->esc holds, drawn. */
static void put_esc(struct tui *t, int y, int *x, attr_t attr)
{
	put(t, y, x, t->esc.p, t->esc.len, attr);
}

/* Raw bytes, escaped for the terminal. */
static void put_raw(struct tui *t, int y, int *x, const char *raw,
		    size_t len, attr_t attr)
{
	t->esc.len = 0;
	esc_term(&t->esc, raw, len);
	put_esc(t, y, x, attr);
}

/* Blank the rest of line @y with @attr. */
static void fill(int y, int x, attr_t attr)
{
	if (x < COLS)
		mvhline(y, x, ' ' | attr, COLS - x);
}

static const struct {
	short fg;
	bool bright;
	char letter;		/* in the minimap */
} palette[VC_NCLASS] = {
	[VC_TEXT] = { COLOR_RED, false, 'T' },
	[VC_RODATA] = { COLOR_YELLOW, false, 'R' },
	[VC_DATA] = { COLOR_MAGENTA, false, 'D' },
	[VC_BSS] = { COLOR_MAGENTA, true, 'B' },
	[VC_HEAP] = { COLOR_BLUE, false, 'H' },
	[VC_STACK] = { COLOR_YELLOW, true, 'S' },
	[VC_ANON] = { COLOR_CYAN, false, 'A' },
	[VC_SHARED] = { COLOR_GREEN, false, 'M' },
	[VC_FILE] = { -1, false, 'F' },
	[VC_GUARD] = { COLOR_BLACK, true, 'G' },
	[VC_KERNEL] = { COLOR_RED, true, 'K' },
};

static attr_t class_attr(const struct tui *t, unsigned int cls)
{
	if (!t->color || cls >= VC_NCLASS)
		return A_NORMAL;
	return COLOR_PAIR(1 + (int)cls) |
	       (palette[cls].bright && COLORS < 16 ? A_BOLD : A_NORMAL);
}

static attr_t mark_attr(const struct tui *t, struct tui_mark m)
{
	int pair = m.kind == DK_ADDED ? PAIR_ADDED :
		   m.kind == DK_REMOVED ? PAIR_REMOVED : PAIR_CHANGED;

	if (!m.age)
		return A_NORMAL;
	return A_BOLD | (t->color ? COLOR_PAIR(pair) : A_NORMAL);
}

static void start_colors(struct tui *t)
{
	short bg = -1;

	if (!t->color || !has_colors() || start_color() == ERR) {
		t->color = false;
		return;
	}
	if (use_default_colors() == ERR)
		bg = COLOR_BLACK;
	for (unsigned int c = 0; c < VC_NCLASS; c++) {
		short fg = palette[c].fg;

		if (fg >= 0 && palette[c].bright && COLORS >= 16)
			fg = (short)(fg + 8);
		init_pair((short)(1 + c), fg < 0 && bg >= 0 ? COLOR_WHITE : fg,
			  bg);
	}
	init_pair(PAIR_ADDED, COLOR_GREEN, bg);
	init_pair(PAIR_REMOVED, COLOR_RED, bg);
	init_pair(PAIR_CHANGED, COLOR_YELLOW, bg);
	init_pair(PAIR_BANNER, COLOR_WHITE, COLOR_RED);
}

static void layout(struct tui *t, struct layout *l)
{
	const struct vmaset *s = cur(t);
	uint64_t top = 0;
	unsigned int fixed = 2 + 6 + 5 + 7 + (t->smaps ? 18 : 0);
	int y = 2;

	for (size_t i = 0; i < s->n; i++)
		top = s->v[i].end > top ? s->v[i].end : top;
	l->addr = obuf_hex_digits(top) < 8 ? 8 : obuf_hex_digits(top);
	l->banner = t->ended ? y++ : -1;
	l->minimap = y;
	l->titles = y + 2;
	l->pane = y + 3;
	l->status = LINES - 1;
	l->height = l->status - l->pane;
	l->bar = COLS >= 150 ? 20 : COLS >= 110 ? 12 : COLS >= 80 ? 8 : 4;
	l->range = COLS >= (int)(fixed + l->bar + 2 * l->addr + 2 + 40);
}

/* Keep the selected row on screen, and the pane full when it can be. */
static void scroll_to_cursor(struct tui *t, const struct layout *l)
{
	size_t h = l->height > 0 ? (size_t)l->height : 1, n = t->view.nrows;

	if (t->cursor >= n)
		t->cursor = n ? n - 1 : 0;
	if (t->cursor < t->top)
		t->top = t->cursor;
	if (t->cursor >= t->top + h)
		t->top = t->cursor - h + 1;
	if (t->top + h > n)
		t->top = n > h ? n - h : 0;
}

/* "live, every 1s, read 12:00:01", "paused", "saved map" ... */
static void state_text(struct tui *t, char *b, size_t size)
{
	char at[16];

	hms(t->read_ns, at, sizeof(at));
	if (!t->o->feed)
		snprintf(b, size, "saved map, static");
	else if (t->ended)
		snprintf(b, size, "STOPPED  read %s", at);
	else
		snprintf(b, size, "%s  every %gs  read %s",
			 t->paused ? "PAUSED" : "live",
			 (double)t->delay_ns / 1e9, at);
}

/* The process (PID, command line or [comm]) or the file, into t->esc. */
static void put_source(struct tui *t)
{
	const struct vmaset *s = cur(t);
	const struct vset_source *src = &s->src;
	uint32_t cl = src->cmdline ? vset_strlen(s, src->cmdline) : 0;

	t->esc.len = 0;
	if (src->kind != VS_PID) {
		esc_term(&t->esc, vset_str(s, src->file),
			 vset_strlen(s, src->file));
		obuf_puts(&t->esc, src->smaps ? " (smaps)" : " (maps)");
		return;
	}
	obuf_printf(&t->esc, "pid %d  ", (int)src->pid);
	if (cl) {
		esc_term(&t->esc, vset_str(s, src->cmdline), cl > 1024 ? 1024 : cl);
	} else if (src->comm) {
		obuf_putc(&t->esc, '[');
		esc_term(&t->esc, vset_str(s, src->comm),
			 vset_strlen(s, src->comm));
		obuf_putc(&t->esc, ']');
	}
}

/* Line 0: the process (or file), and the refresh state on the right. */
static void draw_header(struct tui *t)
{
	char right[96];
	int x = 0, rx;
	size_t n;

	state_text(t, right, sizeof(right));
	rx = COLS - (int)strlen(right);
	rx = rx < 0 ? 0 : rx;
	put_source(t);
	n = tui_clip(t->esc.p, t->esc.len, rx > 2 ? (size_t)rx - 2 : 0, NULL);
	put(t, 0, &x, t->esc.p, n, A_BOLD);
	puts_at(t, 0, &rx, right, t->paused || t->ended ?
		A_BOLD | A_REVERSE : A_BOLD);
}

static void put_amount(struct obuf *o, const char *label, uint64_t v,
		       bool known)
{
	char b[8];

	obuf_puts(o, label);
	if (known)
		obuf_put(o, b, table_human(v, b));
	else
		obuf_putc(o, '?');
}

/* RSS or swap: the kernel's counter, its rollup, or the smaps sums. */
static bool resident(struct tui *t, bool swap, uint64_t *v)
{
	struct acct a;

	if (t->has_k && t->k.have >> (swap ? MM_SWAP : MM_RSS) & 1) {
		*v = t->k.val[swap ? MM_SWAP : MM_RSS];
		return true;
	}
	if (t->has_k && t->k.has_rollup) {
		*v = t->k.rollup[swap ? MR_SWAP : MR_RSS];
		return true;
	}
	acct_sum_all(cur(t), &a);
	*v = swap ? a.total.swap : a.total.rss;
	return cur(t)->nsm > 0;
}

static void put_classes(struct obuf *o, uint32_t mask)
{
	const char *sep = "";

	if (mask == ACCT_ALL_CLASSES) {
		obuf_puts(o, "all");
		return;
	}
	for (unsigned int c = 0; c < VC_NCLASS; c++)
		if (mask >> c & 1) {
			obuf_puts(o, sep);
			obuf_puts(o, vma_class_name(c));
			sep = ",";
		}
}

/* Line 1: mm totals rebuilt from the regions, RSS, swap, view settings. */
static void draw_totals(struct tui *t)
{
	static const char *const sorts[] = { "address", "size", "RSS" };
	struct obuf *o = &t->esc;
	uint64_t r[MM_NCOUNTERS], v;
	int x = 0;
	bool known;

	if (!t->counters_ok)
		summary_counters(cur(t), false, t->counters);
	t->counters_ok = true;
	memcpy(r, t->counters, sizeof(r));
	o->len = 0;
	put_amount(o, "total_vm ", r[MM_TOTAL_VM], true);
	known = resident(t, false, &v);
	put_amount(o, "  rss ", v, known);
	known = resident(t, true, &v);
	put_amount(o, "  swap ", v, known);
	obuf_printf(o, "  map_count %llu   rows %zu/%zu  class ",
		    (unsigned long long)r[MM_MAP_COUNT], t->view.nrows,
		    cur(t)->n + t->view.nghosts);
	put_classes(o, t->view.classes);
	obuf_printf(o, "  sort %s  smaps %s%s", sorts[t->view.sort],
		    t->smaps ? "on" : "off", cur(t)->torn ? "  [torn read]" : "");
	put_esc(t, 1, &x, A_NORMAL);
}

static void draw_banner(struct tui *t, int y)
{
	attr_t a = A_BOLD | (t->color ? COLOR_PAIR(PAIR_BANNER) : A_REVERSE);
	int x = 0;

	put_raw(t, y, &x, t->banner, strlen(t->banner), a);
	fill(y, x, a);
}

static int grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n <= *cap)
		return 0;
	p = realloc(*(void **)arr, n * size);
	if (!p)
		return -ENOMEM;
	*(void **)arr = p;
	*cap = n;
	return 0;
}

/* Which regions the main pane shows (1) and which one is selected (2). */
static int mark_visible(struct tui *t, const struct layout *l)
{
	const struct vmaset *s = cur(t);
	size_t end = t->top + (size_t)l->height;

	if (grow(&t->visible, &t->viscap, s->n + 1, 1))
		return -ENOMEM;
	memset(t->visible, 0, s->n + 1);
	for (size_t row = t->top; row < end && row < t->view.nrows; row++)
		if (!t->view.rows[row].ghost)
			t->visible[t->view.rows[row].i] =
				row == t->cursor ? 2 : 1;
	return 0;
}

static void draw_mm_cell(struct tui *t, int y, int x, int32_t what)
{
	const struct vma *v;
	char c[2] = { ' ', 0 };
	attr_t a = A_NORMAL;

	if (what == TUI_MM_CUT) {
		puts_at(t, y, &x, t->utf8 ? "\u2248" : "~", A_DIM);
		return;
	}
	if (what == TUI_MM_HOLE) {
		puts_at(t, y, &x, " ", A_NORMAL);
		return;
	}
	v = &cur(t)->v[what];
	c[0] = palette[v->cls].letter;
	if (!(t->view.classes >> v->cls & 1))
		a = A_DIM;
	else if (t->color)
		a = class_attr(t, v->cls) | A_REVERSE;
	puts_at(t, y, &x, c, a);
}

static void draw_mm_mark(struct tui *t, int y, int x, int32_t what)
{
	uint8_t vis = what >= 0 ? t->visible[what] : 0;

	if (vis == 2)
		puts_at(t, y, &x, t->utf8 ? "\u25b2" : "^", A_BOLD);
	else if (vis == 1)
		puts_at(t, y, &x, t->utf8 ? "\u2500" : "-", A_NORMAL);
}

/* The strip of the whole address space, and what the pane shows. */
static void draw_minimap(struct tui *t, const struct layout *l)
{
	size_t w = (size_t)COLS;

	if (grow(&t->mm, &t->mmcap, w, sizeof(*t->mm)) || mark_visible(t, l))
		return;		/* out of memory: no minimap this frame */
	if (t->mm_width != w)
		tui_minimap(cur(t), t->mm, w);
	t->mm_width = w;
	for (size_t c = 0; c < w; c++) {
		draw_mm_cell(t, l->minimap, (int)c, t->mm[c]);
		draw_mm_mark(t, l->minimap + 1, (int)c, t->mm[c]);
	}
}

static void draw_titles(struct tui *t, const struct layout *l)
{
	struct obuf *o = &t->esc;
	unsigned int aw = l->range ? 2 * l->addr + 1 : l->addr;
	int x = 0;

	o->len = 0;
	obuf_puts(o, "  ");
	obuf_left(o, l->range ? "START-END" : "START", aw + 1);
	obuf_puts(o, " SIZE ");
	obuf_left(o, l->bar >= 10 ? "SIZE (log)" : "LOG", l->bar + 1);
	obuf_puts(o, "PERM CLASS  ");
	if (t->smaps)
		obuf_puts(o, "  RSS   PSS  SWAP ");
	obuf_puts(o, "PATH");
	if (t->mode == TM_DETAILS)
		obuf_puts(o, "   [details: Esc closes, arrows scroll]");
	put_esc(t, l->titles, &x, A_BOLD | A_UNDERLINE);
	fill(l->titles, x, A_UNDERLINE);
}

static void draw_mark(struct tui *t, int y, int *x,
		      const struct tui_rowinfo *ri, attr_t base)
{
	char m[2] = { ri->mark.age ? diff_kind_mark(ri->mark.kind) : ' ', ' ' };

	put(t, y, x, m, 2, base | mark_attr(t, ri->mark));
}

static void draw_range(struct tui *t, const struct layout *l, int y, int *x,
		       const struct tui_rowinfo *ri, attr_t base)
{
	struct obuf *o = &t->esc;

	o->len = 0;
	obuf_hex(o, ri->start, l->addr);
	if (l->range) {
		obuf_putc(o, '-');
		obuf_hex(o, ri->end, l->addr);
	}
	obuf_putc(o, ' ');
	table_put_size(o, ri->end - ri->start, false, 5);
	obuf_putc(o, ' ');
	put_esc(t, y, x, base);
}

/* @n times the glyph @g (or the ASCII @a outside UTF-8). */
static void glyphs(struct tui *t, struct obuf *o, const char *g, char a,
		   unsigned int n)
{
	while (n--) {
		if (t->utf8)
			obuf_puts(o, g);
		else
			obuf_putc(o, a);
	}
}

/* A bar of @e eighths; returns the cells used. */
static unsigned int bar_plain(struct tui *t, struct obuf *o, unsigned int e)
{
	static const char *const part[8] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b",
		"\u258a", "\u2589",
	};

	if (!t->utf8) {
		e = (e + 4) / 8 ? (e + 4) / 8 : 1;
		glyphs(t, o, "", '#', e);
		return e;
	}
	glyphs(t, o, "\u2588", '#', e / 8);
	obuf_puts(o, part[e % 8]);
	return e / 8 + (e % 8 != 0);
}

/* A bar of @e eighths in whole cells, the resident part solid. */
static unsigned int bar_rss(struct tui *t, struct obuf *o, unsigned int e,
			    uint64_t rss, uint64_t size)
{
	uint64_t cells = (e + 7) / 8, res = 0;

	if (rss && size)
		res = (cells * rss + size / 2) / size;
	if (rss && !res)
		res = 1;
	res = res > cells ? cells : res;
	glyphs(t, o, "\u2588", '#', (unsigned int)res);
	glyphs(t, o, "\u2591", '.', (unsigned int)(cells - res));
	return (unsigned int)cells;
}

static void draw_bar(struct tui *t, const struct layout *l, int y, int *x,
		     const struct tui_rowinfo *ri, attr_t base)
{
	const struct vma_smaps *sm = ri->v && t->smaps ?
				     vset_smaps(cur(t), ri->v) : NULL;
	uint64_t size = ri->end - ri->start;
	unsigned int e = tui_bar_eighths(size, l->bar), used;
	struct obuf *o = &t->esc;

	o->len = 0;
	used = sm ? bar_rss(t, o, e, sm->val[SM_RSS], size) : bar_plain(t, o, e);
	put_esc(t, y, x, base | class_attr(t, ri->cls));
	o->len = 0;
	obuf_pad(o, l->bar + 1 - used);
	put_esc(t, y, x, base);
}

static void draw_kind(struct tui *t, int y, int *x,
		      const struct tui_rowinfo *ri, attr_t base)
{
	struct obuf *o = &t->esc;

	o->len = 0;
	table_put_perms(o, ri->perms);
	obuf_putc(o, ' ');
	put_esc(t, y, x, base);
	o->len = 0;
	obuf_left(o, vma_class_name(ri->cls), 7);
	put_esc(t, y, x, base | class_attr(t, ri->cls));
}

static void draw_smaps(struct tui *t, int y, int *x,
		       const struct tui_rowinfo *ri, attr_t base)
{
	const struct vma_smaps *sm = ri->v ? vset_smaps(cur(t), ri->v) : NULL;
	static const unsigned int keys[3] = { SM_RSS, SM_PSS, SM_SWAP };
	struct obuf *o = &t->esc;

	o->len = 0;
	for (int i = 0; i < 3; i++) {
		if (sm)
			table_put_size(o, sm->val[keys[i]], false, 5);
		else
			obuf_puts(o, "    -");
		obuf_putc(o, ' ');
	}
	put_esc(t, y, x, base);
}

/* The path, its end kept when it is too long. */
static void draw_path(struct tui *t, int y, int *x,
		      const struct tui_rowinfo *ri, attr_t base)
{
	struct obuf *o = &t->esc;
	size_t room = *x < COLS ? (size_t)(COLS - *x) : 0, skip = 0;

	o->len = 0;
	if (ri->v)
		table_put_path(cur(t), ri->v, o);
	else
		obuf_puts(o, ri->path);
	if (room > 1 && tui_width(o->p, o->len) > room) {
		skip = tui_tail(o->p, o->len, room - 1);
		puts_at(t, y, x, t->utf8 ? "\u2026" : "<", base | A_BOLD);
	}
	put(t, y, x, o->p + skip, o->len - skip, base);
}

static void draw_row(struct tui *t, const struct layout *l, int y,
		     size_t row)
{
	attr_t base = row == t->cursor ? A_REVERSE : A_NORMAL;
	struct tui_rowinfo ri;
	int x = 0;

	tui_row_info(&t->view, row, &ri);
	if (!ri.v)
		base |= A_DIM;
	else if (ri.mark.age && ri.mark.kind == DK_ADDED)
		base |= A_BOLD;
	draw_mark(t, y, &x, &ri, base);
	draw_range(t, l, y, &x, &ri, base);
	draw_bar(t, l, y, &x, &ri, base);
	draw_kind(t, y, &x, &ri, base);
	if (t->smaps)
		draw_smaps(t, y, &x, &ri, base);
	draw_path(t, y, &x, &ri, base);
	fill(y, x, base);
}

/* Line @n of the details or help text, and its length. */
static const char *text_line(const struct tui *t, size_t n, size_t *len)
{
	const char *p = t->text.p, *end = p + t->text.len, *nl;

	for (; n && p < end; n--) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	return p;
}

static void draw_text(struct tui *t, const struct layout *l)
{
	for (int i = 0; i < l->height; i++) {
		size_t len;
		const char *p = text_line(t, t->text_top + (size_t)i, &len);
		int x = 1;

		put(t, l->pane + i, &x, p, len, A_NORMAL);
	}
}

static void draw_pane(struct tui *t, const struct layout *l)
{
	if (t->mode == TM_DETAILS || t->mode == TM_HELP) {
		draw_text(t, l);
		return;
	}
	for (int i = 0; i < l->height && t->top + (size_t)i < t->view.nrows;
	     i++)
		draw_row(t, l, l->pane + i, t->top + (size_t)i);
	if (!t->view.nrows) {
		int x = 2;

		puts_at(t, l->pane, &x, "no region of this class: c changes "
			"the class shown", A_DIM);
	}
}

static const char keys_help[] =
	"q quit  ? help  / search  n/N next  a address  c class  s sort  "
	"x smaps  Enter details  +/- interval  space pause";
static const char keys_short[] = "q quit  ? help  / search  a address";
static const char text_help[] =
	"Esc or Enter closes  Up Down j k PgUp PgDn scroll  q quit";

static void draw_prompt(struct tui *t, int y)
{
	int x = 0;

	puts_at(t, y, &x, t->mode == TM_SEARCH ? "search path: " :
		"jump to address: ", A_BOLD);
	put_raw(t, y, &x, t->input, t->ninput, A_NORMAL);
	fill(y, x, A_NORMAL);
	move(y, x < COLS ? x : COLS - 1);
}

/* The keys the status line lists, in @room columns. */
static const char *status_keys(const struct tui *t, int room)
{
	if (t->mode == TM_HELP)
		return "any key closes the help";
	if (t->mode == TM_DETAILS)
		return text_help;
	return room > (int)sizeof(keys_help) ? keys_help : keys_short;
}

/* The status line: keys or the last message; the position on the right. */
static void draw_status(struct tui *t, const struct layout *l)
{
	char right[64];
	int x = 0, rx;

	if (t->mode == TM_SEARCH || t->mode == TM_ADDR) {
		draw_prompt(t, l->status);
		return;
	}
	if (t->view.nrows)
		snprintf(right, sizeof(right), " [%zu/%zu] @%llx", t->cursor + 1,
			 t->view.nrows, (unsigned long long)
			 tui_view_key(&t->view, t->cursor).start);
	else
		snprintf(right, sizeof(right), " [0/0]");
	rx = COLS - (int)strlen(right);
	if (t->msg[0])
		put_raw(t, l->status, &x, t->msg, strlen(t->msg), A_REVERSE);
	else
		puts_at(t, l->status, &x, status_keys(t, rx), A_REVERSE);
	fill(l->status, x, A_REVERSE);
	if (rx > 0)
		puts_at(t, l->status, &rx, right, A_REVERSE | A_BOLD);
}

static void draw_small(struct tui *t)
{
	char need[64];
	int x = 0, x2 = 0;

	snprintf(need, sizeof(need), "%dx%d, need %dx%d", COLS, LINES,
		 TUI_MIN_COLS, TUI_MIN_LINES);
	puts_at(t, 0, &x, "terminal too small", A_BOLD);
	if (LINES > 1)
		puts_at(t, 1, &x2, need, A_NORMAL);
}

static void draw(struct tui *t)
{
	struct layout l;

	t->dirty = false;
	erase();
	curs_set(t->mode == TM_SEARCH || t->mode == TM_ADDR);
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		curs_set(0);
		draw_small(t);
		refresh();
		return;
	}
	layout(t, &l);
	scroll_to_cursor(t, &l);
	draw_header(t);
	draw_totals(t);
	if (l.banner >= 0)
		draw_banner(t, l.banner);
	draw_minimap(t, &l);
	draw_titles(t, &l);
	draw_pane(t, &l);
	draw_status(t, &l);
	refresh();
}

/* ------------------------------------------------------------ reading */

/* Reads have stopped for good: say why on the banner, keep the map. */
static void stop_reading(struct tui *t, int r, const char *why)
{
	char at[16];

	hms(t->read_ns, at, sizeof(at));
	snprintf(t->banner, sizeof(t->banner), "%s: %s; showing the map "
		 "read at %s (q quits)", r == TUI_GONE ? "process exited" :
		 r == -EACCES || r == -EPERM ? "permission lost" :
		 "read failed", why, at);
	t->ended = true;
}

/* Show the set just read into the other slot, following the cursor. */
static int show_next(struct tui *t, const struct mm_kernel *k,
		     struct err *e)
{
	struct vmaset *old = cur(t), *next = &t->sets[!t->cur];
	struct tui_key key = tui_view_key(&t->view, t->cursor);
	size_t line = t->cursor > t->top ? t->cursor - t->top : 0;
	struct diff d;
	int r = diff_build(old, next, &d);

	if (!r) {
		r = tui_view_update(&t->view, next, &d);
		t->cursor = tui_view_find(&t->view, &d, key);
		diff_free(&d);
	}
	if (r)
		return err_set(e, r, "out of memory");
	vset_free(old);
	t->cur = !t->cur;
	t->mm_width = 0;
	t->counters_ok = false;
	t->k = *k;
	t->has_k = true;
	t->read_ns = clock_ns(CLOCK_REALTIME);
	t->top = t->cursor > line ? t->cursor - line : 0;
	return 0;
}

/* The map read is the one shown: only the marks age, and the counters. */
static int show_same(struct tui *t, const struct mm_kernel *k,
		     struct err *e)
{
	if (tui_view_age(&t->view))
		return err_set(e, -ENOMEM, "out of memory");
	t->k = *k;
	t->has_k = true;
	t->read_ns = clock_ns(CLOCK_REALTIME);
	return 0;
}

/* smaps was asked for but could not be opened: columns off, say why. */
static void smaps_denied(struct tui *t)
{
	int why = cur(t)->src.smaps_errno;

	if (!why)
		return;
	t->smaps = false;
	say(t, "smaps cannot be read (%s): no RSS, PSS, DIRTY, SWAP",
	    why == EACCES ? "permission denied" : "no smaps file");
}

/* Read the map again; only running out of memory is fatal. */
static int reread(struct tui *t, struct err *e)
{
	struct vmaset *next = &t->sets[!t->cur];
	struct mm_kernel k;
	struct err re = { 0 };
	int r;

	vset_init(next);
	memset(&k, 0, sizeof(k));
	r = t->o->feed->read(t->o->feed->arg, t->smaps, cur(t), next, &k,
			     &re);
	if (!r) {
		r = show_next(t, &k, e);
		smaps_denied(t);
		return r;
	}
	vset_free(next);
	if (r == TUI_SAME)
		return show_same(t, &k, e);
	if (r == -ENOMEM)
		return err_set(e, r, "%s", re.msg);
	stop_reading(t, r, re.msg);
	return 0;
}

static bool can_read(const struct tui *t)
{
	return t->o->feed && !t->ended;
}

/* One refresh interval gone by: read again unless paused or stopped. */
static int tick(struct tui *t, struct err *e)
{
	int64_t now = clock_ns(CLOCK_MONOTONIC);
	int r = 0;

	if (now < t->next_ns)
		return 0;
	t->next_ns = now + (int64_t)t->delay_ns;
	t->ticks++;
	t->dirty = true;
	if (can_read(t) && !t->paused)
		r = reread(t, e);
	if (t->o->iterations && t->ticks >= t->o->iterations)
		t->quit = true;
	return r;
}

/* ------------------------------------------------------------ actions */

static size_t page(void)
{
	int h = LINES - 7;

	return h > 1 ? (size_t)h : 1;
}

static void move_by(struct tui *t, long n)
{
	size_t last = t->view.nrows ? t->view.nrows - 1 : 0;

	if (n < 0)
		t->cursor = t->cursor > (size_t)-n ? t->cursor - (size_t)-n : 0;
	else
		t->cursor = t->cursor + (size_t)n < last ?
			    t->cursor + (size_t)n : last;
}

/*
 * Every key's action takes the argument of its binding: rows to move by,
 * a mode, a direction.  Rows to move by, beyond numbers: a page, all.
 */
enum { BY_PAGE = 0x40000000, BY_ALL = 0x7fffffff };

static int act_quit(struct tui *t, long arg, struct err *e)
{
	(void)arg;
	(void)e;
	t->quit = true;
	return 0;
}

static int act_move(struct tui *t, long by, struct err *e)
{
	(void)e;
	if (by == BY_PAGE || by == -BY_PAGE)
		by = by > 0 ? (long)page() : -(long)page();
	move_by(t, by);
	return 0;
}

/* Start typing a search or an address (@mode). */
static int act_prompt(struct tui *t, long mode, struct err *e)
{
	(void)e;
	t->mode = (enum tui_mode)mode;
	t->ninput = 0;
	return 0;
}

static void find(struct tui *t, bool back)
{
	long row;

	if (!t->pattern[0]) {
		say(t, "no search yet: / starts one");
		return;
	}
	row = tui_view_search(&t->view, t->pattern, t->cursor, back, &t->esc);
	if (row < 0) {
		say(t, "not found: %s", t->pattern);
		return;
	}
	say(t, "%s%s%s", back ? "?" : "/", t->pattern,
	    (size_t)row == t->cursor ? " (the only match)" :
	    (back ? (size_t)row > t->cursor : (size_t)row < t->cursor) ?
	    " (wrapped around)" : "");
	t->cursor = (size_t)row;
}

/* n, N: the next match, forwards or (@back) backwards. */
static int act_find(struct tui *t, long back, struct err *e)
{
	(void)e;
	find(t, back);
	return 0;
}

/* Rows rebuilt after a filter or order change, the cursor kept. */
static int rebuild(struct tui *t, struct tui_key k, struct err *e)
{
	if (tui_view_rows(&t->view))
		return err_set(e, -ENOMEM, "out of memory");
	t->cursor = tui_view_find(&t->view, NULL, k);
	return 0;
}

static int act_class(struct tui *t, long arg, struct err *e)
{
	struct tui_key k = tui_view_key(&t->view, t->cursor);
	int r;

	(void)arg;
	t->view.classes = tui_next_class(cur(t), t->view.classes);
	r = rebuild(t, k, e);
	t->esc.len = 0;
	put_classes(&t->esc, t->view.classes);
	say(t, "class: %.*s (%zu rows)", (int)t->esc.len, t->esc.p,
	    t->view.nrows);
	return r;
}

/* Turn the smaps columns on (or off), reading smaps now when live. */
static int set_smaps(struct tui *t, bool on, struct err *e)
{
	if (!t->o->feed && on && !cur(t)->src.smaps) {
		say(t, "this saved map has no smaps fields");
		return 0;
	}
	t->smaps = on;
	if (!on && t->view.sort == AS_RSS)
		t->view.sort = AS_START;
	say(t, "smaps columns %s%s", on ? "on" : "off",
	    !on || !t->o->feed || cur(t)->src.smaps ? "" :
	    t->ended ? " (reads have stopped)" :
	    t->paused ? " (read at the next refresh)" : "");
	if (on && can_read(t) && !t->paused && !cur(t)->src.smaps)
		return reread(t, e);
	return 0;
}

static int act_smaps(struct tui *t, long arg, struct err *e)
{
	struct tui_key k = tui_view_key(&t->view, t->cursor);
	int r = set_smaps(t, !t->smaps, e);

	(void)arg;
	return r ? r : rebuild(t, k, e);
}

static int act_sort(struct tui *t, long arg, struct err *e)
{
	static const char *const names[] = { "address", "size", "RSS" };
	struct tui_key k = tui_view_key(&t->view, t->cursor);
	int r = 0;

	(void)arg;
	t->view.sort = (enum acct_sort)((t->view.sort + 1) % 3);
	if (t->view.sort == AS_RSS && !t->smaps)
		r = set_smaps(t, true, e);
	if (t->view.sort == AS_RSS && !t->smaps)
		t->view.sort = AS_START;	/* a saved maps file */
	if (!r)
		r = rebuild(t, k, e);
	say(t, "sort: %s%s", names[t->view.sort], t->view.sort == AS_START &&
	    !t->smaps && !cur(t)->src.smaps ? " (no smaps: no RSS)" : "");
	return r;
}

/* The details of a region, with smaps read once if they were not. */
static void region_details(struct tui *t, const struct tui_rowinfo *ri)
{
	struct vmaset one;
	struct mm_kernel k;
	struct err e = { 0 };
	const struct vma *v;

	if (vset_smaps(cur(t), ri->v) || !can_read(t)) {
		tui_details(cur(t), ri->v, ri->mark, &t->text);
		return;
	}
	vset_init(&one);
	if (!t->o->feed->read(t->o->feed->arg, true, NULL, &one, &k, &e) &&
	    !vset_need_find(&one) && (v = vset_find(&one, ri->start)) &&
	    v->start == ri->start && v->end == ri->end)
		tui_details(&one, v, ri->mark, &t->text);
	else
		tui_details(cur(t), ri->v, ri->mark, &t->text);
	vset_free(&one);
}

static int act_details(struct tui *t, long arg, struct err *e)
{
	struct tui_rowinfo ri;

	(void)arg;
	(void)e;
	if (!t->view.nrows)
		return 0;
	tui_row_info(&t->view, t->cursor, &ri);
	t->text.len = 0;
	if (ri.v)
		region_details(t, &ri);
	else
		tui_ghost_details(&t->view.ghosts[t->view.rows[t->cursor].i],
				  &t->text);
	t->mode = TM_DETAILS;
	t->text_top = 0;
	return 0;
}

static const char help_text[] =
	"vmamap --live: the address space of a process, refreshed\n"
	"\n"
	"  Up Down j k     move          PgUp PgDn   a page\n"
	"  g G Home End    first, last   Enter       details of the region\n"
	"  /               search path   n N         next, previous match\n"
	"  a               jump to an address (hex, in a region or the next)\n"
	"  c               class shown: all, then each class in turn\n"
	"  s               sort: address, size, RSS\n"
	"  x               smaps columns RSS PSS SWAP (smaps read only then)\n"
	"  + -             refresh less or more often\n"
	"  space           pause, resume\n"
	"  Ctrl-L          redraw         q           quit\n"
	"\n"
	"Marks:   + added  - removed (dimmed)  > grown  < shrunk  ~ perms\n"
	"         @ moved  / split  & merged  * memory; for "
	"3 refreshes\n"
	"Minimap: T text  R rodata  D data  B bss  H heap  S stack  A anon\n"
	"         M shared  F file  G guard  K kernel; ~ or \u2248 a huge "
	"hole cut;\n"
	"         the line below marks the rows shown, ^ or \u25b2 the "
	"selected one\n"
	"Bars:    log scale, 4 KiB to 128 TiB; with smaps the resident "
	"part is solid\n"
	"\n"
	"Any key closes this help.\n";

static int act_help(struct tui *t, long arg, struct err *e)
{
	(void)arg;
	(void)e;
	t->text.len = 0;
	obuf_puts(&t->text, help_text);
	t->mode = TM_HELP;
	t->text_top = 0;
	return 0;
}

static const uint32_t delay_steps_ms[] = {
	100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000,
};
enum { NSTEPS = sizeof(delay_steps_ms) / sizeof(delay_steps_ms[0]) };

static void change_delay(struct tui *t, bool longer)
{
	uint64_t d = t->delay_ns;

	if (!t->o->feed) {
		say(t, "a saved map: nothing to refresh");
		return;
	}
	for (size_t i = 0; i < NSTEPS; i++) {
		uint64_t s = delay_steps_ms[longer ? i : NSTEPS - 1 - i] *
			     (uint64_t)1000000;

		if (longer ? s > d : s < d) {
			t->delay_ns = s;
			break;
		}
	}
	t->next_ns = clock_ns(CLOCK_MONOTONIC) + (int64_t)t->delay_ns;
	say(t, "refresh every %gs%s", (double)t->delay_ns / 1e9,
	    d == t->delay_ns ? (longer ? " (the longest)" : " (the shortest)")
			     : "");
}

/* + and -: refresh less often (@longer) or more often. */
static int act_delay(struct tui *t, long longer, struct err *e)
{
	(void)e;
	change_delay(t, longer);
	return 0;
}

static int act_pause(struct tui *t, long arg, struct err *e)
{
	(void)arg;
	(void)e;
	if (!can_read(t)) {
		say(t, t->ended ? "reads have stopped" :
		    "a saved map: nothing to refresh");
		return 0;
	}
	t->paused = !t->paused;
	if (!t->paused)
		t->next_ns = clock_ns(CLOCK_MONOTONIC);
	say(t, t->paused ? "paused: space resumes" : "live again");
	return 0;
}

static int act_redraw(struct tui *t, long arg, struct err *e)
{
	(void)t;
	(void)arg;
	(void)e;
	clearok(curscr, TRUE);
	return 0;
}

/* ------------------------------------------------------------ keys */

struct binding {
	wint_t key;
	bool fkey;		/* a KEY_ code, not a character */
	int (*act)(struct tui *t, long arg, struct err *e);
	long arg;
};

static const struct binding map_keys[] = {
	{ 'q', false, act_quit, 0 }, { 'Q', false, act_quit, 0 },
	{ 'j', false, act_move, 1 }, { KEY_DOWN, true, act_move, 1 },
	{ 'k', false, act_move, -1 }, { KEY_UP, true, act_move, -1 },
	{ KEY_NPAGE, true, act_move, BY_PAGE },
	{ 'F' - 64, false, act_move, BY_PAGE },
	{ KEY_PPAGE, true, act_move, -BY_PAGE },
	{ 'B' - 64, false, act_move, -BY_PAGE },
	{ 'g', false, act_move, -BY_ALL }, { KEY_HOME, true, act_move, -BY_ALL },
	{ 'G', false, act_move, BY_ALL }, { KEY_END, true, act_move, BY_ALL },
	{ '/', false, act_prompt, TM_SEARCH }, { 'a', false, act_prompt, TM_ADDR },
	{ 'n', false, act_find, false }, { 'N', false, act_find, true },
	{ 'c', false, act_class, 0 }, { 's', false, act_sort, 0 },
	{ 'x', false, act_smaps, 0 }, { '\r', false, act_details, 0 },
	{ '\n', false, act_details, 0 }, { KEY_ENTER, true, act_details, 0 },
	{ '+', false, act_delay, true }, { '=', false, act_delay, true },
	{ '-', false, act_delay, false }, { '_', false, act_delay, false },
	{ ' ', false, act_pause, 0 }, { '?', false, act_help, 0 },
	{ KEY_F(1), true, act_help, 0 }, { 'L' - 64, false, act_redraw, 0 },
};

static int map_key(struct tui *t, int kind, wint_t wc, struct err *e)
{
	bool fkey = kind == KEY_CODE_YES;

	t->msg[0] = '\0';
	for (size_t i = 0; i < sizeof(map_keys) / sizeof(map_keys[0]); i++)
		if (map_keys[i].key == wc && map_keys[i].fkey == fkey)
			return map_keys[i].act(t, map_keys[i].arg, e);
	say(t, "unknown key: ? shows the keys");
	return 0;
}

/* "a": the row of the region holding the address typed, or the next. */
static void jump(struct tui *t)
{
	struct addr_query q;
	struct err e = { 0 };
	const struct vma *v;
	long row;

	if (lookup_parse(t->input, t->ninput, &q, &e)) {
		say(t, "%s", e.msg);
		return;
	}
	if (vset_need_find(cur(t))) {
		say(t, "out of memory");
		return;
	}
	v = vset_find(cur(t), q.start);
	if (!v) {
		say(t, "%llx: not mapped, nothing above it",
		    (unsigned long long)q.start);
		return;
	}
	row = tui_view_row_of(&t->view, v);
	if (row < 0) {
		say(t, "%llx: its region (%s) is hidden by the class filter",
		    (unsigned long long)q.start, vma_class_name(v->cls));
		return;
	}
	t->cursor = (size_t)row;
	say(t, v->start <= q.start ? "%llx: in this region, at +0x%llx" :
	    "%llx: not mapped; the next region up is selected",
	    (unsigned long long)q.start,
	    (unsigned long long)(q.start - v->start));
}

static void commit(struct tui *t)
{
	enum tui_mode m = t->mode;

	t->mode = TM_MAP;
	if (m == TM_ADDR) {
		jump(t);
		return;
	}
	if (!t->ninput)
		return;
	memcpy(t->pattern, t->input, t->ninput);
	t->pattern[t->ninput] = '\0';
	find(t, false);
}

/* Append the character @wc (as UTF-8) to the prompt. */
static void type_char(struct tui *t, wint_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1 || t->ninput + n >= sizeof(t->input))
		return;
	memcpy(t->input + t->ninput, mb, n);
	t->ninput += n;
}

/* Delete the last character typed (a whole UTF-8 sequence). */
static void erase_char(struct tui *t)
{
	while (t->ninput && (t->input[t->ninput - 1] & 0xc0) == 0x80)
		t->ninput--;
	if (t->ninput)
		t->ninput--;
}

static int prompt_key(struct tui *t, int kind, wint_t wc)
{
	bool fkey = kind == KEY_CODE_YES;

	if ((fkey && wc == KEY_BACKSPACE) || (!fkey && (wc == 127 || wc == 8)))
		erase_char(t);
	else if ((fkey && wc == KEY_ENTER) || (!fkey && (wc == '\r' ||
							 wc == '\n')))
		commit(t);
	else if (!fkey && wc == 27)
		t->mode = TM_MAP;
	else if (!fkey && wc == 'U' - 64)
		t->ninput = 0;
	else if (!fkey && wc >= 0x20 && !esc_unsafe_cp((uint32_t)wc))
		type_char(t, wc);
	return 0;
}

/* Keys of the details and help text: scroll, close, quit. */
static int text_key(struct tui *t, int kind, wint_t wc)
{
	bool fkey = kind == KEY_CODE_YES;
	size_t lines = 0;

	for (size_t i = 0; i < t->text.len; i++)
		lines += t->text.p[i] == '\n';
	if (!fkey && (wc == 'q' || wc == 'Q'))
		t->quit = true;
	else if ((fkey && wc == KEY_DOWN) || (!fkey && wc == 'j'))
		t->text_top += t->text_top + page() < lines;
	else if ((fkey && wc == KEY_UP) || (!fkey && wc == 'k'))
		t->text_top -= t->text_top > 0;
	else if (fkey && wc == KEY_NPAGE)
		t->text_top = t->text_top + 2 * page() < lines ?
			      t->text_top + page() : t->text_top;
	else if (fkey && wc == KEY_PPAGE)
		t->text_top = t->text_top > page() ? t->text_top - page() : 0;
	else if (t->mode == TM_HELP || wc == 27 || wc == '\r' || wc == '\n' ||
		 wc == 'h' || wc == KEY_LEFT || wc == KEY_ENTER)
		t->mode = TM_MAP;
	return 0;
}

/* Milliseconds until the next refresh, at most 250 (signals are polled). */
static int wait_ms(const struct tui *t)
{
	int64_t left = t->next_ns - clock_ns(CLOCK_MONOTONIC);

	if (left <= 0)
		return 0;
	return left >= 250000000 ? 250 : (int)((left + 999999) / 1000000);
}

/* Wait for a key until the next refresh is due, and act on it. */
static int on_key(struct tui *t, struct err *e)
{
	wint_t wc = 0;
	int kind;

	timeout(wait_ms(t));
	kind = get_wch(&wc);
	if (kind == ERR)
		return 0;
	t->dirty = true;
	if (kind == KEY_CODE_YES && wc == KEY_RESIZE)
		return 0;
	switch (t->mode) {
	case TM_SEARCH:
	case TM_ADDR:
		return prompt_key(t, kind, wc);
	case TM_DETAILS:
	case TM_HELP:
		return text_key(t, kind, wc);
	default:
		return map_key(t, kind, wc, e);
	}
}

/* ------------------------------------------------------------ life */

static bool utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static int screen_start(struct tui *t, struct err *e)
{
	const char *term = getenv("TERM");

	char *cup;

	t->scr = newterm(NULL, stdout, stdin);
	cup = t->scr ? tigetstr("cup") : NULL;
	if (t->scr && (!cup || cup == (char *)-1)) {
		endwin();	/* a terminal that cannot move its cursor */
		delscreen(t->scr);
		t->scr = NULL;
	}
	if (!t->scr)
		return err_set(e, -ENOTTY, "cannot draw on this terminal "
			       "(TERM=%.40s)", term ? term : "unset");
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	start_colors(t);
	return 0;
}

static int tui_start(struct tui *t, struct vmaset *first,
		     const struct mm_kernel *k, const struct tui_opts *o,
		     struct err *e)
{
	memset(t, 0, sizeof(*t));
	t->o = o;
	t->sets[0] = *first;
	vset_init(first);
	vset_init(&t->sets[1]);
	t->has_k = k != NULL;
	if (k)
		t->k = *k;
	t->smaps = o->smaps && t->sets[0].src.smaps;
	if (o->smaps)
		smaps_denied(t);
	t->delay_ns = o->delay_ns;
	t->color = o->color;
	t->utf8 = utf8_locale();
	t->dirty = true;
	t->read_ns = clock_ns(CLOCK_REALTIME);
	t->next_ns = clock_ns(CLOCK_MONOTONIC) + (int64_t)o->delay_ns;
	tui_view_init(&t->view, o->classes, o->sort);
	if (obuf_init(&t->esc, -1) || obuf_init(&t->ascii, -1) ||
	    obuf_init(&t->text, -1) ||
	    tui_view_update(&t->view, &t->sets[0], NULL))
		return err_set(e, -ENOMEM, "out of memory");
	return screen_start(t, e);
}

/* Restore the terminal first, then free everything. */
static void tui_end(struct tui *t)
{
	if (t->scr) {
		endwin();
		delscreen(t->scr);
	}
	tui_view_free(&t->view);
	vset_free(&t->sets[0]);
	vset_free(&t->sets[1]);
	free(t->esc.p);
	free(t->ascii.p);
	free(t->text.p);
	free(t->mm);
	free(t->visible);
}

static int loop(struct tui *t, struct err *e)
{
	int r = 0;

	while (!r && !t->quit && !stop_signal) {
		r = tick(t, e);
		if (!r && !t->quit && t->dirty)
			draw(t);
		if (!r && !t->quit)
			r = on_key(t, e);
	}
	return r;
}

int tui_run(struct vmaset *first, const struct mm_kernel *k,
	    const struct tui_opts *o, struct err *e)
{
	struct sigaction old[3];
	struct tui t;
	int r;

	stop_signal = 0;
	catch_signals(old);
	r = tui_start(&t, first, k, o, e);
	if (!r)
		r = loop(&t, e);
	tui_end(&t);
	restore_signals(old);
	return r ? r : stop_signal;
}
