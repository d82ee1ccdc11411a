// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_diff.c - unit test of the diff engine.
 *
 * Hand-made pairs, one per kind of change (and the ambiguous cases that
 * must not be called a move), then random pairs checked against the
 * invariants every diff must keep: each region of either side is in
 * exactly one change, changes are in address order, a set compared with
 * itself has no differences, and swapping the sides swaps added/removed,
 * grown/shrunk and split/merged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diffcheck.h"
#include "tap.h"
#include "testset.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct pair {
	const char *what;
	const char *old, *new;
	const char *want;	/* kinds of the changes, "+"-joined, ';' apart */
};

#define F1 " 08:01 77 /lib/a.so\n"
static const struct pair pairs[] = {
	{ "identical", "1000-2000 rw-p 00000000 00:00 0\n",
	  "1000-2000 rw-p 00000000 00:00 0\n", "" },
	{ "added", "1000-2000 rw-p 00000000 00:00 0\n",
	  "1000-2000 rw-p 00000000 00:00 0\n5000-6000 rw-p 00000000 00:00 0\n",
	  "added" },
	{ "removed", "1000-2000 rw-p 00000000 00:00 0\n"
	  "5000-6000 r--p 00000000" F1, "1000-2000 rw-p 00000000 00:00 0\n",
	  "removed" },
	{ "heap grown by brk", "1000-3000 rw-p 00000000 00:00 0 [heap]\n",
	  "1000-9000 rw-p 00000000 00:00 0 [heap]\n", "grown" },
	{ "stack grown down", "f000-10000 rw-p 00000000 00:00 0 [stack]\n",
	  "e000-10000 rw-p 00000000 00:00 0 [stack]\n", "grown" },
	{ "anon shrunk", "1000-9000 rw-p 00000000 00:00 0\n",
	  "1000-3000 rw-p 00000000 00:00 0\n", "shrunk" },
	{ "perms", "1000-2000 rw-p 00000000" F1, "1000-2000 r--p 00000000" F1,
	  "perms" },
	{ "relro: split and perms", "1000-3000 rw-p 00000000" F1,
	  "1000-2000 r--p 00000000" F1 "2000-3000 rw-p 00001000" F1,
	  "split+perms" },
	{ "merged", "1000-2000 rw-p 00000000 00:00 0\n"
	  "2000-3000 r--p 00000000 00:00 0\n",
	  "1000-3000 rw-p 00000000 00:00 0\n", "merged+perms" },
	{ "anon moved (mremap)", "1000-4000 rw-p 00000000 00:00 0\n",
	  "a000-d000 rw-p 00000000 00:00 0\n", "moved" },
	{ "file moved", "1000-3000 r--p 00002000" F1,
	  "8000-a000 r--p 00002000" F1, "moved" },
	{ "file at another offset is not a move", "1000-3000 r--p 00002000" F1,
	  "8000-a000 r--p 00004000" F1, "removed;added" },
	{ "two equal anon regions: no guess",
	  "1000-2000 rw-p 00000000 00:00 0\n3000-4000 rw-p 00000000 00:00 0\n",
	  "a000-b000 rw-p 00000000 00:00 0\nc000-d000 rw-p 00000000 00:00 0\n",
	  "removed;removed;added;added" },
	{ "same file, two mappings, one grows",
	  "1000-2000 r--p 00000000" F1 "5000-6000 r--p 00000000" F1,
	  "1000-2000 r--p 00000000" F1 "5000-7000 r--p 00000000" F1, "grown" },
	{ "other file at the same place", "1000-2000 r--p 00000000" F1,
	  "1000-2000 r--p 00000000 08:01 78 /lib/b.so\n", "removed;added" },
	{ "anon replaced by heap", "1000-2000 rw-p 00000000 00:00 0\n",
	  "1000-2000 rw-p 00000000 00:00 0 [heap]\n", "removed;added" },
};

/* The kinds of every reported change, in order, as pairs[].want. */
static void describe(const struct diff *d, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const char *sep = "";

		if (!d->ch[i].kinds)
			continue;
		if (n)
			n += (size_t)snprintf(out + n, cap - n, ";");
		for (unsigned int k = 0; k < DK_NKINDS; k++)
			if (d->ch[i].kinds >> k & 1) {
				n += (size_t)snprintf(out + n, cap - n, "%s%s",
						      sep, diff_kind_name(k));
				sep = "+";
			}
	}
}

static void test_pair(const struct pair *p)
{
	struct vmaset a, b;
	struct err e;
	struct diff d;
	char got[256];

	if (!ok(build(&a, p->old, &e) >= 0 && build(&b, p->new, &e) >= 0,
		"%s: inputs parse (%s)", p->what, e.msg))
		return;
	if (ok(diff_build(&a, &b, &d) == 0, "%s: diff builds", p->what)) {
		describe(&d, got, sizeof(got));
		ok(!strcmp(got, p->want), "%s: '%s' (want '%s')", p->what,
		   got, p->want);
		ok(covers_once(&d) && in_order(&d),
		   "%s: every region in one change, in address order", p->what);
		ok(d.changed == 0 ? !p->want[0] : !!p->want[0],
		   "%s: changed count agrees", p->what);
		diff_free(&d);
	}
	vset_free(&a);
	vset_free(&b);
}

/* ---------------------------------------------------------- random pairs */

static unsigned long long rng = 88172645463325252ULL;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

static const char *const perms[] = { "r--p", "rw-p", "r-xp", "---p" };
static const char *const names[] = { "", "", " [heap]", " 08:01 5 /lib/x",
				     " 08:01 6 /lib/y", " [anon:t]" };

/* A random map of @n regions (non-overlapping, sorted), as maps text. */
static char *random_maps(unsigned int n, unsigned int seed)
{
	char *t = malloc((size_t)n * 96 + 1), *p = t;
	unsigned long long at = 0x10000;

	rng = 88172645463325252ULL ^ seed;
	for (unsigned int i = 0; t && i < n; i++) {
		unsigned long long len = (1 + rnd(8)) * 0x1000ULL;
		const char *nm = names[rnd(ARRAY_SIZE(names))];
		bool file = nm[0] == ' ' && nm[1] == '0';

		at += rnd(3) * 0x1000ULL;
		p += sprintf(p, "%llx-%llx %s %08llx%s%s\n", at, at + len,
			     perms[rnd(ARRAY_SIZE(perms))],
			     file ? at - 0x10000 : 0ULL,
			     file ? "" : " 00:00 0", nm);
		at += len;
	}
	return t;
}

static bool random_round(unsigned int seed, struct err *e)
{
	char *ta = random_maps(40 + seed % 30, seed);
	char *tb = random_maps(40 + seed % 30, seed * 7 + 1);
	struct vmaset a, b;
	struct diff ab, ba, aa;
	bool good = ta && tb && build(&a, ta, e) >= 0 && build(&b, tb, e) >= 0;

	free(ta);
	free(tb);
	if (!good || diff_build(&a, &b, &ab) || diff_build(&b, &a, &ba) ||
	    diff_build(&a, &a, &aa))
		return false;
	good = covers_once(&ab) && covers_once(&ba) && in_order(&ab) &&
	       in_order(&ba) && aa.changed == 0 && mirrored(&ab, &ba);
	if (!good)
		diag("seed %u: %zu/%zu changes", seed, ab.changed, ba.changed);
	diff_free(&ab);
	diff_free(&ba);
	diff_free(&aa);
	vset_free(&a);
	vset_free(&b);
	return good;
}

int main(void)
{
	struct err e;
	unsigned int bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
		test_pair(&pairs[i]);
	for (unsigned int seed = 1; seed <= 500; seed++)
		bad += !random_round(seed, &e);
	ok(bad == 0, "500 random pairs keep the invariants (%u failed)", bad);
	return tap_done();
}
