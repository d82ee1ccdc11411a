// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_snapshot.c - fuzz target: any bytes through the JSON snapshot
 * loader (snap_load), then the model and the renderers.  Checks that a
 * set loaded from JSON writes a document that loads back as the same
 * set and is then written byte for byte the same.
 */
#include "config.h"

#include "classify.h"
#include "fuzz.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmaset s;
	struct err e = { 0 };
	int r;

	vset_init(&s);
	r = snap_load(&s, (const char *)data, size, "fuzz", &e);
	fuzz_assert(r < 0 ? e.code == r && e.msg[0] : (size_t)r == s.n,
		    "snap_load: result and message disagree");
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
