// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_snapshot.c - fuzz target: any bytes through the JSON snapshot
 * loader (snap_load), then the model and the renderers.  Checks that the
 * loader fed a few bytes at a time (snap_load_stream) gives the same
 * result, message and set, and that a set loaded from JSON writes a
 * document that loads back as the same set and is then written byte for
 * byte the same.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fuzz.h"
#include "snapshot.h"

/* @a and @b write the same JSON document. */
static bool same_json(const struct vmaset *a, const struct vmaset *b)
{
	size_t la, lb;
	char *ja = fuzz_json(a, &la), *jb = fuzz_json(b, &lb);
	bool same = la == lb && !memcmp(ja, jb, la);

	free(ja);
	free(jb);
	return same;
}

/* The same text in pieces of 1 to 13 bytes agrees with @s, @r and @e. */
static void check_pieces(const uint8_t *data, size_t size,
			 const struct vmaset *s, int r, const struct err *e)
{
	struct vmaset p;
	struct err ep = { 0 };
	int rp;

	vset_init(&p);
	rp = fuzz_snap_pieces(&p, (const char *)data, size, 1 + size % 13,
			      &ep);
	fuzz_assert(rp == r && !strcmp(ep.msg, e->msg),
		    "snap_load_stream in pieces and snap_load disagree");
	fuzz_assert(r < 0 || (fuzz_same_set(s, &p) && same_json(s, &p)),
		    "snap_load_stream in pieces loads another set");
	vset_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmaset s;
	struct err e = { 0 };
	int r;

	vset_init(&s);
	r = snap_load(&s, (const char *)data, size, "fuzz", &e);
	fuzz_assert(r < 0 ? e.code == r && e.msg[0] : (size_t)r == s.n,
		    "snap_load: result and message disagree");
	check_pieces(data, size, &s, r, &e);
	if (r >= 0) {
		s.torn = s.torn || vset_disorder(&s) > 0;
		fuzz_assert(!vset_index(&s), "vset_index: out of memory");
		class_assign(&s);
		fuzz_render(&s);
		fuzz_round_trip(&s, true);
	}
	vset_free(&s);
	return 0;
}
