// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_addr.c - answers to --addr queries (formats in render_addr.h).
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "escape.h"
#include "render_addr.h"
#include "render_json.h"
#include "render_table.h"

/* What the per-hit callbacks need. */
struct addr_ctx {
	const struct vmaset *s;
	const struct addr_query *q;
	struct obuf *o;
	size_t done;		/* hits written so far */
};

/* Room for the pieces of a line before the name (query, region, offset). */
enum { LINE_ROOM = 128 };


/* "0x1234" (16 bytes of room past it, as obuf_hex_at). */
static inline char *hex0x_at(char *p, uint64_t v)
{
	return obuf_hex_at(obuf_put_at(p, "0x", 2), v, 1);
}

static void put_0x(struct obuf *o, uint64_t v)
{
	obuf_commit(o, hex0x_at(obuf_reserve(o, 18), v));
}

/* "0x1234", or "0x1000-0x3000" for a range. */
static inline char *query_at(char *p, const struct addr_query *q)
{
	p = hex0x_at(p, q->start);
	if (q->range)
		p = hex0x_at(obuf_put_at(p, "-", 1), q->end);
	return p;
}

static void put_query(struct obuf *o, const struct addr_query *q)
{
	obuf_commit(o, query_at(obuf_reserve(o, LINE_ROOM), q));
}

/* Distance from the query to a neighbour (see render_addr.h). */
static uint64_t distance(const struct addr_query *q, const struct vma *v)
{
	if (v->end <= q->start)
		return q->start - v->end;
	return v->start - (q->range ? q->end : q->start);
}

/* ------------------------------------------------------------ table */

/* "START-END PERMS CLASS" */
static inline char *region_at(char *p, const struct vma *v)
{
	size_t len;
	const char *cls = vma_class_name_len(v->cls, &len);

	p = obuf_hex_at(p, v->start, 1);
	p = obuf_hex_at(obuf_put_at(p, "-", 1), v->end, 1);
	p = table_perms_at(obuf_put_at(p, " ", 1), v->perms);
	p = obuf_put_at(p, " ", 1);
	memcpy(p, cls, VMA_CLASS_ROOM);
	return p + len;
}

static void text_region(struct obuf *o, const struct vma *v)
{
	obuf_commit(o, region_at(obuf_reserve(o, LINE_ROOM), v));
}

/* The escaped name; trailing spaces made visible as in the table. */
static void text_name(const struct vmaset *s, const struct vma *v,
		      struct obuf *o)
{
	size_t len, keep;
	const char *p = vma_path(s, v, &len);

	for (keep = len; keep && p[keep - 1] == ' '; keep--)
		;
	esc_term(o, p, keep);
	for (; keep < len; keep++)
		obuf_put(o, "\\x20", 4);
}

/* "  NAME[+0xFILE_OFFSET][ (deleted)]\n": the end of a hit's line. */
static void text_hit_name(const struct vmaset *s, const struct lookup_hit *h,
			  struct obuf *o)
{
	obuf_put(o, "  ", 2);
	text_name(s, h->v, o);
	if (h->v->name == VN_FILE) {
		obuf_putc(o, '+');
		put_0x(o, lookup_file_offset(h));
	}
	if (h->v->flags & VF_DELETED)
		obuf_puts(o, " (deleted)");
	obuf_putc(o, '\n');
}

/* QUERY  REGION  +0xOFFSET[  NAME[+0xFILE_OFFSET][ (deleted)]] */
static inline void hit_line(const struct vmaset *s,
			    const struct addr_query *q, const struct vma *v,
			    struct obuf *o)
{
	struct lookup_hit h = lookup_hit_of(q, v);
	char *p = obuf_reserve(o, LINE_ROOM);

	p = region_at(obuf_put_at(query_at(p, q), "  ", 2), v);
	p = hex0x_at(obuf_put_at(p, "  +", 3), h.addr - v->start);
	if (!v->path) {
		obuf_commit(o, obuf_put_at(p, "\n", 1));
		return;
	}
	obuf_commit(o, p);
	text_hit_name(s, &h, o);
}

/* lookup_each() callback of a range's hits. */
static void text_hit(const struct vma *v, void *arg)
{
	struct addr_ctx *c = arg;

	hit_line(c->s, c->q, v, c->o);
}

/* "; 0x234 (564B) past the end of REGION" or "; nothing below". */
static void text_neighbour(const struct addr_ctx *c, const struct vma *v,
			   bool below)
{
	char b[8];
	uint64_t d;

	if (!v) {
		obuf_puts(c->o, below ? "; nothing below" : "; nothing above");
		return;
	}
	d = distance(c->q, v);
	obuf_put(c->o, "; ", 2);
	put_0x(c->o, d);
	obuf_put(c->o, " (", 2);
	obuf_put(c->o, b, table_human(d, b));
	obuf_puts(c->o, below ? ") past the end of " : ") before ");
	text_region(c->o, v);
	if (v->path) {
		obuf_putc(c->o, ' ');
		text_name(c->s, v, c->o);
	}
	if (v->flags & VF_DELETED)
		obuf_puts(c->o, " (deleted)");
}

static void text_miss(const struct addr_ctx *c)
{
	const struct vma *below, *above;

	lookup_neighbours(c->s, c->q->start, &below, &above);
	put_query(c->o, c->q);
	obuf_puts(c->o, ": not mapped");
	text_neighbour(c, below, true);
	text_neighbour(c, above, false);
	obuf_putc(c->o, '\n');
}

/* ------------------------------------------------------------- JSON */

static void json_addr(struct obuf *o, const char *key, uint64_t v)
{
	obuf_puts(o, key);
	obuf_put(o, "\"0x", 3);
	obuf_hex(o, v, 1);
	obuf_putc(o, '"');
}

/* The fields every region object has, without the closing brace. */
static void json_region(const struct vmaset *s, const struct vma *v,
			struct obuf *o)
{
	json_addr(o, "{\"start\": ", v->start);
	json_addr(o, ", \"end\": ", v->end);
	obuf_puts(o, ", \"perms\": \"");
	table_put_perms(o, v->perms);
	obuf_puts(o, "\", \"class\": \"");
	obuf_puts(o, vma_class_name(v->cls));
	obuf_putc(o, '"');
	json_put_path(s, v, o);
	obuf_puts(o, v->flags & VF_DELETED ? ", \"deleted\": true"
					   : ", \"deleted\": false");
}

static void json_hit(const struct vma *v, void *arg)
{
	struct addr_ctx *c = arg;
	struct lookup_hit h = lookup_hit_of(c->q, v);

	if (c->done++)
		obuf_put(c->o, ", ", 2);
	json_region(c->s, v, c->o);
	obuf_puts(c->o, ", \"offset_in_region\": ");
	obuf_u64(c->o, h.addr - v->start, 0);
	if (v->name == VN_FILE)
		json_addr(c->o, ", \"file_offset\": ", lookup_file_offset(&h));
	obuf_putc(c->o, '}');
}

static void json_neighbour(const struct addr_ctx *c, const char *key,
			   const struct vma *v)
{
	obuf_puts(c->o, key);
	if (!v) {
		obuf_puts(c->o, "null");
		return;
	}
	json_region(c->s, v, c->o);
	obuf_puts(c->o, ", \"distance\": ");
	obuf_u64(c->o, distance(c->q, v), 0);
	obuf_putc(c->o, '}');
}

static void json_answer(struct addr_ctx *c)
{
	const struct vma *below, *above;
	bool mapped = lookup_each(c->s, c->q, NULL, NULL) > 0;

	obuf_puts(c->o, "{\"query\": \"");
	put_query(c->o, c->q);
	obuf_puts(c->o, mapped ? "\", \"mapped\": true, \"regions\": ["
			       : "\", \"mapped\": false, \"regions\": [");
	lookup_each(c->s, c->q, json_hit, c);
	obuf_putc(c->o, ']');
	if (!mapped) {
		lookup_neighbours(c->s, c->q->start, &below, &above);
		json_neighbour(c, ", \"below\": ", below);
		json_neighbour(c, ", \"above\": ", above);
	}
	obuf_put(c->o, "}\n", 2);
}

/* The line of a single address: a hit or a miss. */
static inline void text_one(const struct addr_ctx *c)
{
	const struct vma *v = lookup_addr(c->s, c->q->start);

	if (v)
		hit_line(c->s, c->q, v, c->o);
	else
		text_miss(c);
}

void addr_render(const struct vmaset *s, const struct addr_query *q,
		 bool json, struct obuf *o)
{
	struct addr_ctx c = { s, q, o, 0 };

	if (json)
		json_answer(&c);
	else if (!q->range)
		text_one(&c);
	else if (!lookup_each(s, q, text_hit, &c))
		text_miss(&c);
}
