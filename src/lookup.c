// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lookup.c - --addr analysis: parse an address or range, find the regions
 * it hits and the neighbours of a hole, all through the interval tree.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "lookup.h"
#include "maps_parse.h"

/* Bytes of the query quoted in an error message. */
enum { QUOTE_MAX = 64 };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static void trim(const char **p, size_t *len)
{
	while (*len && is_blank(**p)) {
		(*p)++;
		(*len)--;
	}
	while (*len && is_blank((*p)[*len - 1]))
		(*len)--;
}

/* One hex number, "0x" optional; NULL, or why it is not one. */
static const char *parse_hex(const char *p, size_t len, uint64_t *out)
{
	bool prefix = false;
	uint64_t v = 0;
	size_t digits;

	trim(&p, &len);
	if (!len)
		return "empty";
	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		prefix = true;
		p += 2;
		len -= 2;
	}
	for (digits = 0; digits < len; digits++) {
		int d = maps_parse_hex_digit(p[digits]);

		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (!digits)
		return prefix ? "no hex digits after 0x" : "not hex";
	if (digits > 16)
		return "more than 16 hex digits";
	if (digits < len)
		return "junk after the hex number";
	*out = v;
	return NULL;
}

/* Fail naming the (trimmed) text, raw but cut short and without NULs. */
static int bad(struct err *e, const char *text, size_t len, const char *side,
	       const char *why)
{
	char quote[QUOTE_MAX * 4 + 4];
	size_t n = 0;

	for (size_t i = 0; i < len && i < QUOTE_MAX; i++) {
		if (text[i]) {
			quote[n++] = text[i];
			continue;
		}
		memcpy(quote + n, "\\x00", 4);
		n += 4;
	}
	if (len > QUOTE_MAX) {
		memcpy(quote + n, "...", 3);
		n += 3;
	}
	quote[n] = '\0';
	return err_set(e, -EBADMSG, "bad address '%s': %s%s", quote, side, why);
}

static int parse_range(const char *text, size_t len, const char *dash,
		       struct addr_query *q, struct err *e)
{
	size_t left = (size_t)(dash - text);
	struct addr_query r = { .range = true };
	const char *why;

	why = parse_hex(text, left, &r.start);
	if (why)
		return bad(e, text, len, "range start: ", why);
	why = parse_hex(dash + 1, len - left - 1, &r.end);
	if (why)
		return bad(e, text, len, "range end: ", why);
	if (r.end <= r.start)
		return bad(e, text, len, "", "range end not above its start");
	*q = r;
	return 0;
}

/*
 * The usual query, a bare address: "0x" or not, then 1 to 16 hex digits
 * and nothing else.  True with *@out set; false for anything else, which
 * the general path then reads (and explains when it is wrong).
 */
static bool plain_hex(const char *p, size_t len, uint64_t *out)
{
	if (len > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		len -= 2;
	}
	if (!len || len > 16)
		return false;
	if (len >= 8 && maps_hex_wide(p, (unsigned int)len, out))
		return true;
	return maps_hex_fixed(p, (unsigned int)len, out);
}

/* Anything but a bare address: trimmed, a range, or explained. */
static int parse_general(const char *text, size_t len, struct addr_query *q,
			 struct err *e)
{
	const char *dash, *why;
	uint64_t start;

	trim(&text, &len);
	if (!len)
		return bad(e, text, len, "", "empty");
	dash = memchr(text, '-', len);
	if (dash)
		return parse_range(text, len, dash, q, e);
	why = parse_hex(text, len, &start);
	if (why)
		return bad(e, text, len, "", why);
	q->start = start;
	q->end = start + 1;
	q->range = false;
	return 0;
}

int lookup_parse(const char *text, size_t len, struct addr_query *q,
		 struct err *e)
{
	uint64_t start;

	if (!plain_hex(text, len, &start))
		return parse_general(text, len, q, e);
	q->start = start;
	q->end = start + 1;
	q->range = false;
	return 0;
}

#if defined(__SSE2__) && defined(__x86_64__)
size_t lookup_parse_line(const char *p, size_t avail, struct addr_query *q)
{
	size_t skip;
	__m128i nib;
	unsigned int n;

	if (avail < 19)
		return 0;
	skip = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') ? 2 : 0;
	/* Digits up to the first byte that is not one; ~mask has bit 16. */
	n = (unsigned int)__builtin_ctz(~maps_hex16(_mm_loadu_si128(
		(const __m128i *)(const void *)(p + skip)), &nib));
	if (!n || p[skip + n] != '\n')
		return 0;
	q->start = maps_hex16_value(nib) >> (4 * (16 - n));
	q->end = q->start + 1;
	q->range = false;
	return skip + n + 1;
}
#else
size_t lookup_parse_line(const char *p, size_t avail, struct addr_query *q)
{
	(void)p;
	(void)avail;
	(void)q;
	return 0;
}
#endif

static size_t lookup_one(const struct vmaset *s, uint64_t addr,
			 void (*fn)(const struct vma *v, void *ctx), void *ctx)
{
	const struct vma *v = lookup_addr(s, addr);

	if (!v)
		return 0;
	if (fn)
		fn(v, ctx);
	return 1;
}

size_t lookup_each(const struct vmaset *s, const struct addr_query *q,
		   void (*fn)(const struct vma *v, void *ctx), void *ctx)
{
	const struct vtree_node *n;
	size_t count = 0;

	if (!q->range)
		return lookup_one(s, q->start, fn, ctx);
	for (n = vtree_first_overlap(&s->tree, q->start, q->end); n;
	     n = vtree_next_overlap(n, q->start, q->end)) {
		if (fn)
			fn(vset_node_vma(s, n), ctx);
		count++;
	}
	return count;
}

/* The node of subtree @n whose end is its max_end (the last such). */
static const struct vtree_node *max_end_node(const struct vtree_node *n)
{
	for (;;) {
		if (n->right && n->right->max_end == n->max_end)
			n = n->right;
		else if (n->end == n->max_end)
			return n;
		else
			n = n->left;
	}
}

/* Best candidate below: a node, or a subtree all of which ends <= addr. */
struct below {
	const struct vtree_node *n;
	uint64_t end;
	bool whole;
};

/* Candidates come in address order, so ">=" keeps the last of equals. */
static void below_offer(struct below *b, const struct vtree_node *n,
			uint64_t end, bool whole)
{
	if (b->n && end < b->end)
		return;
	b->n = n;
	b->end = end;
	b->whole = whole;
}

/*
 * One root-to-leaf walk.  A node starting at or above @addr holds nothing
 * below it on its right (regions are not empty); one starting below it
 * offers itself and its left subtree, whose starts are all below @addr.
 */
static const struct vtree_node *below_node(const struct vtree *t,
					   uint64_t addr)
{
	const struct vtree_node *n = t->root;
	struct below b = { NULL, 0, false };

	while (n) {
		if (n->start >= addr) {
			n = n->left;
			continue;
		}
		if (n->left && n->left->max_end <= addr)
			below_offer(&b, n->left, n->left->max_end, true);
		if (n->end <= addr)
			below_offer(&b, n, n->end, false);
		n = n->right;
	}
	return b.whole ? max_end_node(b.n) : b.n;
}

/* The first node in address order with start > @addr. */
static const struct vtree_node *above_node(const struct vtree *t,
					   uint64_t addr)
{
	const struct vtree_node *n = t->root, *best = NULL;

	while (n) {
		if (n->start > addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

void lookup_neighbours(const struct vmaset *s, uint64_t addr,
		       const struct vma **below, const struct vma **above)
{
	const struct vtree_node *lo = below_node(&s->tree, addr);
	const struct vtree_node *hi = above_node(&s->tree, addr);

	*below = lo ? vset_node_vma(s, lo) : NULL;
	*above = hi ? vset_node_vma(s, hi) : NULL;
}
