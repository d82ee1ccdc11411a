#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz-regress.sh - every seed (tests/fuzz/TARGET/) and every input a
# fuzzer ever crashed on (tests/fuzz/regress/TARGET/) through the fuzz
# target's code built without libFuzzer (fuzz/replay_TARGET): each must
# run to the end, its invariants holding (see fuzz/fuzz.h), and print
# nothing (a sanitizer report that does not abort still fails).
. "$srcdir/tests/lib.sh"

for t in maps snapshot addr diff; do
	replay=$builddir/fuzz/replay_$t
	n=0
	for f in "$srcdir/tests/fuzz/$t"/* "$srcdir/tests/fuzz/regress/$t"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		"$replay" "$f" 2>"$tmpdir/err"
		rc=$?
		[ "$rc" -eq 0 ] && [ -s "$tmpdir/err" ] && rc=1
		ok "$rc" "fuzz_$t: ${f#"$srcdir"/tests/fuzz/}"
		[ "$rc" -eq 0 ] || diag "$(head -n 20 "$tmpdir/err")"
	done
	[ "$n" -gt 0 ]
	ok $? "fuzz_$t has seeds"
done
tap_done
