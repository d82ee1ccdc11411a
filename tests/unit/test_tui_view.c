// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tui_view.c - unit test of the terminal-free part of the live map:
 * bar lengths, column clipping, the minimap layout, marks and ghosts
 * carried through the diff from one refresh to the next, the cursor
 * following its region, search, the class cycle and the details text.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "tap.h"
#include "testset.h"
#include "tui_view.h"

static void test_bar(void)
{
	unsigned int prev = 0;
	bool mono = true;

	ok(tui_bar_eighths(4096, 20) == 1, "a 4 KiB region has a bar of 1/8");
	ok(tui_bar_eighths(1, 20) == 1, "a region under 4 KiB too");
	ok(tui_bar_eighths(1ull << 47, 20) == 160, "128 TiB fills the bar");
	ok(tui_bar_eighths(~0ull, 20) == 160, "more never overflows it");
	for (unsigned int sh = 12; sh <= 47; sh++) {
		unsigned int e = tui_bar_eighths(1ull << sh, 20);

		mono = mono && e > prev;
		prev = e;
	}
	ok(mono, "every doubling from 4 KiB to 128 TiB makes the bar longer");
	ok(tui_bar_eighths(64ull << 30, 20) > 8 * tui_bar_eighths(4096, 20),
	   "64 GiB and 4 KiB are both visible, 64 GiB far longer");
	ok(tui_bar_eighths(4096, 1) == 1 && tui_bar_eighths(1ull << 47, 1) == 8,
	   "a one-cell bar goes from 1/8 to 8/8");
}

static void test_clip(void)
{
	const char *wide = "ab\xe6\x97\xa5\xe6\x9c\xac";	/* ab + 2 CJK */
	size_t used;

	ok(tui_width(wide, strlen(wide)) == 6, "CJK characters are 2 columns");
	ok(tui_clip(wide, strlen(wide), 3, &used) == 2 && used == 2,
	   "a wide character that does not fit is left out whole");
	ok(tui_clip(wide, strlen(wide), 4, &used) == 5 && used == 4,
	   "a wide character that fits is kept whole");
	ok(tui_clip("abc", 3, 10, &used) == 3 && used == 3,
	   "short text is kept");
	ok(tui_tail(wide, strlen(wide), 4) == 2,
	   "the tail in 4 columns is the two wide characters");
	ok(tui_tail(wide, strlen(wide), 3) == 5,
	   "the tail in 3 columns is one wide character");
	ok(tui_tail("abc", 3, 5) == 0, "a text that fits keeps its start");
}

/* A program, a heap, a library far above, a stack at the top. */
static const char spread[] =
	"555555554000-555555556000 r--p 00000000 08:01 10 /bin/p\n"
	"555555556000-555555557000 r-xp 00002000 08:01 10 /bin/p\n"
	"555555557000-555555559000 rw-p 00003000 08:01 10 /bin/p\n"
	"555555559000-55555557a000 rw-p 00000000 00:00 0 [heap]\n"
	"7f0000000000-7f1000000000 ---p 00000000 00:00 0\n"
	"7f1000000000-7f1000001000 ---p 00000000 00:00 0\n"
	"7ffff7dd0000-7ffff7df0000 r-xp 00000000 08:01 20 /lib/l.so\n"
	"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n";

static void test_minimap(void)
{
	struct vmaset s;
	struct err e;
	int32_t col[80];
	bool order = true, seen[8] = { false };
	int32_t last = -1;
	size_t cuts = 0, all = 0;

	build(&s, spread, &e);
	tui_minimap(&s, col, 80);
	for (size_t c = 0; c < 80; c++) {
		cuts += col[c] == TUI_MM_CUT;
		if (col[c] < 0)
			continue;
		order = order && col[c] >= last;
		last = col[c];
		seen[col[c]] = true;
	}
	for (size_t i = 0; i < s.n; i++)
		all += seen[i];
	ok(col[0] == 0 && col[79] == (int32_t)s.n - 1,
	   "the minimap runs from the lowest region to the highest");
	ok(order, "regions are drawn in address order");
	ok(all == s.n, "every region has a column, the 4 KiB ones too "
	   "(%zu of %zu)", all, s.n);
	ok(cuts == 2, "the two huge holes are cut to one column each (%zu)",
	   cuts);
	tui_minimap(&s, col, 3);
	ok(col[0] >= 0 && col[2] >= 0, "three columns still show regions");
	vset_free(&s);
}

static const char before[] =
	"1000-2000 r-xp 00000000 08:01 5 /bin/t\n"
	"3000-4000 rw-p 00000000 00:00 0 [heap]\n"
	"8000-9000 r--p 00000000 08:01 7 /data/Old.bin\n"
	"f000-10000 rw-p 00000000 00:00 0 [stack]\n";
static const char after[] =
	"1000-2000 r-xp 00000000 08:01 5 /bin/t\n"
	"3000-6000 rw-p 00000000 00:00 0 [heap]\n"
	"a000-b000 r--p 00000000 08:01 9 /data/new.bin\n"
	"e000-10000 rw-p 00000000 00:00 0 [stack]\n";

/* Show @next after the set the view shows; returns the row of @k. */
static size_t refresh(struct tui_view *v, const struct vmaset *next,
		      struct tui_key k)
{
	struct diff d;
	size_t row;

	if (diff_build(v->s, next, &d))
		return SIZE_MAX;
	tui_view_update(v, next, &d);
	row = tui_view_find(v, &d, k);
	diff_free(&d);
	return row;
}

static struct tui_rowinfo info(const struct tui_view *v, size_t row)
{
	struct tui_rowinfo ri;

	tui_row_info(v, row, &ri);
	return ri;
}

static void test_marks(void)
{
	struct vmaset a, b, c, d, f;
	struct tui_view v;
	struct err e;
	size_t row;

	build(&a, before, &e);
	build(&b, after, &e);
	build(&c, after, &e);
	build(&d, after, &e);
	build(&f, after, &e);
	tui_view_init(&v, ACCT_ALL_CLASSES, AS_START);
	tui_view_update(&v, &a, NULL);
	ok(v.nrows == 4 && !info(&v, 1).mark.age, "first set: 4 rows, no marks");
	row = refresh(&v, &b, tui_view_key(&v, 3));
	ok(v.nrows == 5, "a removed region stays as a ghost row (%zu rows)",
	   v.nrows);
	ok(info(&v, 1).mark.kind == DK_GROWN && info(&v, 1).mark.age == 3,
	   "the heap is marked grown");
	ok(!info(&v, 2).v && info(&v, 2).mark.kind == DK_REMOVED &&
	   strstr(info(&v, 2).path, "Old.bin"),
	   "the ghost sits in address order, marked removed, with its path");
	ok(info(&v, 3).mark.kind == DK_ADDED, "the new file is marked added");
	ok(row == 4 && info(&v, 4).start == 0xe000,
	   "the cursor follows the stack whose start moved down");
	refresh(&v, &c, tui_view_key(&v, 0));
	ok(info(&v, 1).mark.age == 2 && v.nrows == 5,
	   "a refresh later: marks one older, the ghost still there");
	v.classes = 1u << VC_FILE;
	tui_view_rows(&v);
	ok(v.nrows == 2 && !info(&v, 0).v,
	   "the class filter applies to ghosts too");
	v.classes = ACCT_ALL_CLASSES;
	tui_view_rows(&v);
	refresh(&v, &d, tui_view_key(&v, 0));
	ok(v.nrows == 5 && info(&v, 1).mark.age == 1,
	   "the third refresh is the last to show them");
	refresh(&v, &f, tui_view_key(&v, 0));
	ok(v.nrows == 4 && !info(&v, 1).mark.age,
	   "then the marks and the ghost are gone");
	tui_view_free(&v);
	vset_free(&a);
	vset_free(&b);
	vset_free(&c);
	vset_free(&d);
	vset_free(&f);
}

static void test_search(void)
{
	struct vmaset s;
	struct tui_view v;
	struct obuf o;
	struct err e;

	build(&s, before, &e);
	obuf_init(&o, -1);
	tui_view_init(&v, ACCT_ALL_CLASSES, AS_SIZE);
	tui_view_update(&v, &s, NULL);
	v.sort = AS_START;
	tui_view_rows(&v);
	ok(tui_view_search(&v, "old.BIN", 0, false, &o) == 2,
	   "search ignores ASCII case");
	ok(tui_view_search(&v, "[", 2, false, &o) == 3 &&
	   tui_view_search(&v, "[", 3, false, &o) == 1,
	   "n goes to the next match and wraps around");
	ok(tui_view_search(&v, "[", 3, true, &o) == 1 &&
	   tui_view_search(&v, "[", 1, true, &o) == 3,
	   "N goes back and wraps around");
	ok(tui_view_search(&v, "nothing", 0, false, &o) == -1,
	   "no match: -1");
	ok(tui_view_row_of(&v, vset_find(&s, 0x3800)) == 1,
	   "the row of the region holding an address");
	ok(tui_next_class(&s, ACCT_ALL_CLASSES) == 1u << VC_TEXT &&
	   tui_next_class(&s, 1u << VC_TEXT) == 1u << VC_HEAP &&
	   tui_next_class(&s, 1u << VC_FILE) == ACCT_ALL_CLASSES,
	   "c goes from all to each class present, then back to all");
	tui_view_free(&v);
	free(o.p);
	vset_free(&s);
}

static const char smaps_text[] =
	"1000-3000 r-xp 00000000 08:01 5 /bin/t\n"
	"Size:                  8 kB\n"
	"Rss:                   4 kB\n"
	"Pss:                   2 kB\n"
	"NewCounter:            3 kB\n"
	"VmFlags: rd ex mr mw me lo zz\n"
	"3000-4000 rw-p 00002000 08:01 5 /bin/t\n"
	"Size:                  4 kB\n"
	"VmFlags: rd wr\n"
	"4000-5000 rw-p 00000000 00:00 0\n"
	"Size:                  4 kB\n"
	"VmFlags: rd wr\n";

static void test_details(void)
{
	struct tui_mark m = { DK_GROWN, 2 };
	struct vmaset s;
	struct obuf o;
	struct err e;

	build(&s, smaps_text, &e);
	obuf_init(&o, -1);
	tui_details(&s, &s.v[0], m, &o);
	obuf_putc(&o, '\0');
	ok(strstr(o.p, "range      1000-3000\n") &&
	   strstr(o.p, "size       8.0K (8192 bytes)\n") &&
	   strstr(o.p, "class      text\n"), "details: range, size, class");
	ok(strstr(o.p, "  Rss                              4 kB\n") &&
	   strstr(o.p, "  NewCounter                       3 kB\n"),
	   "details: every smaps field, unknown ones too");
	ok(strstr(o.p, "  lo  VM_LOCKED\n") &&
	   strstr(o.p, "  unknown: zz\n"),
	   "details: VmFlags with the kernel's VM_ names");
	ok(strstr(o.p, "image      /bin/t: 2 regions, 12K mapped\n") != NULL,
	   "details: the image the region belongs to");
	ok(strstr(o.p, "change     > grown (marked for 2 more refreshes)\n")
	   != NULL, "details: the change mark");
	o.len = 0;
	tui_details(&s, &s.v[2], (struct tui_mark){ 0, 0 }, &o);
	obuf_putc(&o, '\0');
	ok(strstr(o.p, "class      bss\n") &&
	   strstr(o.p, "image      /bin/t: 2 regions"),
	   "details: bss belongs to the image before it");
	free(o.p);
	vset_free(&s);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	test_bar();
	test_clip();
	test_minimap();
	test_marks();
	test_search();
	test_details();
	return tap_done();
}
