// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_table.c - one row per region, a header and a footer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "colors.h"
#include "escape.h"
#include "render_table.h"

/* Column widths decided once per table. */
struct widths {
	unsigned int addr, size, inode, dev;
};

/* Characters of "MAJ:MIN" as printed (at least two hex digits each). */
static unsigned int dev_len(const struct vma *v)
{
	unsigned int a = obuf_hex_digits(v->major), b = obuf_hex_digits(v->minor);

	return (a < 2 ? 2 : a) + 1 + (b < 2 ? 2 : b);
}

/* "@whole" or "@whole.@tenth" followed by @unit into @buf. */
static size_t human_fmt(char *buf, unsigned int whole, int tenth, char unit)
{
	char *p = buf, tmp[8];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	while (n)
		*p++ = tmp[--n];
	if (tenth >= 0) {
		*p++ = '.';
		*p++ = (char)('0' + tenth);
	}
	if (unit)
		*p++ = unit;
	*p = '\0';
	return (size_t)(p - buf);
}

size_t table_human(uint64_t v, char *buf)
{
	static const char units[] = "BKMGTPE";
	unsigned int u = 0;

	if (v < 1024)
		return human_fmt(buf, (unsigned int)v, -1, v ? 'B' : 0);
	if (v < 10240 && !(v & 1023)) {
		/* 1.0K to 9.0K: the sizes of most regions and smaps counters */
		memcpy(buf, "0.0K", 5);
		buf[0] = (char)('0' + (v >> 10));
		return 4;
	}
	while (u < 6 && v >> (10 * (u + 1)))
		u++;
	for (;; u++) {
		unsigned int sh = 10 * u;
		unsigned __int128 half = (unsigned __int128)1 << (sh - 1);
		uint64_t tenths = (uint64_t)(((unsigned __int128)v * 10 + half) >> sh);
		uint64_t whole = (uint64_t)(((unsigned __int128)v + half) >> sh);

		if (tenths < 100)
			return human_fmt(buf, (unsigned int)(tenths / 10),
					 (int)(tenths % 10), units[u]);
		if (whole < 1024 || u == 6)
			return human_fmt(buf, (unsigned int)whole, -1, units[u]);
	}
}

/*
 * A size column at @p (room for 40 bytes reserved); width at most 20.
 * table_human() writes at most 7 bytes and a NUL: 8 are copied.
 */
static char *size_at(char *p, uint64_t v, bool bytes, unsigned int width)
{
	char b[8];
	size_t n;

	if (bytes)
		return obuf_u64_at(p, v, width);
	n = table_human(v, b);
	p = obuf_spaces_at(p, width > n ? width - n : 0);
	memcpy(p, b, sizeof(b));	/* one word, whatever its length */
	return p + n;
}

void table_put_size(struct obuf *o, uint64_t v, bool bytes,
		    unsigned int width)
{
	if (width > 20) {
		obuf_pad(o, width - 20);
		width = 20;
	}
	obuf_commit(o, size_at(obuf_reserve(o, 40), v, bytes, width));
}

static void widths_of(const struct vmaset *s, const uint32_t *idx, size_t n,
		      const struct acct *a, const struct table_opts *opt,
		      struct widths *w)
{
	uint64_t maxend = 0, maxino = 0, big = a->total.size;

	w->dev = 5;
	for (size_t i = 0; i < n; i++) {
		const struct vma *v = &s->v[idx[i]];

		maxend = v->end > maxend ? v->end : maxend;
		maxino = v->inode > maxino ? v->inode : maxino;
		if (v->major > 0xff || v->minor > 0xff)
			w->dev = dev_len(v) > w->dev ? dev_len(v) : w->dev;
	}
	w->addr = obuf_hex_digits(maxend);
	w->addr = w->addr < 8 ? 8 : w->addr;
	w->inode = obuf_dec_digits(maxino);
	w->inode = w->inode < 5 ? 5 : w->inode;
	w->size = opt->bytes ? obuf_dec_digits(big) : 5;
	if (w->size < 5)
		w->size = 5;
}

/*
 * "  (snapshot FILE, captured TIME)" for a set loaded from a snapshot,
 * unless the snapshot named no other source than itself.
 */
static void put_snapshot(const struct vmaset *s, struct obuf *o)
{
	const struct vset_source *src = &s->src;

	if (!src->snapshot || src->snapshot == src->file)
		return;
	obuf_puts(o, "  (snapshot ");
	esc_term(o, vset_str(s, src->snapshot), vset_strlen(s, src->snapshot));
	if (src->kind == VS_PID && src->captured_at) {
		obuf_puts(o, ", captured ");
		obuf_utc(o, src->captured_at);
	}
	obuf_putc(o, ')');
}

void table_put_header(const struct vmaset *s, struct obuf *o)
{
	const struct vset_source *src = &s->src;

	if (src->kind == VS_PID) {
		obuf_u64(o, (uint64_t)src->pid, 0);
		obuf_put(o, ": ", 2);
		if (src->cmdline && vset_strlen(s, src->cmdline))
			esc_term(o, vset_str(s, src->cmdline),
				 vset_strlen(s, src->cmdline));
		else if (src->comm) {
			obuf_putc(o, '[');
			esc_term(o, vset_str(s, src->comm),
				 vset_strlen(s, src->comm));
			obuf_putc(o, ']');
		}
	} else {
		esc_term(o, vset_str(s, src->file), vset_strlen(s, src->file));
		obuf_puts(o, src->smaps ? " (smaps)" : " (maps)");
	}
	put_snapshot(s, o);
	if (s->torn)
		obuf_puts(o, "  [torn read: the process changed while read]");
	obuf_putc(o, '\n');
}

static void put_columns(const struct widths *w, const struct table_opts *opt,
			struct obuf *o)
{
	obuf_left(o, "START", w->addr + 1);
	obuf_left(o, "END", w->addr);
	obuf_right(o, "SIZE", w->size + 1);
	if (opt->smaps) {
		obuf_right(o, "RSS", w->size + 1);
		obuf_right(o, "PSS", w->size + 1);
		obuf_right(o, "DIRTY", w->size + 1);
		obuf_right(o, "SWAP", w->size + 1);
	}
	obuf_puts(o, " PERM OFFSET   ");
	obuf_left(o, "DEV", w->dev + 1);
	obuf_right(o, "INODE", w->inode);
	obuf_puts(o, " CLASS  PATH\n");
}

/* The RSS, PSS, DIRTY and SWAP columns at @p, or dashes without smaps. */
static char *smaps_at(char *p, const struct vma_smaps *sm,
		      const struct table_opts *opt, unsigned int width)
{
	uint64_t v[4];

	if (!sm) {
		for (int i = 0; i < 4; i++)
			p = obuf_put_at(obuf_spaces_at(p, width), "-", 1);
		return p;
	}
	v[0] = sm->val[SM_RSS];
	v[1] = sm->val[SM_PSS];
	v[2] = acct_dirty(sm);
	v[3] = sm->val[SM_SWAP];
	for (int i = 0; i < 4; i++)
		p = size_at(obuf_put_at(p, " ", 1), v[i], opt->bytes, width);
	return p;
}

void table_put_name(struct obuf *o, const char *p, size_t len, bool deleted)
{
	size_t keep;

	/* Trailing spaces of a name are made visible: "\x20". */
	for (keep = len; keep && p[keep - 1] == ' '; keep--)
		;
	esc_term(o, p, keep);
	for (; keep < len; keep++)
		obuf_put(o, "\\x20", 4);
	if (deleted)
		obuf_puts(o, " (deleted)");
}

void table_put_path(const struct vmaset *s, const struct vma *v,
		    struct obuf *o)
{
	size_t len;
	const char *p = vma_path(s, v, &len);

	if (!p && v->tid) {	/* a thread's stack: no name of its own */
		obuf_puts(o, "[stack:");
		obuf_u64(o, v->tid, 0);
		obuf_putc(o, ']');
	}
	table_put_name(o, p ? p : "", len, v->flags & VF_DELETED);
}

/*
 * Room for a row up to its name: two addresses, five sizes of at most 20
 * columns and their gaps, the fields, and the 16 bytes obuf_hex_at() may
 * store past a number.
 */
enum { ROW_ROOM = 2 * 17 + 5 * 41 + 5 + 17 + 36 + 21 + 8 + 16 };

/*
 * "MAJ:MIN" at @p and the spaces to @width + 1 columns (room reserved).
 * Both below 256, as on every machine of today: "fe:01" without the
 * general conversion.
 */
static char *dev_at(char *p, const struct vma *v, unsigned int width)
{
	static const char hex[] = "0123456789abcdef";

	if ((v->major | v->minor) < 256) {
		char d[5] = { hex[v->major >> 4], hex[v->major & 15], ':',
			      hex[v->minor >> 4], hex[v->minor & 15] };

		return obuf_spaces_at(obuf_put_at(p, d, 5), width - 4);
	}
	p = obuf_hex_at(p, v->major, 2);
	p = obuf_hex_at(obuf_put_at(p, ":", 1), v->minor, 2);
	return obuf_spaces_at(p, width + 1 - dev_len(v));
}

/* A row's columns from START to CLASS, at @p; returns the end. */
static char *fields_at(char *p, const struct vmaset *s, const struct vma *v,
		       const struct widths *w, const struct table_opts *opt)
{
	size_t len;
	const char *cls = vma_class_name_len(v->cls, &len);

	p = obuf_hex_at(p, v->start, w->addr);
	p = obuf_hex_at(obuf_put_at(p, "-", 1), v->end, w->addr);
	p = size_at(obuf_put_at(p, " ", 1), vma_size(v), opt->bytes, w->size);
	if (opt->smaps)
		p = smaps_at(p, vset_smaps(s, v), opt, w->size);
	p = table_perms_at(obuf_put_at(p, " ", 1), v->perms);
	p = obuf_hex_at(obuf_put_at(p, " ", 1), v->offset, 8);
	p = dev_at(obuf_put_at(p, " ", 1), v, w->dev);
	p = obuf_put_at(obuf_u64_at(p, v->inode, w->inode), " ", 1);
	memcpy(p, cls, VMA_CLASS_ROOM);		/* one word, NUL-padded */
	p += len;
	if (!v->path && !v->tid)
		return p;
	return obuf_spaces_at(p, len < 7 ? 7 - len : 0);
}

static void put_row(const struct vmaset *s, const struct vma *v,
		    const struct widths *w, const struct table_opts *opt,
		    struct obuf *o)
{
	if (opt->color)
		obuf_puts(o, colors_class(v->cls));
	obuf_commit(o, fields_at(obuf_reserve(o, ROW_ROOM), s, v, w, opt));
	if (v->path || v->tid || (v->flags & VF_DELETED))
		table_put_path(s, v, o);
	if (opt->color)
		obuf_puts(o, colors_reset);
	obuf_putc(o, '\n');
}

static void put_amount(struct obuf *o, const char *label, uint64_t v,
		       const struct table_opts *opt)
{
	char b[8];

	obuf_puts(o, ", ");
	if (opt->bytes)
		obuf_u64(o, v, 0);
	else
		obuf_put(o, b, table_human(v, b));
	obuf_putc(o, ' ');
	obuf_puts(o, label);
}

static void put_footer(const struct acct *a, const struct table_opts *opt,
		       struct obuf *o)
{
	const char *sep = "classes: ";

	obuf_puts(o, opt->filtered ? "total (filtered): " : "total: ");
	obuf_u64(o, a->total.count, 0);
	obuf_puts(o, a->total.count == 1 ? " region" : " regions");
	put_amount(o, "mapped", a->total.size, opt);
	if (opt->smaps) {
		put_amount(o, "rss", a->total.rss, opt);
		put_amount(o, "pss", a->total.pss, opt);
		put_amount(o, "dirty", a->total.dirty, opt);
		put_amount(o, "swap", a->total.swap, opt);
	}
	obuf_putc(o, '\n');
	for (unsigned int c = 0; c < VC_NCLASS; c++) {
		char b[8];

		if (!a->cls[c].count)
			continue;
		obuf_puts(o, sep);
		obuf_puts(o, vma_class_name(c));
		obuf_putc(o, ' ');
		obuf_u64(o, a->cls[c].count, 0);
		obuf_putc(o, '/');
		if (opt->bytes)
			obuf_u64(o, a->cls[c].size, 0);
		else
			obuf_put(o, b, table_human(a->cls[c].size, b));
		sep = ", ";
	}
	if (a->total.count)
		obuf_putc(o, '\n');
}

/* A hole as a row: its range and size, "gap" in the CLASS column. */
static void put_gap(const struct acct_hole *h, const struct widths *w,
		    const struct table_opts *opt, struct obuf *o)
{
	obuf_hex(o, h->start, w->addr);
	obuf_putc(o, '-');
	obuf_hex(o, h->end, w->addr);
	obuf_putc(o, ' ');
	table_put_size(o, h->end - h->start, opt->bytes, w->size);
	obuf_pad(o, (opt->smaps ? 4 * (w->size + 1) : 0) + 21 + w->dev +
		    w->inode);
	obuf_puts(o, "gap\n");
}

static void holes_footer(const struct acct_hole *h, long nh,
			 const struct table_opts *opt, struct obuf *o)
{
	uint64_t total = 0;

	for (long i = 0; i < nh; i++)
		total += h[i].end - h[i].start;
	obuf_puts(o, "holes: ");
	obuf_u64(o, (uint64_t)nh, 0);
	put_amount(o, "unmapped between the first and last mapping", total,
		   opt);
	obuf_putc(o, '\n');
}

/* Rows in address order with the holes of the whole map between them. */
static void rows_with_gaps(const struct vmaset *s, const uint32_t *idx,
			   size_t n, const struct widths *w,
			   const struct table_opts *opt, struct obuf *o,
			   const struct acct_hole *h, long nh)
{
	long j = 0;

	for (size_t i = 0; i < n; i++) {
		const struct vma *v = &s->v[idx[i]];

		for (; j < nh && h[j].end <= v->start; j++)
			put_gap(&h[j], w, opt, o);
		put_row(s, v, w, opt, o);
	}
	for (; j < nh; j++)
		put_gap(&h[j], w, opt, o);
}

void table_render(const struct vmaset *s, const uint32_t *idx, size_t n,
		  const struct table_opts *opt, struct obuf *o)
{
	struct acct_hole *h = NULL;
	long nh = opt->gaps ? acct_holes(s, &h) : 0;
	struct acct a;
	struct widths w;

	acct_sum(s, idx, n, &a);
	widths_of(s, idx, n, &a, opt, &w);
	table_put_header(s, o);
	put_columns(&w, opt, o);
	if (nh < 0)
		nh = 0;	/* out of memory: the regions alone */
	rows_with_gaps(s, idx, n, &w, opt, o, h, nh);
	put_footer(&a, opt, o);
	if (opt->gaps)
		holes_footer(h, nh, opt, o);
	free(h);
}
