#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# smoke.sh - make fuzz-smoke: run each libFuzzer target TARGET...
# ($builddir/fuzz/fuzz_TARGET) for $FUZZ_SECONDS seconds on its seeds
# ($srcdir/tests/fuzz/TARGET), its regression inputs
# ($srcdir/tests/fuzz/regress/TARGET) and the corpus it grew before
# ($builddir/fuzz/out/TARGET/corpus), with the dictionaries of the
# target.  Fails on any crash, leak, timeout (10 s for one input) or
# sanitizer report; the input that did it is left in
# fuzz/out/TARGET/crash/: fix the bug, then copy the input to
# tests/fuzz/regress/TARGET/ (make check replays it).
set -u
: "${srcdir:?}" "${builddir:?}" "${FUZZ_SECONDS:=60}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# dicts TARGET: the dictionary files the target's input may hold tokens of.
dicts() {
	case $1 in
	maps | diff) echo maps json ;;
	snapshot) echo json maps ;;
	addr) echo addr maps ;;
	esac
}

# max_len TARGET: the largest input tried.  Small inputs run faster and
# find the same bugs; a snapshot needs room to stay valid JSON.
max_len() {
	case $1 in
	snapshot) echo 65536 ;;
	*) echo 8192 ;;
	esac
}

# fuzz TARGET: run it; 0 when it found nothing.
fuzz() {
	local t=$1 out=$builddir/fuzz/out/$1 d rc seeds=()

	rm -rf "$out/crash" && mkdir -p "$out/corpus" "$out/crash" || return 1
	for d in $(dicts "$t"); do
		cat "$srcdir/tests/fuzz/$d.dict"
	done >"$out/dict"
	for d in "$srcdir/tests/fuzz/$t" "$srcdir/tests/fuzz/regress/$t"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	"$builddir/fuzz/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -max_len="$(max_len "$t")" -dict="$out/dict" \
		-artifact_prefix="$out/crash/" -print_final_stats=1 \
		"$out/corpus" "${seeds[@]}" >"$out/log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$out/crash")" ] ||
		grep -q -E '^(==[0-9]+==)?(ERROR|WARNING): |runtime error:' "$out/log"; then
		echo "fuzz_$t: FAILED (status $rc); inputs in $out/crash/:"
		ls "$out/crash"
		grep -v -E '^#[0-9]+' "$out/log" | tail -n 60
		return 1
	fi
	echo "fuzz_$t: ok, $(grep -E '^stat::number_of_executed_units' "$out/log" |
		awk '{print $2}') runs in ${FUZZ_SECONDS}s, $(grep -c '' < <(ls "$out/corpus")) inputs in its corpus"
}

bad=0
for t in "$@"; do
	fuzz "$t" || bad=1
done
exit "$bad"
