// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_diff.c - fuzz target: the diff of two parsed inputs.  The input
 * is the old map, a line "%%", then the new map (each maps, smaps or a
 * snapshot); without that line, the map is compared with itself, which
 * must show no change.  Both directions are built and checked against
 * the invariants of tests/unit/diffcheck.h, then rendered as a table and
 * as JSON.
 */
#include "config.h"

#include <string.h>

#include "account.h"
#include "diffcheck.h"
#include "fuzz.h"
#include "render_diff.h"

static void render(const struct diff *d)
{
	struct diff_opts opt = { .classes = ACCT_ALL_CLASSES };
	struct obuf o;

	fuzz_sink(&o);
	diff_render_table(d, &opt, &o);
	diff_render_json(d, &opt, &o);
	opt.all = opt.bytes = opt.color = true;
	diff_render_table(d, &opt, &o);
	diff_render_json(d, &opt, &o);
	obuf_close(&o);
}

static void diff_both(const struct vmaset *a, const struct vmaset *b)
{
	struct diff ab, ba;

	fuzz_assert(!diff_build(a, b, &ab) && !diff_build(b, a, &ba),
		    "diff_build: out of memory");
	fuzz_assert(covers_once(&ab) && covers_once(&ba),
		    "diff: a region in no change or in two");
	fuzz_assert(in_order(&ab) && in_order(&ba),
		    "diff: changes out of address order");
	fuzz_assert(mirrored(&ab, &ba), "diff: swapped sides do not mirror");
	fuzz_assert(a != b || ab.changed == 0,
		    "diff: a map differs from itself");
	render(&ab);
	diff_free(&ab);
	diff_free(&ba);
}

/* Length of the old map: up to the line "%%", or all of it. */
static size_t old_len(const char *p, size_t size)
{
	const char *sep;

	if (size >= 3 && !memcmp(p, "%%\n", 3))
		return 0;
	sep = memmem(p, size, "\n%%\n", 4);
	return sep ? (size_t)(sep - p) + 1 : size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	size_t n = old_len(p, size);
	struct vmaset a, b;
	struct err e;

	if (fuzz_load(&a, p, n, 0, &e))
		return 0;
	if (n == size) {
		diff_both(&a, &a);
	} else if (!fuzz_load(&b, p + n + 3, size - n - 3, 0, &e)) {
		diff_both(&a, &b);
		vset_free(&b);
	}
	vset_free(&a);
	return 0;
}
