/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - shared by the fuzz targets (fuzz/fuzz_*.c).  Each target
 * defines LLVMFuzzerTestOneInput(): linked with libFuzzer (configure
 * --enable-fuzzing, `make fuzz-smoke`) it is a fuzzer; linked with
 * replay.c it is a program that runs saved inputs through the same code
 * (tests/fuzz-regress.sh in `make check`).  A broken invariant aborts
 * with a message, so both count it as a crash.
 */
#ifndef VMAMAP_FUZZ_H
#define VMAMAP_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "obuf.h"
#include "vmaset.h"

/* One input; returns 0 (libFuzzer's contract).  Defined by each target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Load @len untrusted bytes as vmamap loads a saved file: a JSON snapshot
 * (snap_load, or snap_load_stream() @chunk bytes at a time) or maps/smaps
 * text, fed to the streaming parser in windows of @chunk bytes, each a
 * heap block of its own so that reading past one is caught (0: all at
 * once, maps_parse()).  Then index and classify.
 * @s is initialised here; on error it is freed.  Returns 0 or a negative
 * errno with @e filled.
 */
int fuzz_load(struct vmaset *s, const char *p, size_t len, size_t chunk,
	      struct err *e);

/*
 * A snapshot through snap_load_stream(), its reader giving @chunk bytes at
 * a time (as "fuzz"): what snap_load() returns.
 */
int fuzz_snap_pieces(struct vmaset *s, const char *p, size_t len,
		     size_t chunk, struct err *e);

/* Start an obuf writing to /dev/null (aborts if it cannot). */
void fuzz_sink(struct obuf *o);

/*
 * Render @s every way vmamap renders a map (table with and without smaps
 * columns, gaps, JSON, the summary as table and JSON) to /dev/null.
 */
void fuzz_render(struct vmaset *s);

/*
 * The JSON document of @s (json_render, no gaps) in a malloc'd buffer
 * of *@len bytes, NUL-terminated, owned by the caller.
 */
char *fuzz_json(const struct vmaset *s, size_t *len);

/* True when @a and @b hold the same regions (addresses, perms, offset,
 * device, inode, name bytes and kind, deleted flag) and torn flag. */
bool fuzz_same_set(const struct vmaset *a, const struct vmaset *b);

/*
 * Check that the JSON document of @s loads back as the same set and, with
 * @same_json, that the set loaded back writes the same document.  Not
 * checked when it holds an integer above 2^63 - 1 (an open issue: see
 * docs/robustness.md).
 */
void fuzz_round_trip(const struct vmaset *s, bool same_json);

/* Abort with "fuzz: @what" on stderr unless @cond holds. */
void fuzz_assert(bool cond, const char *what);

#endif
