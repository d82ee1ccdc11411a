// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_lookup.c - unit test of --addr: the address parser, find_vma-style
 * lookups of addresses and ranges, the neighbours of a hole, file offsets,
 * and the text and JSON answers of addr_render() byte for byte.
 *
 * Lookups are checked at every edge (first byte, last byte, one past the
 * end, holes, 0, UINT64_MAX, [vsyscall]) and against a linear scan of the
 * set on generated queries; a 100,000-region set takes 100,000 lookups
 * through the tree (timed for the log, not asserted).  Every lookup test
 * runs twice: through the tree, then through its implicit index
 * (vset_index_fast).  The one-pass line reader of --addr - gives
 * lookup_parse()'s answer on every line it reads, and reads every bare
 * address.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "classify.h"
#include "lookup.h"
#include "maps_parse.h"
#include "obuf.h"
#include "render_addr.h"
#include "tap.h"
#include "testset.h"
#include "vmaset.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define LIBC		"/usr/lib/x86_64-linux-gnu/libc.so.6"

/* The second pass: every set also gets the implicit index. */
static bool with_index;

/* build(), then the index on the second pass. */
static int build_set(struct vmaset *s, const char *text, struct err *e)
{
	int r = build(s, text, e);

	if (r >= 0 && with_index && vset_index_fast(s))
		return -ENOMEM;
	return r;
}

/* Regions in address order: the indexes below refer to these lines. */
static const char maps_text[] =
	"555555554000-555555556000 r--p 00000000 103:03 100 /opt/bin/srv\n"	/* 0 */
	"555555556000-555555558000 r-xp 00002000 103:03 100 /opt/bin/srv\n"	/* 1 */
	"555555558000-555555559000 rw-p 00004000 103:03 100 /opt/bin/srv\n"	/* 2 */
	"55555555b000-55555557c000 rw-p 00000000 00:00 0 [heap]\n"		/* 3 */
	"7f12a4c00000-7f12a4d80000 r-xp 05100000 103:03 200 " LIBC "\n"	/* 4 */
	"7f12a4d80000-7f12a4d90000 r--p 05280000 103:03 200 " LIBC "\n"	/* 5 */
	"7f12a4da0000-7f12a4da4000 rw-p 00000000 00:00 0 \n"			/* 6 */
	"7f12a4e00000-7f12a4e01000 rw-s 00000000 00:01 9 /memfd:x (deleted)\n"	/* 7 */
	"7f12a4e10000-7f12a4e12000 r--p 00001000 08:01 5 /tmp/bad\xffname\n"	/* 8 */
	"7f12a4e20000-7f12a4e21000 r--p 00000000 08:01 6 /tmp/new\\012line\n"	/* 9 */
	"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n"		/* 10 */
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";	/* 11 */

enum { NREGIONS = 12, MISS = -1 };

/* ------------------------------------------------------------ helpers */


/* A query that must parse. */
static struct addr_query query(const char *text)
{
	struct addr_query q;
	struct err e = { 0 };

	if (lookup_parse(text, strlen(text), &q, &e)) {
		fprintf(stderr, "cannot parse '%s': %s\n", text, e.msg);
		abort();
	}
	return q;
}

/* Index of @v in @s, or MISS for NULL. */
static long idx_of(const struct vmaset *s, const struct vma *v)
{
	return v ? (long)(v - s->v) : MISS;
}

/* Collects the hits of lookup_each(). */
struct hits {
	const struct vmaset *s;
	long idx[64];
	size_t n;
};

static void collect(const struct vma *v, void *arg)
{
	struct hits *h = arg;

	if (h->n < ARRAY_SIZE(h->idx))
		h->idx[h->n] = idx_of(h->s, v);
	h->n++;
}

/* What addr_render() writes for @q, through a real fd; malloc'd. */
static char *render(const struct vmaset *s, const struct addr_query *q,
		    bool json)
{
	struct obuf o;
	FILE *f = capture_start(&o);

	addr_render(s, q, json, &o);
	return capture_end(f, &o, NULL);
}

/* Compare @got with @want, showing both on a mismatch. */
static void same(const char *got, const char *want, const char *what)
{
	if (!ok(!strcmp(got, want), "%s", what)) {
		diag("got:  %s", got);
		diag("want: %s", want);
	}
}

/* @len bytes of @p printable for a test name (a static buffer). */
static const char *visible(const char *p, size_t len)
{
	static char buf[256];
	size_t n = 0;

	for (size_t i = 0; i < len && n + 5 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f)
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, 5, "\\x%02x", c);
	}
	buf[n] = '\0';
	return buf;
}

/* Exactly one line: a single '\n', at the end. */
static bool one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

/* ------------------------------------------------------------ parsing */

struct pcase {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	uint64_t start, end;
	bool range;
};

static const struct pcase good[] = {
	{ "0x7f12a4c2b1b0", 0, 0x7f12a4c2b1b0, 0x7f12a4c2b1b1, false },
	{ "0X7F12A4C2B1B0", 0, 0x7f12a4c2b1b0, 0x7f12a4c2b1b1, false },
	{ "7f12a4c2b1b0", 0, 0x7f12a4c2b1b0, 0x7f12a4c2b1b1, false },
	{ "7F12a4C2b1B0", 0, 0x7f12a4c2b1b0, 0x7f12a4c2b1b1, false },
	{ "  0x10\t", 0, 0x10, 0x11, false },
	{ "\t10 \r\n", 0, 0x10, 0x11, false },
	{ "0", 0, 0, 1, false },
	{ "0x0", 0, 0, 1, false },
	{ "ffffffffffffffff", 0, UINT64_MAX, 0, false },
	{ "0x0000000000000001", 0, 1, 2, false },
	{ "0x10zz", 4, 0x10, 0x11, false },
	{ "0x1000-0x3000", 0, 0x1000, 0x3000, true },
	{ "1000-3000", 0, 0x1000, 0x3000, true },
	{ " 0x1000 - 0X3000 \n", 0, 0x1000, 0x3000, true },
	{ "0-ffffffffffffffff", 0, 0, UINT64_MAX, true },
	{ "a-b", 0, 0xa, 0xb, true },
};

struct bcase {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *msg;
};

static const struct bcase bad[] = {
	{ "", 0, "bad address '': empty" },
	{ " \t\n", 0, "bad address '': empty" },
	{ "xyz", 0, "bad address 'xyz': not hex" },
	{ " xyz\n", 0, "bad address 'xyz': not hex" },
	{ "0x", 0, "bad address '0x': no hex digits after 0x" },
	{ "0xg1", 0, "bad address '0xg1': no hex digits after 0x" },
	{ "0x12g", 0, "bad address '0x12g': junk after the hex number" },
	{ "12 34", 0, "bad address '12 34': junk after the hex number" },
	{ "0x10+4", 0, "bad address '0x10+4': junk after the hex number" },
	{ "0x10000000000000000", 0,
	  "bad address '0x10000000000000000': more than 16 hex digits" },
	{ "00000000000000000", 0,
	  "bad address '00000000000000000': more than 16 hex digits" },
	{ "-", 0, "bad address '-': range start: empty" },
	{ "-0x10", 0, "bad address '-0x10': range start: empty" },
	{ "0x10-", 0, "bad address '0x10-': range end: empty" },
	{ "0x-1", 0, "bad address '0x-1': range start: no hex digits after 0x" },
	{ "1000-zz", 0, "bad address '1000-zz': range end: not hex" },
	{ "1-2-3", 0, "bad address '1-2-3': range end: junk after the hex number" },
	{ "0x3000-0x1000", 0,
	  "bad address '0x3000-0x1000': range end not above its start" },
	{ "0x1000-0x1000", 0,
	  "bad address '0x1000-0x1000': range end not above its start" },
	{ "1-10000000000000000", 0,
	  "bad address '1-10000000000000000': range end: more than 16 hex digits" },
	{ "1\0", 2, "bad address '1\\x00': junk after the hex number" },
	{ "\0", 1, "bad address '\\x00': not hex" },
};

static void test_parse_good(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		const struct pcase *c = &good[i];
		size_t len = c->len ? c->len : strlen(c->text);
		struct addr_query q = { 1, 2, !c->range };
		struct err e = { 0 };
		int r = lookup_parse(c->text, len, &q, &e);

		if (!ok(r == 0 && q.start == c->start && q.end == c->end &&
			q.range == c->range, "parse '%s'", visible(c->text, len)))
			diag("r=%d start %" PRIx64 " end %" PRIx64 " range %d %s",
			     r, q.start, q.end, q.range, e.msg);
	}
}

static void test_parse_bad(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct bcase *c = &bad[i];
		size_t len = c->len ? c->len : strlen(c->text);
		struct addr_query q = { 7, 8, false };
		struct err e = { 0 };
		int r = lookup_parse(c->text, len, &q, &e);

		if (!ok(r == -EBADMSG && e.code == -EBADMSG &&
			!strcmp(e.msg, c->msg) && q.start == 7 && q.end == 8,
			"malformed: %s", c->msg))
			diag("r=%d msg '%s'", r, e.msg);
	}
}

static void test_parse_long(void)
{
	char text[200], want[200];
	struct addr_query q;
	struct err e = { 0 };

	memset(text, 'g', 100);
	snprintf(want, sizeof(want), "bad address '%.64s...': not hex", text);
	ok(lookup_parse(text, 100, &q, &e) == -EBADMSG && !strcmp(e.msg, want),
	   "a long text is cut at 64 bytes in the message");
	ok(lookup_parse(NULL, 0, &q, &e) == -EBADMSG &&
	   !strcmp(e.msg, "bad address '': empty"), "NULL, 0 is empty");
	ok(lookup_parse("1", 1, &q, NULL) == 0 && q.start == 1,
	   "the err may be NULL");
	ok(lookup_parse("z", 1, &q, NULL) == -EBADMSG, "... also on failure");
}

/* ------------------------------------------------------------ lookups */

struct lcase {
	uint64_t addr;
	long want;		/* region index, or MISS */
	const char *what;
};

static const struct lcase singles[] = {
	{ 0x555555554000, 0, "first byte of the first region" },
	{ 0x555555555fff, 0, "last byte of a region" },
	{ 0x555555556000, 1, "one past the end: the next adjacent region" },
	{ 0x555555558fff, 2, "last byte before a hole" },
	{ 0x555555559000, MISS, "one past the end before a hole" },
	{ 0x55555555a123, MISS, "inside a hole" },
	{ 0x55555555b000, 3, "first byte after a hole" },
	{ 0, MISS, "address 0" },
	{ 0x555555553fff, MISS, "one byte below the first region" },
	{ 0x7f12a4c2b1b0, 4, "inside libc text" },
	{ 0x7f12a4da3fff, 6, "last byte of an anonymous region" },
	{ 0x7ffffffff000, MISS, "just above the stack" },
	{ 0xffffffffff5fffff, MISS, "just below [vsyscall]" },
	{ 0xffffffffff600000, 11, "first byte of [vsyscall]" },
	{ 0xffffffffff600fff, 11, "last byte of [vsyscall]" },
	{ 0xffffffffff601000, MISS, "one past [vsyscall]" },
	{ UINT64_MAX, MISS, "address 0xffffffffffffffff" },
};

static void test_singles(const struct vmaset *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(singles); i++) {
		const struct lcase *c = &singles[i];
		struct addr_query q = { c->addr, c->addr + 1, false };
		struct hits h = { .s = s };
		size_t n = lookup_each(s, &q, collect, &h);

		if (c->want == MISS)
			ok(n == 0 && h.n == 0, "%s: not mapped", c->what);
		else
			ok(n == 1 && h.n == 1 && h.idx[0] == c->want,
			   "%s: region %ld", c->what, c->want);
	}
}

struct rcase {
	const char *text;
	long want[NREGIONS + 1];	/* indexes, MISS-terminated */
	const char *what;
};

static const struct rcase ranges[] = {
	{ "0x555555555000-0x55555555c000", { 0, 1, 2, 3, MISS },
	  "a range across regions and a hole" },
	{ "0x555555559000-0x55555555b000", { MISS }, "a range that is a hole" },
	{ "0x555555559000-0x55555555b001", { 3, MISS },
	  "a hole and the first byte after it" },
	{ "0x555555554000-0x555555556000", { 0, MISS },
	  "exactly one region: the next one is not hit" },
	{ "0x555555555fff-0x555555556001", { 0, 1, MISS },
	  "two bytes across a boundary" },
	{ "0-0x555555554000", { MISS }, "everything below the first region" },
	{ "0x7f12a4d8ffff-0x7f12a4e00001", { 5, 6, 7, MISS },
	  "last byte to first byte across two holes" },
	{ "0-ffffffffffffffff",
	  { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, MISS }, "the whole space" },
	{ "ffffffffff600fff-ffffffffffffffff", { 11, MISS },
	  "the end of [vsyscall] to the top" },
};

static bool hits_are(const struct hits *h, const long *want)
{
	size_t n = 0;

	while (want[n] != MISS)
		n++;
	if (h->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (h->idx[i] != want[i])
			return false;
	return true;
}

static void test_ranges(const struct vmaset *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
		const struct rcase *c = &ranges[i];
		struct addr_query q = query(c->text);
		struct hits h = { .s = s };
		size_t n = lookup_each(s, &q, collect, &h);

		ok(n == h.n && hits_are(&h, c->want), "%s (%s): %zu hits",
		   c->what, c->text, n);
	}
	{
		struct addr_query q = query("0-ffffffffffffffff");

		ok(lookup_each(s, &q, NULL, NULL) == NREGIONS,
		   "a NULL callback only counts");
	}
}

struct ncase {
	uint64_t addr;
	long below, above;
	const char *what;
};

static const struct ncase neighbours[] = {
	{ 0, MISS, 0, "address 0: nothing below" },
	{ 0x555555553fff, MISS, 0, "just below the first region" },
	{ 0x555555559000, 2, 3, "at the end of a region before a hole" },
	{ 0x55555555afff, 2, 3, "at the last byte of a hole" },
	{ 0x7f12a4d90000, 5, 6, "between libc and an anonymous region" },
	{ 0x7ffffffff000, 10, 11, "above the stack" },
	{ 0xffffffffff601000, 11, MISS, "above [vsyscall]: nothing above" },
	{ UINT64_MAX, 11, MISS, "the top address" },
};

static void test_neighbours(const struct vmaset *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(neighbours); i++) {
		const struct ncase *c = &neighbours[i];
		const struct vma *lo = (void *)1, *hi = (void *)1;

		lookup_neighbours(s, c->addr, &lo, &hi);
		ok(idx_of(s, lo) == c->below && idx_of(s, hi) == c->above,
		   "neighbours %s: %ld %ld", c->what, c->below, c->above);
	}
}

static void test_empty_set(void)
{
	struct vmaset s;
	struct err e;
	struct addr_query q = query("0-ffffffffffffffff");
	const struct vma *lo = (void *)1, *hi = (void *)1;
	char *out;

	ok(build_set(&s, "", &e) == 0, "empty set built");
	ok(lookup_each(&s, &q, NULL, NULL) == 0, "empty set: no range hit");
	q = query("0x1000");
	ok(lookup_each(&s, &q, NULL, NULL) == 0, "empty set: no address hit");
	lookup_neighbours(&s, 0x1000, &lo, &hi);
	ok(!lo && !hi, "empty set: no neighbours");
	out = render(&s, &q, false);
	same(out, "0x1000: not mapped; nothing below; nothing above\n",
	     "empty set: text");
	free(out);
	out = render(&s, &q, true);
	same(out, "{\"query\": \"0x1000\", \"mapped\": false, \"regions\": [], "
		  "\"below\": null, \"above\": null}\n", "empty set: JSON");
	free(out);
	vset_free(&s);
}

/*
 * A torn read can leave overlapping regions: the nearest region below a
 * hole is the one with the largest end, not the predecessor in order.
 */
static void test_torn(void)
{
	static const char text[] =
		"1000-9000 rw-p 00000000 00:00 0 \n"
		"2000-3000 rw-p 00000000 00:00 0 \n"
		"4000-5000 rw-p 00000000 00:00 0 \n"
		"c000-d000 rw-p 00000000 00:00 0 \n";
	struct vmaset s;
	struct err e;
	const struct vma *lo, *hi;
	struct addr_query q = query("0x2800");
	struct hits h = { .s = &s };

	ok(build_set(&s, text, &e) == 4, "torn set built");
	lookup_neighbours(&s, 0xa000, &lo, &hi);
	ok(lo && lo->start == 0x1000 && lo->end == 0x9000 && hi &&
	   hi->start == 0xc000, "torn: the region below has the largest end");
	ok(lookup_each(&s, &q, collect, &h) == 1 && h.idx[0] == 0,
	   "torn: one region for an address, the first in order");
	q = query("0x2800-0x4001");
	h.n = 0;
	ok(lookup_each(&s, &q, collect, &h) == 3 && h.idx[0] == 0 &&
	   h.idx[1] == 1 && h.idx[2] == 2, "torn: a range hits all overlaps");
	vset_free(&s);
}

/* ------------------------------------------------- against an oracle */

static uint64_t rng_state = 0x9e3779b97f4a7c15;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* An address near a random region edge, or anywhere. */
static uint64_t some_addr(const struct vmaset *s)
{
	const struct vma *v = &s->v[rnd() % s->n];
	uint64_t delta = rnd() % 3 - 1;

	switch (rnd() % 4) {
	case 0:
		return v->start + delta;
	case 1:
		return v->end + delta;
	case 2:
		return v->start + rnd() % (vma_size(v) + 0x2000);
	default:
		return rnd();
	}
}

static void linear_neighbours(const struct vmaset *s, uint64_t a,
			      long *lo, long *hi)
{
	*lo = *hi = MISS;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].end <= a &&
		    (*lo == MISS || s->v[i].end >= s->v[*lo].end))
			*lo = (long)i;
		if (s->v[i].start > a && *hi == MISS)
			*hi = (long)i;
	}
}

/* Check one range query against a scan; true when they agree. */
static bool range_agrees(const struct vmaset *s, uint64_t a, uint64_t b)
{
	struct addr_query q = { a < b ? a : b, a < b ? b : a, true };
	struct hits h = { .s = s };
	size_t k = 0;

	if (q.start == q.end)
		return true;
	lookup_each(s, &q, collect, &h);
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].start >= q.end || s->v[i].end <= q.start)
			continue;
		if (k >= h.n || h.idx[k++] != (long)i)
			return false;
	}
	return k == h.n;
}

/* Check one address against a scan; true when they agree. */
static bool addr_agrees(const struct vmaset *s, uint64_t a)
{
	struct addr_query q = { a, a + 1, false };
	struct hits h = { .s = s };
	const struct vma *lo, *hi;
	long want = MISS, wlo, whi;

	for (size_t i = 0; i < s->n && want == MISS; i++)
		if (s->v[i].start <= a && a < s->v[i].end)
			want = (long)i;
	lookup_each(s, &q, collect, &h);
	if (want != MISS)
		return h.n == 1 && h.idx[0] == want;
	lookup_neighbours(s, a, &lo, &hi);
	linear_neighbours(s, a, &wlo, &whi);
	return h.n == 0 && idx_of(s, lo) == wlo && idx_of(s, hi) == whi;
}

static void test_oracle(const struct vmaset *s)
{
	size_t bad_addr = 0, bad_range = 0;

	for (int i = 0; i < 20000; i++) {
		uint64_t a = some_addr(s);

		bad_addr += !addr_agrees(s, a);
		bad_range += !range_agrees(s, a, some_addr(s));
	}
	ok(bad_addr == 0, "20000 addresses agree with a linear scan (%zu off)",
	   bad_addr);
	ok(bad_range == 0, "20000 ranges agree with a linear scan (%zu off)",
	   bad_range);
}

/* ----------------------------------------------- the one-pass reader */

#if defined(__SSE2__) && defined(__x86_64__)
static const bool vector_path = true;
#else
static const bool vector_path = false;
#endif

/*
 * @text (@len bytes), a newline and then @tail (@tlen bytes) in a buffer:
 * lookup_parse_line() either leaves its first line (and must not when
 * @must, with the vector path) or reads exactly that line, as
 * lookup_parse() does.  Counts the lines read in *@read.
 */
static bool line_agrees(const char *text, size_t len, const char *tail,
			size_t tlen, bool must, long *read)
{
	struct addr_query fast = { 1, 1, true }, slow;
	char buf[128];
	size_t k, line;

	memcpy(buf, text, len);
	buf[len] = '\n';
	memcpy(buf + len + 1, tail, tlen);
	line = (size_t)((char *)memchr(buf, '\n', len + 1) - buf);
	k = lookup_parse_line(buf, len + 1 + tlen, &fast);
	if (!k)
		return !must || !vector_path;
	++*read;
	return k == line + 1 && lookup_parse(buf, line, &slow, NULL) == 0 &&
	       fast.start == slow.start && fast.end == slow.end &&
	       !fast.range && !slow.range;
}

/* @len random bytes, mostly of the characters an address line holds. */
static void rnd_text(char *p, size_t len)
{
	static const char alphabet[] = "0123456789abcdefABCDEFxX -\t\rg\n";

	for (size_t i = 0; i < len; i++)
		p[i] = rnd() % 8 ? alphabet[rnd() % (sizeof(alphabet) - 1)]
				 : (char)rnd();
}

/* "0x"/"0X"/nothing, then @n lower-case digits: @p gets the line. */
static size_t plain_line(char *p, unsigned int n)
{
	static const char *const prefix[] = { "", "0x", "0X" };
	const char *pre = prefix[rnd() % 3];
	size_t len = strlen(pre);

	memcpy(p, pre, len);
	for (unsigned int i = 0; i < n; i++)
		p[len++] = "0123456789abcdef"[rnd() % 16];
	return len;
}

/* Every byte value at every position of bare addresses of 1 to 16 digits. */
static void test_line_bytes(void)
{
	char line[20], tail[24];
	long read = 0, read_plain = 0, off = 0, off_plain = 0;

	for (unsigned int n = 1; n <= 16; n++) {
		size_t len = plain_line(line, n);

		rnd_text(tail, sizeof(tail));
		off_plain += !line_agrees(line, len, tail, sizeof(tail), true,
					  &read_plain);
		for (size_t pos = 0; pos < len; pos++) {
			char keep = line[pos];

			for (int b = 0; b < 256; b++) {
				line[pos] = (char)b;
				off += !line_agrees(line, len, tail,
						    sizeof(tail), false, &read);
			}
			line[pos] = keep;
		}
	}
	ok(off_plain == 0 && (read_plain == 16 || !vector_path),
	   "one-pass reader: a bare address of each length is read (%ld)",
	   read_plain);
	ok(off == 0, "one-pass reader: every byte at every position agrees "
	   "with lookup_parse or is left to it (%ld read, %ld off)", read, off);
}

/* Random lines and random bytes after them; and too little to read. */
static void test_line_random(void)
{
	char line[24], tail[24];
	long read = 0, off = 0, plain = 0, off_plain = 0;
	struct addr_query q;

	for (int i = 0; i < 200000; i++) {
		size_t len = rnd() % 21, tlen = rnd() % 25;

		rnd_text(line, len);
		rnd_text(tail, tlen);
		off += !line_agrees(line, len, tail, tlen, false, &read);
		len = plain_line(line, 1 + (unsigned int)(rnd() % 16));
		off_plain += !line_agrees(line, len, tail, tlen,
					  len + 1 + tlen >= 19, &plain);
	}
	ok(off == 0, "one-pass reader: 200000 random lines agree with "
	   "lookup_parse or are left to it (%ld read, %ld off)", read, off);
	ok(off_plain == 0, "one-pass reader: 200000 bare addresses with "
	   "random bytes after them are read alike (%ld read)", plain);
	ok(lookup_parse_line("0\n0000000000000000", 18, &q) == 0,
	   "one-pass reader: fewer than 19 bytes are left to lookup_parse");
}

/* ------------------------------------------------------ file offsets */

static void test_file_offset(const struct vmaset *s)
{
	struct addr_query q = query("0x7f12a4c2b1b0");
	struct lookup_hit h = lookup_hit_of(&q, &s->v[4]);

	ok(h.v == &s->v[4] && h.addr == 0x7f12a4c2b1b0 &&
	   lookup_file_offset(&h) == 0x512b1b0,
	   "file offset: pgoff + (addr - start) = 0x512b1b0");
	q = query("0x7f12a4d00000-0x7f12a4d80010");
	h = lookup_hit_of(&q, &s->v[4]);
	ok(h.addr == 0x7f12a4d00000 && lookup_file_offset(&h) == 0x5200000,
	   "range: offsets refer to the range start inside the region");
	h = lookup_hit_of(&q, &s->v[5]);
	ok(h.addr == 0x7f12a4d80000 && lookup_file_offset(&h) == 0x5280000,
	   "range: offsets refer to the region start after the range start");
}

/* ----------------------------------------------------------- output */

struct ocase {
	const char *query;
	const char *text;	/* table lines */
	const char *json;	/* the one JSON line */
};

static const struct ocase outputs[] = {
	{ "0x7f12a4c2b1b0",
	  "0x7f12a4c2b1b0  7f12a4c00000-7f12a4d80000 r-xp text  +0x2b1b0  "
	  LIBC "+0x512b1b0\n",
	  "{\"query\": \"0x7f12a4c2b1b0\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0x7f12a4c00000\", \"end\": \"0x7f12a4d80000\", "
	  "\"perms\": \"r-xp\", \"class\": \"text\", \"path\": \"" LIBC "\", "
	  "\"deleted\": false, \"offset_in_region\": 176560, "
	  "\"file_offset\": \"0x512b1b0\"}]}\n" },
	{ " 0X55555555B010\n",
	  "0x55555555b010  55555555b000-55555557c000 rw-p heap  +0x10  "
	  "[heap]\n",
	  "{\"query\": \"0x55555555b010\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0x55555555b000\", \"end\": \"0x55555557c000\", "
	  "\"perms\": \"rw-p\", \"class\": \"heap\", \"path\": \"[heap]\", "
	  "\"deleted\": false, \"offset_in_region\": 16}]}\n" },
	{ "7f12a4da0008",
	  "0x7f12a4da0008  7f12a4da0000-7f12a4da4000 rw-p anon  +0x8\n",
	  "{\"query\": \"0x7f12a4da0008\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0x7f12a4da0000\", \"end\": \"0x7f12a4da4000\", "
	  "\"perms\": \"rw-p\", \"class\": \"anon\", \"path\": null, "
	  "\"deleted\": false, \"offset_in_region\": 8}]}\n" },
	{ "0x7f12a4e00010",
	  "0x7f12a4e00010  7f12a4e00000-7f12a4e01000 rw-s shared  +0x10  "
	  "/memfd:x+0x10 (deleted)\n",
	  "{\"query\": \"0x7f12a4e00010\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0x7f12a4e00000\", \"end\": \"0x7f12a4e01000\", "
	  "\"perms\": \"rw-s\", \"class\": \"shared\", \"path\": \"/memfd:x\", "
	  "\"deleted\": true, \"offset_in_region\": 16, "
	  "\"file_offset\": \"0x10\"}]}\n" },
	{ "0x7f12a4e11000",
	  "0x7f12a4e11000  7f12a4e10000-7f12a4e12000 r--p file  +0x1000  "
	  "/tmp/bad\\xffname+0x2000\n",
	  "{\"query\": \"0x7f12a4e11000\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0x7f12a4e10000\", \"end\": \"0x7f12a4e12000\", "
	  "\"perms\": \"r--p\", \"class\": \"file\", \"path\": "
	  "\"/tmp/bad\\u00ffname\", \"path_hex\": \"2f746d702f626164ff6e616d65\", "
	  "\"deleted\": false, \"offset_in_region\": 4096, "
	  "\"file_offset\": \"0x2000\"}]}\n" },
	{ "0x7f12a4e20001",
	  "0x7f12a4e20001  7f12a4e20000-7f12a4e21000 r--p file  +0x1  "
	  "/tmp/new\\x0aline+0x1\n",
	  "{\"query\": \"0x7f12a4e20001\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0x7f12a4e20000\", \"end\": \"0x7f12a4e21000\", "
	  "\"perms\": \"r--p\", \"class\": \"file\", \"path\": "
	  "\"/tmp/new\\nline\", \"deleted\": false, \"offset_in_region\": 1, "
	  "\"file_offset\": \"0x1\"}]}\n" },
	{ "0xffffffffff600400",
	  "0xffffffffff600400  ffffffffff600000-ffffffffff601000 --xp kernel  "
	  "+0x400  [vsyscall]\n",
	  "{\"query\": \"0xffffffffff600400\", \"mapped\": true, \"regions\": "
	  "[{\"start\": \"0xffffffffff600000\", \"end\": \"0xffffffffff601000\", "
	  "\"perms\": \"--xp\", \"class\": \"kernel\", \"path\": \"[vsyscall]\", "
	  "\"deleted\": false, \"offset_in_region\": 1024}]}\n" },
	{ "0x55555555a000",
	  "0x55555555a000: not mapped; 0x1000 (4.0K) past the end of "
	  "555555558000-555555559000 rw-p data /opt/bin/srv; 0x1000 (4.0K) "
	  "before 55555555b000-55555557c000 rw-p heap [heap]\n",
	  "{\"query\": \"0x55555555a000\", \"mapped\": false, \"regions\": [], "
	  "\"below\": {\"start\": \"0x555555558000\", \"end\": "
	  "\"0x555555559000\", \"perms\": \"rw-p\", \"class\": \"data\", "
	  "\"path\": \"/opt/bin/srv\", \"deleted\": false, \"distance\": 4096}, "
	  "\"above\": {\"start\": \"0x55555555b000\", \"end\": "
	  "\"0x55555557c000\", \"perms\": \"rw-p\", \"class\": \"heap\", "
	  "\"path\": \"[heap]\", \"deleted\": false, \"distance\": 4096}}\n" },
	{ "0x555555559000",
	  "0x555555559000: not mapped; 0x0 (0) past the end of "
	  "555555558000-555555559000 rw-p data /opt/bin/srv; 0x2000 (8.0K) "
	  "before 55555555b000-55555557c000 rw-p heap [heap]\n",
	  NULL },
	{ "0x7f12a4e01800",
	  "0x7f12a4e01800: not mapped; 0x800 (2.0K) past the end of "
	  "7f12a4e00000-7f12a4e01000 rw-s shared /memfd:x (deleted); "
	  "0xe800 (58K) before 7f12a4e10000-7f12a4e12000 r--p file "
	  "/tmp/bad\\xffname\n",
	  NULL },
	{ "0",
	  "0x0: not mapped; nothing below; 0x555555554000 (85T) before "
	  "555555554000-555555556000 r--p rodata /opt/bin/srv\n",
	  "{\"query\": \"0x0\", \"mapped\": false, \"regions\": [], "
	  "\"below\": null, \"above\": {\"start\": \"0x555555554000\", "
	  "\"end\": \"0x555555556000\", \"perms\": \"r--p\", \"class\": "
	  "\"rodata\", \"path\": \"/opt/bin/srv\", \"deleted\": false, "
	  "\"distance\": 93824992231424}}\n" },
	{ "ffffffffffffffff",
	  "0xffffffffffffffff: not mapped; 0x9fefff (10M) past the end of "
	  "ffffffffff600000-ffffffffff601000 --xp kernel [vsyscall]; "
	  "nothing above\n",
	  "{\"query\": \"0xffffffffffffffff\", \"mapped\": false, "
	  "\"regions\": [], \"below\": {\"start\": \"0xffffffffff600000\", "
	  "\"end\": \"0xffffffffff601000\", \"perms\": \"--xp\", \"class\": "
	  "\"kernel\", \"path\": \"[vsyscall]\", \"deleted\": false, "
	  "\"distance\": 10481663}, \"above\": null}\n" },
	{ "0x555555555000-0x55555555c000",
	  "0x555555555000-0x55555555c000  555555554000-555555556000 r--p "
	  "rodata  +0x1000  /opt/bin/srv+0x1000\n"
	  "0x555555555000-0x55555555c000  555555556000-555555558000 r-xp "
	  "text  +0x0  /opt/bin/srv+0x2000\n"
	  "0x555555555000-0x55555555c000  555555558000-555555559000 rw-p "
	  "data  +0x0  /opt/bin/srv+0x4000\n"
	  "0x555555555000-0x55555555c000  55555555b000-55555557c000 rw-p "
	  "heap  +0x0  [heap]\n",
	  "{\"query\": \"0x555555555000-0x55555555c000\", \"mapped\": true, "
	  "\"regions\": [{\"start\": \"0x555555554000\", \"end\": "
	  "\"0x555555556000\", \"perms\": \"r--p\", \"class\": \"rodata\", "
	  "\"path\": \"/opt/bin/srv\", \"deleted\": false, "
	  "\"offset_in_region\": 4096, \"file_offset\": \"0x1000\"}, "
	  "{\"start\": \"0x555555556000\", \"end\": \"0x555555558000\", "
	  "\"perms\": \"r-xp\", \"class\": \"text\", \"path\": "
	  "\"/opt/bin/srv\", \"deleted\": false, \"offset_in_region\": 0, "
	  "\"file_offset\": \"0x2000\"}, {\"start\": \"0x555555558000\", "
	  "\"end\": \"0x555555559000\", \"perms\": \"rw-p\", \"class\": "
	  "\"data\", \"path\": \"/opt/bin/srv\", \"deleted\": false, "
	  "\"offset_in_region\": 0, \"file_offset\": \"0x4000\"}, "
	  "{\"start\": \"0x55555555b000\", \"end\": \"0x55555557c000\", "
	  "\"perms\": \"rw-p\", \"class\": \"heap\", \"path\": \"[heap]\", "
	  "\"deleted\": false, \"offset_in_region\": 0}]}\n" },
	{ "0x555555559800-0x55555555a000",
	  "0x555555559800-0x55555555a000: not mapped; 0x800 (2.0K) past the "
	  "end of 555555558000-555555559000 rw-p data /opt/bin/srv; 0x1000 "
	  "(4.0K) before 55555555b000-55555557c000 rw-p heap [heap]\n",
	  "{\"query\": \"0x555555559800-0x55555555a000\", \"mapped\": false, "
	  "\"regions\": [], \"below\": {\"start\": \"0x555555558000\", "
	  "\"end\": \"0x555555559000\", \"perms\": \"rw-p\", \"class\": "
	  "\"data\", \"path\": \"/opt/bin/srv\", \"deleted\": false, "
	  "\"distance\": 2048}, \"above\": {\"start\": \"0x55555555b000\", "
	  "\"end\": \"0x55555557c000\", \"perms\": \"rw-p\", \"class\": "
	  "\"heap\", \"path\": \"[heap]\", \"deleted\": false, "
	  "\"distance\": 4096}}\n" },
};

static void test_output(const struct vmaset *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(outputs); i++) {
		const struct ocase *c = &outputs[i];
		struct addr_query q = query(c->query);
		char *out = render(s, &q, false);
		const char *name = visible(c->query, strlen(c->query));
		char what[300];

		snprintf(what, sizeof(what), "text for '%s'", name);
		same(out, c->text, what);
		free(out);
		out = render(s, &q, true);
		if (c->json) {
			snprintf(what, sizeof(what), "JSON for '%s'", name);
			same(out, c->json, what);
		}
		ok(one_line(out), "JSON for '%s' is one line", name);
		free(out);
	}
}

/* Several answers in a row into one buffer: one JSON line each. */
static void test_ndjson(const struct vmaset *s)
{
	static const char *const qs[] = { "0x0", "0x555555555000-0x55555555c000",
					  "0x7f12a4e20001", "ffffffffffffffff" };
	FILE *f = tmpfile();
	struct obuf o;
	char buf[8192];
	ssize_t n;
	int lines = 0;

	if (!f || obuf_init(&o, fileno(f)))
		abort();
	for (size_t i = 0; i < ARRAY_SIZE(qs); i++) {
		struct addr_query q = query(qs[i]);

		addr_render(s, &q, true, &o);
	}
	obuf_close(&o);
	n = pread(fileno(f), buf, sizeof(buf) - 1, 0);
	fclose(f);
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	ok(n > 0 && lines == 4 && buf[n - 1] == '\n',
	   "four JSON answers are four lines");
}

/* ----------------------------------------------------------- scale */

enum { BIG = 100000 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Region i is [base + 2i pages, base + 2i pages + 1 page): holes between. */
static bool big_set(struct vmaset *s)
{
	vset_init(s);
	for (uint64_t i = 0; i < BIG; i++) {
		struct vma v = { .start = 0x10000 + i * 0x2000,
				 .end = 0x11000 + i * 0x2000,
				 .smaps = VMA_NO_SMAPS, .perms = VP_READ };

		if (!vset_add(s, &v))
			return false;
	}
	return vset_index(s) == 0 && (!with_index || vset_index_fast(s) == 0);
}

static bool big_agrees(const struct vmaset *s, uint64_t a)
{
	struct addr_query q = { a, a + 1, false };
	struct hits h = { .s = s };
	uint64_t i = (a - 0x10000) / 0x2000;
	bool in = a >= 0x10000 && i < BIG && (a - 0x10000) % 0x2000 < 0x1000;
	const struct vma *lo, *hi;

	lookup_each(s, &q, collect, &h);
	if (in)
		return h.n == 1 && h.idx[0] == (long)i;
	lookup_neighbours(s, a, &lo, &hi);
	if (a < 0x10000)
		return h.n == 0 && !lo && idx_of(s, hi) == 0;
	if (i >= BIG)
		return h.n == 0 && idx_of(s, lo) == BIG - 1 && !hi;
	return h.n == 0 && idx_of(s, lo) == (long)i &&
	       idx_of(s, hi) == (i + 1 < BIG ? (long)i + 1 : MISS);
}

static void test_scale(void)
{
	struct vmaset s;
	size_t wrong = 0;
	double t;

	if (!ok(big_set(&s), "a set of %d regions", BIG))
		return;
	t = now();
	for (int k = 0; k < BIG; k++)
		wrong += !big_agrees(&s, rnd() % (0x10000 + 2 * BIG * 0x2000));
	t = now() - t;
	ok(wrong == 0, "%d lookups and neighbours through the tree agree "
	   "with arithmetic (%zu off)", BIG, wrong);
	diag("%d lookups in %.3f s", BIG, t);
	vset_free(&s);
}

/* Everything that looks regions up, through the tree or the index. */
static void test_lookups(void)
{
	struct vmaset s;
	struct err e;

	if (!ok(build_set(&s, maps_text, &e) == NREGIONS, "test set built"))
		diag("%s", e.msg);
	ok(!!s.tree.ix == with_index, "the set %s the implicit index",
	   with_index ? "has" : "does not have");
	test_singles(&s);
	test_ranges(&s);
	test_neighbours(&s);
	test_file_offset(&s);
	test_oracle(&s);
	test_output(&s);
	test_ndjson(&s);
	vset_free(&s);
	test_empty_set();
	test_torn();
	test_scale();
}

int main(void)
{
	test_parse_good();
	test_parse_bad();
	test_parse_long();
	test_line_bytes();
	test_line_random();
	diag("lookups through the tree");
	test_lookups();
	diag("the same lookups through the implicit index");
	with_index = true;
	test_lookups();
	return tap_done();
}
