// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_diff.c - the diff as a table, as a JSON document, and as --watch
 * event lines (see render_diff.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "colors.h"
#include "escape.h"
#include "render_diff.h"
#include "render_json.h"
#include "render_table.h"

/* A difference of two unsigned amounts, without overflow. */
struct delta {
	bool neg;
	uint64_t mag;
};

static struct delta delta_of(uint64_t old, uint64_t new)
{
	return new < old ? (struct delta){ true, old - new }
			 : (struct delta){ false, new - old };
}

/* Column widths and what every row needs. */
struct dctx {
	const struct diff *d;
	const struct diff_opts *opt;
	struct obuf *o;
	unsigned int addr, size;
};

/* "+4.0K", "-12", "0": a signed size (or count with @count). */
static size_t fmt_delta(char *b, struct delta v, bool bytes)
{
	size_t n = 0;

	if (v.mag)
		b[n++] = v.neg ? '-' : '+';
	if (bytes || !v.mag)
		return n + (size_t)sprintf(b + n, "%llu",
					   (unsigned long long)v.mag);
	return n + table_human(v.mag, b + n);
}

static void put_delta(struct obuf *o, struct delta v, bool bytes,
		      unsigned int width)
{
	char b[32];
	size_t n = fmt_delta(b, v, bytes);

	obuf_pad(o, width > n ? width - n : 0);
	obuf_put(o, b, n);
}

/* Names of all kinds of a change joined with '+': "split+perms". */
static size_t put_kinds(struct obuf *o, uint32_t kinds)
{
	size_t n = 0;

	if (!kinds) {
		obuf_puts(o, diff_kind_name(DK_NKINDS));
		return strlen(diff_kind_name(DK_NKINDS));
	}
	for (unsigned int k = 0; k < DK_NKINDS; k++) {
		if (!(kinds >> k & 1))
			continue;
		if (n) {
			obuf_putc(o, '+');
			n++;
		}
		obuf_puts(o, diff_kind_name(k));
		n += strlen(diff_kind_name(k));
	}
	return n;
}

/* ---------------------------------------------------------------- table */

static uint64_t max_end(const struct vmaset *s)
{
	uint64_t m = 0;

	for (size_t i = 0; i < s->n; i++)
		m = s->v[i].end > m ? s->v[i].end : m;
	return m;
}

static void widths(struct dctx *x)
{
	uint64_t a = max_end(x->d->old), b = max_end(x->d->new);
	uint64_t big = x->d->acct[0].total.size > x->d->acct[1].total.size ?
		       x->d->acct[0].total.size : x->d->acct[1].total.size;

	x->addr = obuf_hex_digits(a > b ? a : b);
	x->addr = x->addr < 8 ? 8 : x->addr;
	x->size = x->opt->bytes ? obuf_dec_digits(big) : 5;
	x->size = x->size < 5 ? 5 : x->size;
}

enum { KIND_WIDTH = 12 };

/* What the first columns of a row say. */
struct lead {
	char mark;
	uint32_t kinds;
	const char *label;	/* instead of the kinds ("was"), or NULL */
	const struct delta *size;	/* NULL: blank */
	const struct delta *mem;	/* rss, pss, swap; NULL: blank */
};

static void put_lead(const struct dctx *x, const struct lead *l)
{
	size_t n;

	obuf_putc(x->o, l->mark);
	obuf_putc(x->o, ' ');
	if (l->label) {
		obuf_puts(x->o, l->label);
		n = strlen(l->label);
	} else {
		n = put_kinds(x->o, l->kinds);
	}
	obuf_pad(x->o, n < KIND_WIDTH ? KIND_WIDTH - n + 1 : 1);
}

static void put_opt_delta(const struct dctx *x, const struct delta *v)
{
	obuf_putc(x->o, ' ');
	if (v)
		put_delta(x->o, *v, x->opt->bytes, x->size + 1);
	else
		obuf_pad(x->o, x->size + 1);
}

static void put_row(const struct dctx *x, const struct vmaset *s,
		    const struct vma *v, const struct lead *l)
{
	const struct vma_smaps *sm = vset_smaps(s, v);

	put_lead(x, l);
	obuf_hex(x->o, v->start, x->addr);
	obuf_putc(x->o, '-');
	obuf_hex(x->o, v->end, x->addr);
	obuf_putc(x->o, ' ');
	table_put_size(x->o, vma_size(v), x->opt->bytes, x->size);
	put_opt_delta(x, l->size);
	if (x->d->smaps) {
		obuf_putc(x->o, ' ');
		table_put_size(x->o, sm ? sm->val[SM_RSS] : 0, x->opt->bytes,
			       x->size);
		for (int i = 0; i < 3; i++)
			put_opt_delta(x, l->mem ? &l->mem[i] : NULL);
	}
	obuf_putc(x->o, ' ');
	table_put_perms(x->o, v->perms);
	obuf_putc(x->o, ' ');
	obuf_puts(x->o, vma_class_name(v->cls));
	if (v->path || v->tid) {
		obuf_pad(x->o, 7 - strlen(vma_class_name(v->cls)));
		table_put_path(s, v, x->o);
	}
	obuf_putc(x->o, '\n');
}

static void put_side_rows(const struct dctx *x, const struct diff_change *c,
			  bool new_side, struct lead *l)
{
	const struct vmaset *s = new_side ? x->d->new : x->d->old;
	uint32_t n = new_side ? c->new_n : c->old_n;

	for (uint32_t i = 0; i < n; i++) {
		put_row(x, s, diff_region(x->d, c, new_side, i), l);
		*l = (struct lead){ .mark = ' ', .label = "" };
	}
}

static void put_change(const struct dctx *x, const struct diff_change *c)
{
	struct diff_side os, ns;
	struct delta size, mem[3];
	struct lead l = { .kinds = c->kinds, .size = &size };

	diff_side_sum(x->d, c, false, &os);
	diff_side_sum(x->d, c, true, &ns);
	size = delta_of(os.size, ns.size);
	mem[0] = delta_of(os.rss, ns.rss);
	mem[1] = delta_of(os.pss, ns.pss);
	mem[2] = delta_of(os.swap, ns.swap);
	l.mem = os.smaps || ns.smaps ? mem : NULL;
	l.mark = diff_kind_mark(diff_primary(c->kinds));
	if (x->opt->color)
		obuf_puts(x->o, colors_change(!c->old_n, !c->new_n));
	put_side_rows(x, c, c->new_n > 0, &l);
	if (c->old_n && c->new_n && c->kinds) {
		l = (struct lead){ .mark = ' ', .label = "was" };
		put_side_rows(x, c, false, &l);
	}
	if (x->opt->color)
		obuf_puts(x->o, colors_reset);
}

static void put_heads(const struct dctx *x)
{
	struct obuf *o = x->o;

	obuf_puts(o, "--- ");
	table_put_header(x->d->old, o);
	obuf_puts(o, "+++ ");
	table_put_header(x->d->new, o);
	obuf_puts(o, "  ");
	obuf_left(o, "KIND", KIND_WIDTH + 1);
	obuf_left(o, "START", x->addr + 1);
	obuf_left(o, "END", x->addr);
	obuf_right(o, "SIZE", x->size + 1);
	obuf_right(o, "DELTA", x->size + 2);
	if (x->d->smaps) {
		obuf_right(o, "RSS", x->size + 1);
		obuf_right(o, "dRSS", x->size + 2);
		obuf_right(o, "dPSS", x->size + 2);
		obuf_right(o, "dSWAP", x->size + 2);
	}
	obuf_puts(o, " PERM CLASS  PATH\n");
}

/* " LABEL OLD -> NEW DELTA" of sizes (or, with @count, plain numbers). */
static void put_triple(const struct dctx *x, const char *label,
		       uint64_t old, uint64_t new, bool count)
{
	bool bytes = count || x->opt->bytes;

	obuf_putc(x->o, ' ');
	obuf_puts(x->o, label);
	table_put_size(x->o, old, bytes, x->size + 1);
	obuf_puts(x->o, " ->");
	table_put_size(x->o, new, bytes, x->size + 1);
	put_delta(x->o, delta_of(old, new), bytes, x->size + 2);
}

static bool row_differs(const struct acct_row *a, const struct acct_row *b)
{
	return a->count != b->count || a->size != b->size ||
	       a->rss != b->rss || a->pss != b->pss || a->swap != b->swap;
}

static void put_class_row(const struct dctx *x, const char *name,
			  const struct acct_row *a, const struct acct_row *b)
{
	obuf_puts(x->o, "  ");
	obuf_left(x->o, name, 7);
	put_triple(x, "regions", a->count, b->count, true);
	put_triple(x, " size", a->size, b->size, false);
	if (x->d->smaps)
		put_triple(x, " rss", a->rss, b->rss, false);
	obuf_putc(x->o, '\n');
}

static void put_classes(const struct dctx *x)
{
	const struct acct *a = &x->d->acct[0], *b = &x->d->acct[1];

	obuf_puts(x->o, "\nclasses (old -> new, delta):\n");
	for (unsigned int c = 0; c < VC_NCLASS; c++)
		if ((x->opt->classes >> c & 1) &&
		    (x->opt->all || row_differs(&a->cls[c], &b->cls[c])))
			put_class_row(x, vma_class_name(c), &a->cls[c],
				      &b->cls[c]);
	put_class_row(x, "total", &a->total, &b->total);
}

static void put_counters(const struct dctx *x)
{
	obuf_puts(x->o, "\nmm counters, rebuilt from the regions "
		  "(old -> new, delta):\n");
	for (unsigned int c = 0; c < DIFF_NCOUNTERS; c++) {
		obuf_puts(x->o, "  ");
		obuf_left(x->o, mm_counter_name(c), 9);
		put_triple(x, "", x->d->counters[0][c], x->d->counters[1][c],
			   c == MM_MAP_COUNT);
		obuf_putc(x->o, '\n');
	}
}

/* Is change @c shown with these options? */
static bool shown(const struct diff *d, const struct diff_change *c,
		  const struct diff_opts *opt)
{
	return (c->kinds || opt->all) && diff_change_in(d, c, opt->classes);
}

static void put_verdict(const struct diff *d, const struct diff_opts *opt,
			struct obuf *o)
{
	unsigned int per[DK_NKINDS + 1] = { 0 };
	size_t n = diff_count(d, opt->classes);
	const char *sep = " (";

	if (!n) {
		obuf_puts(o, "\nno differences\n");
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		if (diff_change_in(d, &d->ch[i], opt->classes))
			per[diff_primary(d->ch[i].kinds)]++;
	obuf_puts(o, "\ndifferences: ");
	obuf_u64(o, n, 0);
	for (unsigned int k = 0; k < DK_NKINDS; k++) {
		if (!per[k])
			continue;
		obuf_puts(o, sep);
		obuf_u64(o, per[k], 0);
		obuf_putc(o, ' ');
		obuf_puts(o, diff_kind_name(k));
		sep = ", ";
	}
	obuf_puts(o, ")\n");
}

void diff_render_table(const struct diff *d, const struct diff_opts *opt,
		       struct obuf *o)
{
	struct dctx x = { .d = d, .opt = opt, .o = o };

	widths(&x);
	put_heads(&x);
	for (size_t i = 0; i < d->n; i++)
		if (shown(d, &d->ch[i], opt))
			put_change(&x, &d->ch[i]);
	put_classes(&x);
	put_counters(&x);
	put_verdict(d, opt, o);
}

/* ----------------------------------------------------------------- JSON */

static void put_jdelta(struct obuf *o, const char *key, uint64_t old,
		       uint64_t new)
{
	struct delta v = delta_of(old, new);

	obuf_putc(o, '"');
	obuf_puts(o, key);
	obuf_puts(o, v.neg ? "\": -" : "\": ");
	obuf_u64(o, v.mag, 0);
}

static void put_jaddr(struct obuf *o, const char *key, uint64_t v)
{
	obuf_putc(o, '"');
	obuf_puts(o, key);
	obuf_puts(o, "\": \"0x");
	obuf_hex(o, v, 1);
	obuf_puts(o, "\", ");
}

/* The members of a "delta" object: regions and size, and with @smaps rss,
 * pss and swap; @a and @b hold them in that order. */
static void put_jdeltas(struct obuf *o, const uint64_t a[5],
			const uint64_t b[5], bool smaps)
{
	static const char *const key[5] = {
		"regions", "size", "rss", "pss", "swap",
	};

	for (int i = 0; i < (smaps ? 5 : 2); i++) {
		if (i)
			obuf_puts(o, ", ");
		put_jdelta(o, key[i], a[i], b[i]);
	}
}

/* One side: null, the region, or the extent and its regions. */
static void put_jside(const struct diff *d, const struct diff_change *c,
		      bool new_side, const struct diff_side *sd,
		      struct obuf *o)
{
	const struct vmaset *s = new_side ? d->new : d->old;
	uint32_t n = new_side ? c->new_n : c->old_n;

	if (n <= 1) {
		if (n)
			json_put_vma(s, diff_region(d, c, new_side, 0), o);
		else
			obuf_puts(o, "null");
		return;
	}
	obuf_putc(o, '{');
	put_jaddr(o, "start", sd->start);
	put_jaddr(o, "end", sd->end);
	obuf_puts(o, "\"size\": ");
	obuf_u64(o, sd->size, 0);
	obuf_puts(o, ", \"regions\": [");
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			obuf_puts(o, ", ");
		json_put_vma(s, diff_region(d, c, new_side, i), o);
	}
	obuf_puts(o, "]}");
}

static void put_jkinds(struct obuf *o, uint32_t kinds)
{
	const char *sep = "";

	obuf_puts(o, "\"kind\": \"");
	obuf_puts(o, diff_kind_name(diff_primary(kinds)));
	obuf_puts(o, "\", \"kinds\": [");
	for (unsigned int k = 0; k < DK_NKINDS; k++)
		if (kinds >> k & 1) {
			obuf_puts(o, sep);
			obuf_putc(o, '"');
			obuf_puts(o, diff_kind_name(k));
			obuf_putc(o, '"');
			sep = ", ";
		}
	obuf_puts(o, "], ");
}

/* The change object, on one line: {"kind": ..., "old", "new", "delta"}. */
static void put_jchange(const struct diff *d, const struct diff_change *c,
			struct obuf *o)
{
	struct diff_side os, ns;

	diff_side_sum(d, c, false, &os);
	diff_side_sum(d, c, true, &ns);
	put_jkinds(o, c->kinds);
	obuf_puts(o, "\"old\": ");
	put_jside(d, c, false, &os, o);
	obuf_puts(o, ", \"new\": ");
	put_jside(d, c, true, &ns, o);
	obuf_puts(o, ", \"delta\": {");
	put_jdeltas(o, (uint64_t[5]){ os.regions, os.size, os.rss, os.pss,
				      os.swap },
		    (uint64_t[5]){ ns.regions, ns.size, ns.rss, ns.pss,
				   ns.swap }, os.smaps && ns.smaps);
	obuf_puts(o, "}}");
}

static void put_jrow(struct obuf *o, const struct acct_row *r, bool smaps)
{
	obuf_puts(o, "{\"regions\": ");
	obuf_u64(o, r->count, 0);
	obuf_puts(o, ", \"size\": ");
	obuf_u64(o, r->size, 0);
	if (smaps) {
		obuf_puts(o, ", \"rss\": ");
		obuf_u64(o, r->rss, 0);
		obuf_puts(o, ", \"pss\": ");
		obuf_u64(o, r->pss, 0);
		obuf_puts(o, ", \"swap\": ");
		obuf_u64(o, r->swap, 0);
	}
	obuf_putc(o, '}');
}

static void put_jclass(const struct diff *d, const struct acct_row *a,
		       const struct acct_row *b, struct obuf *o)
{
	obuf_puts(o, "{\"old\": ");
	put_jrow(o, a, d->smaps);
	obuf_puts(o, ", \"new\": ");
	put_jrow(o, b, d->smaps);
	obuf_puts(o, ", \"delta\": {");
	put_jdeltas(o, (uint64_t[5]){ a->count, a->size, a->rss, a->pss,
				      a->swap },
		    (uint64_t[5]){ b->count, b->size, b->rss, b->pss,
				   b->swap }, d->smaps);
	obuf_puts(o, "}}");
}

static void put_jclasses(const struct diff *d, struct obuf *o)
{
	obuf_puts(o, "  \"classes\": {");
	for (unsigned int c = 0; c < VC_NCLASS; c++) {
		obuf_puts(o, c ? ",\n    \"" : "\n    \"");
		obuf_puts(o, vma_class_name(c));
		obuf_puts(o, "\": ");
		put_jclass(d, &d->acct[0].cls[c], &d->acct[1].cls[c], o);
	}
	obuf_puts(o, ",\n    \"total\": ");
	put_jclass(d, &d->acct[0].total, &d->acct[1].total, o);
	obuf_puts(o, "\n  },\n");
}

static void put_jcounters(const struct diff *d, struct obuf *o)
{
	obuf_puts(o, "  \"counters\": {");
	for (unsigned int c = 0; c < DIFF_NCOUNTERS; c++) {
		obuf_puts(o, c ? ",\n    \"" : "\n    \"");
		obuf_puts(o, mm_counter_name(c));
		obuf_puts(o, "\": {\"old\": ");
		obuf_u64(o, d->counters[0][c], 0);
		obuf_puts(o, ", \"new\": ");
		obuf_u64(o, d->counters[1][c], 0);
		obuf_puts(o, ", ");
		put_jdelta(o, "delta", d->counters[0][c], d->counters[1][c]);
		obuf_putc(o, '}');
	}
	obuf_puts(o, "\n  },\n");
}

static void put_jsource(const struct vmaset *s, const char *key,
			struct obuf *o)
{
	obuf_puts(o, "  \"");
	obuf_puts(o, key);
	obuf_puts(o, "\": {\"source\": ");
	json_put_source(s, o);
	obuf_puts(o, s->torn ? ", \"torn\": true, \"regions\": "
			     : ", \"torn\": false, \"regions\": ");
	obuf_u64(o, s->n, 0);
	obuf_puts(o, "},\n");
}

void diff_render_json(const struct diff *d, const struct diff_opts *opt,
		      struct obuf *o)
{
	const char *sep = "\n";

	obuf_puts(o, "{\n  \"vmamap_diff\": ");
	obuf_u64(o, DIFF_SCHEMA_VERSION, 0);
	obuf_puts(o, ",\n");
	put_jsource(d->old, "old", o);
	put_jsource(d->new, "new", o);
	obuf_puts(o, "  \"changes\": [");
	for (size_t i = 0; i < d->n; i++) {
		if (!shown(d, &d->ch[i], opt))
			continue;
		obuf_puts(o, sep);
		obuf_puts(o, "    {");
		put_jchange(d, &d->ch[i], o);
		sep = ",\n";
	}
	obuf_puts(o, sep[0] == ',' ? "\n  ],\n" : "],\n");
	put_jclasses(d, o);
	put_jcounters(d, o);
	obuf_puts(o, "  \"differences\": ");
	obuf_u64(o, diff_count(d, opt->classes), 0);
	obuf_puts(o, "\n}\n");
}

/* ---------------------------------------------------------------- watch */

static void put_time(struct obuf *o, int64_t ns, bool json)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char b[40];
	size_t n = 0;

	if (json ? gmtime_r(&t, &tm) != NULL : localtime_r(&t, &tm) != NULL)
		n = strftime(b, sizeof(b), json ? "%Y-%m-%dT%H:%M:%S" :
					   "%H:%M:%S", &tm);
	obuf_put(o, b, n);
	obuf_printf(o, ".%03d", (int)(ns / 1000000 % 1000));
	if (json)
		obuf_putc(o, 'Z');
}

static void put_extent(struct obuf *o, const struct diff_side *sd)
{
	obuf_hex(o, sd->start, 1);
	obuf_putc(o, '-');
	obuf_hex(o, sd->end, 1);
	if (sd->regions > 1)
		obuf_printf(o, " (%u regions)", sd->regions);
}

/* " rss OLD->NEW swap OLD->NEW" for a change seen through smaps. */
static void put_event_memory(const struct diff_side *os,
			     const struct diff_side *ns, bool bytes,
			     struct obuf *o)
{
	const char *what[2] = { " rss ", " swap " };
	uint64_t a[2] = { os->rss, os->swap }, b[2] = { ns->rss, ns->swap };

	for (int i = 0; i < 2; i++) {
		if (i && a[i] == b[i])
			continue;
		obuf_puts(o, what[i]);
		table_put_size(o, a[i], bytes, 0);
		obuf_puts(o, "->");
		table_put_size(o, b[i], bytes, 0);
	}
}

static void put_event_text(const struct diff *d, const struct diff_change *c,
			   bool bytes, struct obuf *o)
{
	struct diff_side os, ns;
	bool has_new = c->new_n > 0;
	const struct vmaset *s = has_new ? d->new : d->old;
	const struct vma *v = diff_region(d, c, has_new, 0);
	char b[32];

	diff_side_sum(d, c, false, &os);
	diff_side_sum(d, c, true, &ns);
	obuf_putc(o, ' ');
	obuf_putc(o, diff_kind_mark(diff_primary(c->kinds)));
	obuf_putc(o, ' ');
	put_kinds(o, c->kinds);
	obuf_putc(o, ' ');
	put_extent(o, has_new ? &ns : &os);
	obuf_putc(o, ' ');
	obuf_put(o, b, bytes ? (size_t)sprintf(b, "%llu",
			(unsigned long long)(has_new ? ns.size : os.size))
			     : table_human(has_new ? ns.size : os.size, b));
	obuf_putc(o, ' ');
	obuf_put(o, b, fmt_delta(b, delta_of(os.size, ns.size), bytes));
	obuf_putc(o, ' ');
	table_put_perms(o, v->perms);
	obuf_putc(o, ' ');
	obuf_puts(o, vma_class_name(v->cls));
	if (c->old_n && has_new) {
		obuf_puts(o, " was ");
		put_extent(o, &os);
		obuf_putc(o, ' ');
		table_put_perms(o, diff_region(d, c, false, 0)->perms);
	}
	if (os.smaps && ns.smaps)
		put_event_memory(&os, &ns, bytes, o);
	if (v->path || v->tid) {
		obuf_putc(o, ' ');
		table_put_path(s, v, o);
	}
}

void diff_render_event(const struct diff *d, const struct diff_change *c,
		       int64_t ns, bool json, bool bytes, struct obuf *o)
{
	if (json) {
		obuf_puts(o, "{\"time\": \"");
		put_time(o, ns, true);
		obuf_puts(o, "\", \"event\": \"change\", ");
		put_jchange(d, c, o);
	} else {
		put_time(o, ns, false);
		put_event_text(d, c, bytes, o);
	}
	obuf_putc(o, '\n');
}

static void put_watch_text(const struct watch_report *r, struct obuf *o)
{
	put_time(o, r->ns, false);
	if (r->ev == WE_START) {
		obuf_puts(o, " watching ");
		table_put_header(r->s, o);	/* ends the line */
		return;
	}
	obuf_printf(o, " pid %d ", (int)r->pid);
	obuf_puts(o, r->ev == WE_EXITED ? "exited\n" :
		  "was reused by another process: stopped\n");
}

static void put_watch_json(const struct watch_report *r, struct obuf *o)
{
	static const char *const name[] = {
		[WE_START] = "start", [WE_EXITED] = "exit",
		[WE_REUSED] = "reused",
	};

	obuf_puts(o, "{\"time\": \"");
	put_time(o, r->ns, true);
	obuf_printf(o, "\", \"event\": \"%s\", \"pid\": %d", name[r->ev],
		    (int)r->pid);
	if (r->ev == WE_START) {
		obuf_printf(o, ", \"regions\": %zu, \"source\": ", r->s->n);
		json_put_source(r->s, o);
	}
	obuf_puts(o, "}\n");
}

void diff_render_watch(const struct watch_report *r, bool json,
		       struct obuf *o)
{
	if (r->ev == WE_DONE || r->ev == WE_CHANGES)
		return;
	if (json)
		put_watch_json(r, o);
	else
		put_watch_text(r, o);
}
