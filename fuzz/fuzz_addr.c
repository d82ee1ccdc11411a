// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_addr.c - fuzz target: the address parser (lookup_parse) and the
 * lookups and rendering of --addr.  The input is the query text, then
 * optionally a newline and a map (maps, smaps or a snapshot) to look it
 * up in; without one, a small built-in map.  The tree lookups are
 * checked against a linear scan of the regions.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "lookup.h"
#include "render_addr.h"

static const char builtin_map[] =
	"00400000-00401000 r-xp 00000000 08:01 12 /bin/x\n"
	"00600000-00602000 rw-p 00000000 00:00 0 [heap]\n"
	"7ffe0000-7fff0000 rw-p 00000000 00:00 0 [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

/* A parsed query is well formed. */
static void check_query(const struct addr_query *q)
{
	fuzz_assert(q->range ? q->end > q->start : q->end == q->start + 1,
		    "lookup_parse: bad range");
}

/* True when @v holds the address or meets the range @q. */
static bool hits(const struct vma *v, const struct addr_query *q)
{
	if (v->start <= q->start)
		return v->end > q->start;
	return q->range && v->start < q->end;
}

struct scan {
	const struct addr_query *q;
	uint64_t last;		/* start of the previous hit */
	size_t n;
};

static void on_hit(const struct vma *v, void *ctx)
{
	struct scan *sc = ctx;

	fuzz_assert(hits(v, sc->q) && (!sc->n || v->start >= sc->last),
		    "lookup_each: a region that misses, or out of order");
	sc->last = v->start;
	sc->n++;
}

/* Regions a linear scan says the query hits (one at most for an address:
 * the first). */
static size_t scan_hits(const struct vmaset *s, const struct addr_query *q)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += hits(&s->v[i], q);
	return q->range || !n ? n : 1;
}

/* The neighbours of a hole, against a linear scan. */
static void check_neighbours(const struct vmaset *s, uint64_t addr)
{
	const struct vma *below, *above;
	uint64_t best_end = 0, best_start = UINT64_MAX;
	bool has_below = false, has_above = false;

	lookup_neighbours(s, addr, &below, &above);
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].end <= addr && s->v[i].end >= best_end) {
			best_end = s->v[i].end;
			has_below = true;
		}
		if (s->v[i].start > addr && s->v[i].start <= best_start) {
			best_start = s->v[i].start;
			has_above = true;
		}
	}
	fuzz_assert(has_above == !!above && (!above ||
		    above->start == best_start), "lookup_neighbours: above");
	if (!s->torn)
		fuzz_assert(has_below == !!below && (!below ||
			    below->end == best_end), "lookup_neighbours: below");
}

static void look_up(const struct vmaset *s, const struct addr_query *q)
{
	struct scan sc = { q, 0, 0 };
	struct obuf o;

	fuzz_assert(lookup_each(s, q, on_hit, &sc) == sc.n,
		    "lookup_each: count differs from the calls");
	fuzz_assert(sc.n == scan_hits(s, q),
		    "lookup_each: differs from a linear scan");
	check_neighbours(s, q->start);
	fuzz_sink(&o);
	addr_render(s, q, false, &o);
	addr_render(s, q, true, &o);
	obuf_close(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl = memchr(p, '\n', size);
	size_t qlen = nl ? (size_t)(nl - p) : size;
	struct addr_query q;
	struct vmaset s;
	struct err e;

	if (!lookup_parse(p, size, &q, &e))
		check_query(&q);
	if (lookup_parse(p, qlen, &q, &e))
		return 0;
	check_query(&q);
	if (!nl || size - qlen == 1) {
		p = builtin_map;
		size = sizeof(builtin_map) - 1;
	} else {
		p = nl + 1;
		size -= qlen + 1;
	}
	if (fuzz_load(&s, p, size, 0, &e))
		return 0;
	look_up(&s, &q);
	vset_free(&s);
	return 0;
}
