// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_maps.c - fuzz target: maps/smaps text (or a snapshot) through the
 * parser, the model, the classifier and every map renderer.  Checks that
 * the streaming parser fed in windows agrees with one parse of the whole
 * text, and that the JSON written for the set loads back as the same
 * regions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct vmaset whole, win;
	struct err ew, ec;
	int rw = fuzz_load(&whole, p, size, 0, &ew);
	int rc = fuzz_load(&win, p, size, 1 + size % 61, &ec);

	fuzz_assert(rw == rc && !strcmp(ew.msg, ec.msg),
		    "fed in windows, the parser says otherwise");
	if (rw)
		return 0;
	fuzz_assert(fuzz_same_set(&whole, &win),
		    "fed in windows, the parser reads other regions");
	vset_free(&win);
	fuzz_render(&whole);
	fuzz_round_trip(&whole, false);
	vset_free(&whole);
	return 0;
}
