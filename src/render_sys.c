// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_sys.c - tables and JSON of --all and --who-maps.
 */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "render_json.h"
#include "render_sys.h"
#include "render_table.h"

/* The classes --all shows as columns, biggest users of memory first. */
static const enum vma_class shown[] = {
	VC_HEAP, VC_ANON, VC_STACK, VC_SHARED, VC_TEXT,
};
enum { NSHOWN = sizeof(shown) / sizeof(shown[0]) };

struct widths {
	unsigned int pid, user, size;
};

/* Everything summed: regions, size, and the memory that is known. */
static void totals_of(const struct sysv *v, struct acct_row *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < v->n; i++) {
		const struct sysv_row *r = &v->rows[i];

		t->count += r->a.total.count;
		t->size += r->a.total.size;
		t->rss += r->rss;
		t->pss += r->pss;
		t->swap += r->swap;
	}
}

/* Columns of a user: its name, else its UID, else "-". */
static unsigned int user_len(const struct sysv_row *r)
{
	if (r->user)
		return (unsigned int)strlen(r->user);
	return r->has_uid ? obuf_dec_digits(r->uid) : 1;
}

static void widths_of(const struct sysv *v, const struct acct_row *t,
		      bool bytes, struct widths *w)
{
	pid_t maxpid = 0;

	w->user = 4;
	for (size_t i = 0; i < v->n; i++) {
		const struct sysv_row *r = &v->rows[i];

		maxpid = r->pid > maxpid ? r->pid : maxpid;
		w->user = user_len(r) > w->user ? user_len(r) : w->user;
	}
	w->pid = obuf_dec_digits((uint64_t)maxpid);
	w->pid = w->pid < 5 ? 5 : w->pid;
	w->size = bytes ? obuf_dec_digits(t->size) : 6;
	w->size = w->size < 6 ? 6 : w->size;
}

static void put_user(const struct sysv_row *r, unsigned int width,
		     struct obuf *o)
{
	size_t cols = 1;

	if (r->user) {
		cols = esc_term(o, r->user, strlen(r->user));
	} else if (r->has_uid) {
		obuf_u64(o, r->uid, 0);
		cols = obuf_dec_digits(r->uid);
	} else {
		obuf_putc(o, '-');
	}
	obuf_pad(o, width > cols ? width - cols : 0);
}

/* A size, or "-" when @have is false. */
static void put_size(struct obuf *o, bool have, uint64_t v, bool bytes,
		     unsigned int width)
{
	obuf_putc(o, ' ');
	if (have) {
		table_put_size(o, v, bytes, width);
	} else {
		obuf_pad(o, width - 1);
		obuf_putc(o, '-');
	}
}

/* REGIONS SIZE RSS PSS SWAP of a row. */
static void put_figures(const struct sysv_row *r, const struct widths *w,
			bool bytes, struct obuf *o)
{
	obuf_putc(o, ' ');
	obuf_u64(o, r->a.total.count, 7);
	put_size(o, true, r->a.total.size, bytes, w->size);
	put_size(o, r->has_mem, r->rss, bytes, w->size);
	put_size(o, r->has_mem, r->pss, bytes, w->size);
	put_size(o, r->has_mem, r->swap, bytes, w->size);
}

static void put_heads(const struct widths *w, struct obuf *o)
{
	static const char *const heads[] = { "SIZE", "RSS", "PSS", "SWAP" };

	obuf_puts(o, " REGIONS");
	for (size_t i = 0; i < 4; i++) {
		obuf_putc(o, ' ');
		obuf_right(o, heads[i], w->size);
	}
}

/* The command line, or [comm] when it is empty (a kernel thread). */
static void put_command(const struct sysv_row *r, struct obuf *o)
{
	if (*r->cmdline) {
		esc_term(o, r->cmdline, strlen(r->cmdline));
		return;
	}
	obuf_putc(o, '[');
	esc_term(o, r->comm, strlen(r->comm));
	obuf_putc(o, ']');
}

static void all_row(const struct sysv_row *r, const struct widths *w,
		    bool bytes, struct obuf *o)
{
	obuf_u64(o, (uint64_t)r->pid, w->pid);
	obuf_putc(o, ' ');
	put_user(r, w->user, o);
	put_figures(r, w, bytes, o);
	for (size_t c = 0; c < NSHOWN; c++)
		put_size(o, true, r->a.cls[shown[c]].size, bytes, w->size);
	obuf_putc(o, ' ');
	put_command(r, o);
	obuf_putc(o, '\n');
}

static void all_heads(const struct widths *w, struct obuf *o)
{
	char name[8];

	obuf_right(o, "PID", w->pid);
	obuf_putc(o, ' ');
	obuf_left(o, "USER", w->user);
	put_heads(w, o);
	for (size_t c = 0; c < NSHOWN; c++) {
		const char *n = vma_class_name(shown[c]);
		size_t i;

		for (i = 0; n[i] && i < sizeof(name) - 1; i++)
			name[i] = (char)(n[i] - 'a' + 'A');
		name[i] = '\0';
		obuf_putc(o, ' ');
		obuf_right(o, name, w->size);
	}
	obuf_puts(o, " COMMAND\n");
}

enum { COMM_COLS = 15 };	/* TASK_COMM_LEN - 1 */

static void who_row(const struct sysv_row *r, const struct widths *w,
		    bool bytes, struct obuf *o)
{
	size_t cols;

	obuf_u64(o, (uint64_t)r->pid, w->pid);
	obuf_putc(o, ' ');
	cols = esc_term(o, r->comm, strlen(r->comm));
	obuf_pad(o, cols < COMM_COLS ? COMM_COLS - cols : 0);
	put_figures(r, w, bytes, o);
	obuf_putc(o, ' ');
	table_put_name(o, r->path, strlen(r->path), r->deleted);
	obuf_putc(o, '\n');
}

static void who_heads(const struct widths *w, struct obuf *o)
{
	obuf_right(o, "PID", w->pid);
	obuf_putc(o, ' ');
	obuf_left(o, "COMM", COMM_COLS);
	put_heads(w, o);
	obuf_puts(o, " PATH\n");
}

static void put_amount(struct obuf *o, const char *label, uint64_t v,
		       bool bytes)
{
	obuf_puts(o, ", ");
	table_put_size(o, v, bytes, 0);
	obuf_putc(o, ' ');
	obuf_puts(o, label);
}

static void put_count(struct obuf *o, uint64_t n, const char *one,
		      const char *many)
{
	obuf_u64(o, n, 0);
	obuf_putc(o, ' ');
	obuf_puts(o, n == 1 ? one : many);
}

static void total_line(const struct sysv *v, const struct sysr_opts *opt,
		       const struct acct_row *t, struct obuf *o)
{
	obuf_puts(o, "total: ");
	put_count(o, v->nprocs, "process", "processes");
	if (opt->pattern) {
		obuf_puts(o, " map files matching '");
		esc_term(o, opt->pattern, strlen(opt->pattern));
		obuf_putc(o, '\'');
	}
	obuf_puts(o, ", ");
	put_count(o, t->count, "region", "regions");
	put_amount(o, "mapped", t->size, opt->bytes);
	put_amount(o, "rss", t->rss, opt->bytes);
	put_amount(o, "pss", t->pss, opt->bytes);
	put_amount(o, "swap", t->swap, opt->bytes);
	obuf_putc(o, '\n');
}

static void left_out_line(const struct sysv *v, struct obuf *o)
{
	if (!v->no_mm && !v->gone)
		return;
	obuf_puts(o, "left out: ");
	if (v->no_mm)
		put_count(o, v->no_mm, "kernel thread or zombie",
			  "kernel threads or zombies");
	if (v->no_mm && v->gone)
		obuf_puts(o, ", ");
	if (v->gone)
		put_count(o, v->gone, "process that exited while read",
			  "processes that exited while read");
	obuf_putc(o, '\n');
}

/* The failures with reason @code: "PID COMM, PID COMM". */
static void fails_of(const struct sysv *v, int code, struct obuf *o)
{
	const char *sep = "";

	for (size_t i = 0; i < v->nfails; i++) {
		const struct sysv_fail *f = &v->fails[i];

		if (f->code != code)
			continue;
		obuf_puts(o, sep);
		obuf_u64(o, (uint64_t)f->pid, 0);
		obuf_putc(o, ' ');
		esc_term(o, f->comm, strlen(f->comm));
		sep = ", ";
	}
}

/* "not readable: N processes (REASON: PID COMM, ...; REASON: ...)" */
static void fails_line(const struct sysv *v, struct obuf *o)
{
	if (!v->nfails)
		return;
	obuf_puts(o, "not readable: ");
	put_count(o, v->nfails, "process", "processes");
	obuf_puts(o, " (");
	for (size_t i = 0; i < v->nfails; i++) {
		size_t j;

		for (j = 0; j < i && v->fails[j].code != v->fails[i].code; j++)
			;
		if (j < i)
			continue;	/* reason already listed */
		obuf_puts(o, i ? "; " : "");
		obuf_puts(o, sysv_reason(v->fails[i].code));
		obuf_puts(o, ": ");
		fails_of(v, v->fails[i].code, o);
	}
	obuf_puts(o, ")\n");
}

void sysr_table(const struct sysv *v, const struct sysr_opts *opt,
		struct obuf *o)
{
	struct acct_row t;
	struct widths w;

	totals_of(v, &t);
	widths_of(v, &t, opt->bytes, &w);
	if (opt->pattern)
		who_heads(&w, o);
	else
		all_heads(&w, o);
	for (size_t i = 0; i < v->n; i++) {
		if (opt->pattern)
			who_row(&v->rows[i], &w, opt->bytes, o);
		else
			all_row(&v->rows[i], &w, opt->bytes, o);
	}
	total_line(v, opt, &t, o);
	left_out_line(v, o);
	fails_line(v, o);
}

/* ---------------------------------------------------------------- JSON */

static void put_str_field(struct obuf *o, const char *key, const char *p)
{
	obuf_puts(o, ", ");
	json_put_bytes(o, key, p, p ? strlen(p) : 0);
}

/* `, "KEY": N` or `, "KEY": null`. */
static void put_opt_u64(struct obuf *o, const char *key, bool have,
			uint64_t v)
{
	if (have) {
		json_put_u64(o, key, v);
		return;
	}
	obuf_puts(o, ", \"");
	obuf_puts(o, key);
	obuf_puts(o, "\": null");
}

/* `"pid": N, "uid": N, "user": "..", "comm": "..", "cmdline": ".."` */
static void put_ident(const struct sysv_row *r, struct obuf *o)
{
	obuf_puts(o, "\"pid\": ");
	obuf_u64(o, (uint64_t)r->pid, 0);
	put_opt_u64(o, "uid", r->has_uid, r->uid);
	put_str_field(o, "user", r->user);
	put_str_field(o, "comm", r->comm);
	put_str_field(o, "cmdline", r->cmdline);
}

static void put_mem(const struct acct_row *a, bool have, uint64_t rss,
		    uint64_t pss, uint64_t swap, struct obuf *o)
{
	json_put_u64(o, "regions", a->count);
	json_put_u64(o, "size", a->size);
	put_opt_u64(o, "rss", have, rss);
	put_opt_u64(o, "pss", have, pss);
	put_opt_u64(o, "swap", have, swap);
}

static void put_classes(const struct acct *a, struct obuf *o)
{
	obuf_puts(o, ", \"classes\": {");
	for (unsigned int c = 0; c < VC_NCLASS; c++) {
		obuf_puts(o, c ? ", \"" : "\"");
		obuf_puts(o, vma_class_name(c));
		obuf_puts(o, "\": ");
		json_put_acct_row(o, &a->cls[c], a->smaps);
		obuf_putc(o, '}');
	}
	obuf_putc(o, '}');
}

static void put_dev(const struct sysv_row *r, struct obuf *o)
{
	obuf_puts(o, ", \"dev\": \"");
	obuf_hex(o, r->major, 2);
	obuf_putc(o, ':');
	obuf_hex(o, r->minor, 2);
	obuf_putc(o, '"');
}

static void json_row(const struct sysv_row *r, bool who, struct obuf *o)
{
	obuf_puts(o, "    {");
	put_ident(r, o);
	if (who) {
		put_str_field(o, "path", r->path);
		obuf_puts(o, r->deleted ? ", \"deleted\": true"
					: ", \"deleted\": false");
		put_dev(r, o);
		json_put_u64(o, "inode", r->inode);
	}
	put_mem(&r->a.total, r->has_mem, r->rss, r->pss, r->swap, o);
	if (!who)
		put_classes(&r->a, o);
	obuf_putc(o, '}');
}

static void json_fails(const struct sysv *v, struct obuf *o)
{
	obuf_puts(o, "  \"not_readable\": [");
	for (size_t i = 0; i < v->nfails; i++) {
		const struct sysv_fail *f = &v->fails[i];

		obuf_puts(o, i ? ",\n    {\"pid\": " : "\n    {\"pid\": ");
		obuf_u64(o, (uint64_t)f->pid, 0);
		put_str_field(o, "comm", f->comm);
		put_str_field(o, "reason", sysv_reason(f->code));
		obuf_putc(o, '}');
	}
	obuf_puts(o, v->nfails ? "\n  ],\n" : "],\n");
}

static void json_head(const struct sysr_opts *opt, struct obuf *o)
{
	obuf_puts(o, opt->pattern ? "{\n  \"vmamap_who_maps\": 1,\n  "
				  : "{\n  \"vmamap_all\": 1,\n  ");
	if (opt->pattern) {
		json_put_bytes(o, "pattern", opt->pattern,
			       strlen(opt->pattern));
		obuf_puts(o, ",\n  ");
	}
	json_put_bytes(o, "proc_root", opt->proc_root,
		       strlen(opt->proc_root));
	if (!opt->pattern)
		obuf_puts(o, opt->smaps ? ",\n  \"memory_from\": \"smaps\""
					: ",\n  \"memory_from\": \"smaps_rollup\"");
	obuf_puts(o, opt->pattern ? ",\n  \"maps\": [" : ",\n  \"processes\": [");
}

void sysr_json(const struct sysv *v, const struct sysr_opts *opt,
	       struct obuf *o)
{
	struct acct_row t;

	totals_of(v, &t);
	json_head(opt, o);
	for (size_t i = 0; i < v->n; i++) {
		obuf_puts(o, i ? ",\n" : "\n");
		json_row(&v->rows[i], opt->pattern != NULL, o);
	}
	obuf_puts(o, v->n ? "\n  ],\n" : "],\n");
	obuf_puts(o, "  \"totals\": {\"processes\": ");
	obuf_u64(o, v->nprocs, 0);
	put_mem(&t, true, t.rss, t.pss, t.swap, o);
	obuf_puts(o, "},\n");
	json_fails(v, o);
	obuf_puts(o, "  \"left_out\": {\"no_address_space\": ");
	obuf_u64(o, v->no_mm, 0);
	json_put_u64(o, "exited", v->gone);
	obuf_puts(o, "}\n}\n");
}
