// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_json.c - JSON document writer (no library: output is hot).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "escape.h"
#include "render_json.h"
#include "render_table.h"

static void put_key(struct obuf *o, const char *key)
{
	obuf_putc(o, '"');
	obuf_puts(o, key);
	obuf_put(o, "\": ", 3);
}

/* A string literal; returns true when @p was valid UTF-8 (an exact copy). */
static bool put_str(struct obuf *o, const char *p, size_t len)
{
	bool valid;

	obuf_putc(o, '"');
	valid = esc_json(o, p, len);
	obuf_putc(o, '"');
	return valid;
}

static void put_hex_str(struct obuf *o, const char *p, size_t len)
{
	obuf_putc(o, '"');
	esc_hex(o, p, len);
	obuf_putc(o, '"');
}

/*
 * `"KEY": "..."` (null when @p is NULL), and `, "KEY_hex": "..."` with
 * the exact bytes when they are not valid UTF-8.
 */
static void put_bytes_field(struct obuf *o, const char *key, const char *p,
			    size_t len)
{
	put_key(o, key);
	if (!p) {
		obuf_puts(o, "null");
	} else if (!put_str(o, p, len)) {
		obuf_put(o, ", \"", 3);
		obuf_puts(o, key);
		obuf_put(o, "_hex\": ", 7);
		put_hex_str(o, p, len);
	}
}

/* `, "KEY": ...` for the pool string at @off (0: null). */
static void put_pool_field(struct obuf *o, const struct vmaset *s,
			   const char *key, uint32_t off)
{
	obuf_put(o, ", ", 2);
	put_bytes_field(o, key, off ? vset_str(s, off) : NULL,
			off ? vset_strlen(s, off) : 0);
}

/* @s, a string literal, at @p (room reserved); its length folds. */
static inline char *lit_at(char *p, const char *s)
{
	return obuf_put_at(p, s, strlen(s));
}

/* "0x1234" with its quotes at @p (room for 19 + 16 bytes reserved). */
static char *addr_at(char *p, uint64_t v)
{
	p = obuf_hex_at(lit_at(p, "\"0x"), v, 1);
	return lit_at(p, "\"");
}

static void put_addr(struct obuf *o, uint64_t v)
{
	obuf_commit(o, addr_at(obuf_reserve(o, 40), v));
}

/*
 * An unsigned integer at @p (room for 22 bytes reserved): a JSON number
 * up to 2^63 - 1; above that (only a corrupt or hostile input holds one)
 * a string of its digits, because JSON libraries (jansson among them) keep
 * integers in a signed 64-bit type.
 */
static char *uint_at(char *p, uint64_t v)
{
	bool quote = v > INT64_MAX;

	if (quote)
		p = lit_at(p, "\"");
	p = obuf_u64_at(p, v, 0);
	return quote ? lit_at(p, "\"") : p;
}

static void put_uint(struct obuf *o, uint64_t v)
{
	obuf_commit(o, uint_at(obuf_reserve(o, 40), v));
}

static void put_u64_field(struct obuf *o, const char *key, uint64_t v)
{
	obuf_put(o, ", ", 2);
	put_key(o, key);
	put_uint(o, v);
}

void json_put_source(const struct vmaset *s, struct obuf *o)
{
	const struct vset_source *src = &s->src;

	obuf_puts(o, "{\"type\": ");
	if (src->kind == VS_PID) {
		obuf_puts(o, "\"pid\", \"pid\": ");
		obuf_u64(o, (uint64_t)src->pid, 0);
		put_pool_field(o, s, "comm", src->comm);
		put_pool_field(o, s, "cmdline", src->cmdline);
		put_pool_field(o, s, "proc_root", src->proc_root);
		obuf_puts(o, ", \"captured_at\": \"");
		obuf_utc(o, src->captured_at);
		obuf_putc(o, '"');
	} else {
		obuf_puts(o, "\"file\"");
		put_pool_field(o, s, "file", src->file);
	}
	obuf_puts(o, src->smaps ? ", \"format\": \"smaps\"}"
				: ", \"format\": \"maps\"}");
}

void json_put_path(const struct vmaset *s, const struct vma *v,
		   struct obuf *o)
{
	size_t len;
	const char *p = vma_path(s, v, &len);

	obuf_put(o, ", ", 2);
	put_bytes_field(o, "path", p, len);
}

static void put_vmflags(const struct vmaset *s, const struct vma_smaps *sm,
			struct obuf *o)
{
	const char *sep = "";

	obuf_put(o, ", ", 2);
	put_key(o, "vm_flags");
	obuf_putc(o, '[');
	for (unsigned int i = 0; i < vmflag_count; i++) {
		if (!(sm->vmflags >> i & 1))
			continue;
		obuf_puts(o, sep);
		obuf_putc(o, '"');
		obuf_puts(o, vmflag_table[i].code);
		obuf_putc(o, '"');
		sep = ", ";
	}
	if (sm->vmf_unknown) {
		const char *p = vset_str(s, sm->vmf_unknown);
		const char *end = p + vset_strlen(s, sm->vmf_unknown);

		while (p < end) {
			const char *sp = memchr(p, ' ', (size_t)(end - p));
			size_t n = (size_t)((sp ? sp : end) - p);

			obuf_puts(o, sep);
			put_str(o, p, n);
			sep = ", ";
			p += n + 1;
		}
	}
	obuf_putc(o, ']');
}

/* The JSON name of an unknown key (sm_json_name()), then @sfx. */
static void put_snake_key(struct obuf *o, const char *k, size_t len,
			  const char *sfx)
{
	char buf[128], *name = len <= 64 ? buf : malloc(2 * len);

	obuf_putc(o, '"');
	if (name)
		obuf_put(o, name, sm_json_name(k, len, name));
	else
		o->err = o->err ?: -ENOMEM;
	if (name != buf)
		free(name);
	obuf_puts(o, sfx);
	obuf_put(o, "\": ", 3);
}

/* A text value; its exact bytes follow as KEY_hex when not UTF-8. */
static void put_extra_text(const struct vmaset *s, const struct sm_extra *x,
			   struct obuf *o)
{
	const char *k = vset_str(s, x->key), *p = vset_str(s, x->raw);
	size_t klen = vset_strlen(s, x->key), len = vset_strlen(s, x->raw);

	put_snake_key(o, k, klen, "");
	if (put_str(o, p, len))
		return;
	obuf_put(o, ", ", 2);
	put_snake_key(o, k, klen, "_hex");
	put_hex_str(o, p, len);
}

static void put_extras(const struct vmaset *s, const struct vma_smaps *sm,
		       struct obuf *o)
{
	for (uint32_t i = 0; i < sm->nextra; i++) {
		const struct sm_extra *x = &s->extras[sm->extra + i];

		obuf_put(o, ", ", 2);
		if (!x->numeric) {
			put_extra_text(s, x, o);
			continue;
		}
		put_snake_key(o, vset_str(s, x->key), vset_strlen(s, x->key),
			      "");
		put_uint(o, x->value);
	}
}

static void put_smaps(const struct vmaset *s, const struct vma_smaps *sm,
		      struct obuf *o)
{
	for (unsigned int k = 0; k < SM_NKEYS; k++)
		if (sm_keys[k].json && (sm->have >> k & 1))
			put_u64_field(o, sm_keys[k].json, sm->val[k]);
	put_extras(s, sm, o);
	if (sm->has_vmflags)
		put_vmflags(s, sm, o);
}

/* Room for a region's fields up to its path, and 16 bytes of slack. */
enum { VMA_ROOM = 320 };

/* "{"start": ..., "inode": N" at @p. */
static char *vma_fields_at(char *p, const struct vma *v)
{
	p = addr_at(lit_at(p, "{\"start\": "), v->start);
	p = addr_at(lit_at(p, ", \"end\": "), v->end);
	p = uint_at(lit_at(p, ", \"size\": "), vma_size(v));
	p = table_perms_at(lit_at(p, ", \"perms\": \""), v->perms);
	p = addr_at(lit_at(p, "\", \"offset\": "), v->offset);
	p = obuf_hex_at(lit_at(p, ", \"dev\": \""), v->major, 2);
	p = obuf_hex_at(lit_at(p, ":"), v->minor, 2);
	return uint_at(lit_at(p, "\", \"inode\": "), v->inode);
}

/* ", "deleted": BOOL, "class": "NAME"" at @p. */
static char *vma_class_at(char *p, const struct vma *v)
{
	size_t len;
	const char *cls = vma_class_name_len(v->cls, &len);

	p = lit_at(p, v->flags & VF_DELETED ? ", \"deleted\": true"
					    : ", \"deleted\": false");
	p = lit_at(p, ", \"class\": \"");
	memcpy(p, cls, VMA_CLASS_ROOM);		/* one word, NUL-padded */
	return lit_at(p + len, "\"");
}

void json_put_vma(const struct vmaset *s, const struct vma *v,
		  struct obuf *o)
{
	const struct vma_smaps *sm = vset_smaps(s, v);

	obuf_commit(o, vma_fields_at(obuf_reserve(o, VMA_ROOM), v));
	json_put_path(s, v, o);
	obuf_commit(o, vma_class_at(obuf_reserve(o, VMA_ROOM), v));
	if (v->tid)
		put_u64_field(o, "tid", v->tid);
	if (sm)
		put_smaps(s, sm, o);
	obuf_putc(o, '}');
}

static void put_row(struct obuf *o, const struct acct_row *r, bool smaps)
{
	obuf_puts(o, "{\"regions\": ");
	obuf_u64(o, r->count, 0);
	put_u64_field(o, "size", r->size);
	if (smaps) {
		put_u64_field(o, "rss", r->rss);
		put_u64_field(o, "pss", r->pss);
		put_u64_field(o, "dirty", r->dirty);
		put_u64_field(o, "swap", r->swap);
	}
}

static void put_totals(const struct acct *a, struct obuf *o)
{
	obuf_puts(o, "  \"totals\": ");
	put_row(o, &a->total, a->smaps);
	obuf_puts(o, ",\n    \"classes\": {");
	for (unsigned int c = 0; c < VC_NCLASS; c++) {
		obuf_puts(o, c ? ",\n      \"" : "\n      \"");
		obuf_puts(o, vma_class_name(c));
		obuf_put(o, "\": ", 3);
		put_row(o, &a->cls[c], a->smaps);
		obuf_putc(o, '}');
	}
	obuf_puts(o, "\n    }\n  }\n");
}

void json_put_preamble(const struct vmaset *s, struct obuf *o)
{
	obuf_puts(o, "{\n  \"vmamap\": ");
	obuf_u64(o, JSON_SCHEMA_VERSION, 0);
	obuf_puts(o, ",\n");
	obuf_puts(o, "  \"source\": ");
	json_put_source(s, o);
	obuf_puts(o, ",\n");
	obuf_puts(o, s->torn ? "  \"torn\": true,\n" : "  \"torn\": false,\n");
}

static void put_gap(const struct acct_hole *h, struct obuf *o)
{
	obuf_puts(o, "    {\"start\": ");
	put_addr(o, h->start);
	obuf_puts(o, ", \"end\": ");
	put_addr(o, h->end);
	put_u64_field(o, "size", h->end - h->start);
	obuf_puts(o, ", \"class\": \"gap\"}");
}

/* The regions, and with @h the holes between them, in address order. */
static void put_vmas(const struct vmaset *s, const uint32_t *idx, size_t n,
		     const struct acct_hole *h, long nh, struct obuf *o)
{
	const char *sep = "\n";
	long j = 0;

	obuf_puts(o, "  \"vmas\": [");
	for (size_t i = 0; i < n; i++) {
		for (; j < nh && h[j].end <= s->v[idx[i]].start; j++) {
			obuf_puts(o, sep);
			put_gap(&h[j], o);
			sep = ",\n";
		}
		obuf_puts(o, sep);
		obuf_puts(o, "    ");
		json_put_vma(s, &s->v[idx[i]], o);
		sep = ",\n";
	}
	for (; j < nh; j++) {
		obuf_puts(o, sep);
		put_gap(&h[j], o);
		sep = ",\n";
	}
	obuf_puts(o, sep[0] == ',' ? "\n  ],\n" : "],\n");
}

static void put_holes(const struct acct_hole *h, long nh, struct obuf *o)
{
	uint64_t total = 0;

	for (long i = 0; i < nh; i++)
		total += h[i].end - h[i].start;
	obuf_puts(o, "  \"holes\": {\"count\": ");
	obuf_u64(o, (uint64_t)nh, 0);
	put_u64_field(o, "size", total);
	obuf_puts(o, "},\n");
}

void json_render(const struct vmaset *s, const uint32_t *idx, size_t n,
		 bool gaps, struct obuf *o)
{
	struct acct_hole *h = NULL;
	long nh = gaps ? acct_holes(s, &h) : 0;
	struct acct a;

	if (nh < 0)
		nh = 0;
	acct_sum(s, idx, n, &a);
	json_put_preamble(s, o);
	put_vmas(s, idx, n, h, nh, o);
	if (gaps)
		put_holes(h, nh, o);
	put_totals(&a, o);
	obuf_puts(o, "}\n");
	free(h);
}

void json_put_bytes(struct obuf *o, const char *key, const char *p,
		    size_t len)
{
	put_bytes_field(o, key, p, len);
}

void json_put_u64(struct obuf *o, const char *key, uint64_t v)
{
	put_u64_field(o, key, v);
}

void json_put_acct_row(struct obuf *o, const struct acct_row *r, bool smaps)
{
	put_row(o, r, smaps);
}
