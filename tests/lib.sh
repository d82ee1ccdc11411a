# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - TAP helpers for the shell tests.  Source it; call ok/fail/skip,
# end with tap_done.  Every test runs under LC_ALL=C.UTF-8 with no terminal.

: "${VMAMAP:?VMAMAP must point at the vmamap binary}"
: "${srcdir:?srcdir must point at the source tree}"
export LC_ALL=C.UTF-8
unset NO_COLOR
tap_n=0
tap_failed=0

# ok COND_STATUS DESCRIPTION: record one result from an exit status.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# check DESCRIPTION CMD...: run CMD, record whether it succeeded.
check() {
	local what=$1
	shift
	"$@"
	ok $? "$what"
}

# skip DESCRIPTION REASON
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# has_control FILE: true if FILE holds a C0 control byte other than
# newline, DEL, or a C1 control (raw 0x80-0x9f byte or UTF-8 U+0080-U+009F).
has_control() {
	LC_ALL=C grep -q -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"
}

# expect CODE PATTERN ARGS...: vmamap ARGS (stdin from $STDIN, default
# /dev/null) exits CODE with one stderr line matching the extended regex
# PATTERN (besides "Try 'vmamap --help'"), no control byte on stderr, and
# nothing on stdout.  Two results.
expect() {
	local code=$1 pat=$2 rc lines
	shift 2
	"$VMAMAP" "$@" > "$tmpdir/out" 2> "$tmpdir/err" < "${STDIN:-/dev/null}"
	rc=$?
	lines=$(grep -c -v '^Try .vmamap --help' "$tmpdir/err")
	if [ "$rc" -ne "$code" ]; then
		diag "exit $rc, stderr: $(head -c 300 "$tmpdir/err")"
		ok 1 "vmamap $* exits $code"
		return
	fi
	ok 0 "vmamap $* exits $code"
	grep -qE -- "$pat" "$tmpdir/err" && [ "$lines" -eq 1 ] &&
		[ ! -s "$tmpdir/out" ] && ! has_control "$tmpdir/err"
	local r=$?
	[ $r -eq 0 ] || diag "stderr: $(head -c 300 "$tmpdir/err")"
	ok $r "vmamap $*: one line on stderr matching /$pat/, no stdout"
}

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/vmamap-test.XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT

# start_helper PROG ARGS...: run PROG ARGS in the background with a fifo
# on its stdin, held open for writing on fd 9 (what the test writes there
# reaches the helper; when the test ends the helper sees end of file),
# wait for its "ready" line (at most 10 s) and set $helper to its PID.
# The helper's output is in $tmpdir/NAME.out, NAME being PROG's base
# name.  Returns 1 if it never got ready.  One such helper per test.
start_helper() {
	local out i

	out="$tmpdir/$(basename "$1").out"
	mkfifo "$tmpdir/fifo"
	"$@" < "$tmpdir/fifo" > "$out" 2>&1 &
	helper=$!
	exec 9> "$tmpdir/fifo"
	trap 'kill $helper 2>/dev/null; wait $helper 2>/dev/null; rm -rf "$tmpdir"' EXIT
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' "$out" 2>/dev/null && return 0
		kill -0 "$helper" 2>/dev/null || break
		sleep 0.1
	done
	grep -q '^ready' "$out" 2>/dev/null
}

# start_mapper: start_helper for the test helper ($MAPPER) with the
# scratch directory $tmpdir/m; sets $mapper.  Its output is in
# $tmpdir/mapper.out.
# shellcheck disable=SC2034
start_mapper() {
	start_helper "$MAPPER" "$tmpdir/m"
	local r=$?
	mapper=$helper
	return $r
}

# The pauseread.so shim ($PAUSEREAD, tests/helper/pauseread.c) stops
# vmamap before a given read() of a file until the test lets it go on.
# shim_ready: its fifos, $tmpdir/p/paused and $tmpdir/p/go, held open on
# fds 6 and 7; false when vmamap is built with a sanitizer (whose runtime
# must come first: no LD_PRELOAD).
shim_ready() {
	! ldd "$VMAMAP" 2> /dev/null | grep -q 'lib[at]san' &&
		mkdir -p "$tmpdir/p" && mkfifo "$tmpdir/p/paused" "$tmpdir/p/go" &&
		exec 6<> "$tmpdir/p/paused" 7<> "$tmpdir/p/go"
}

# shim_run FILE:AT[:every] ARGS...: vmamap ARGS in the background, stopped
# before its read() number AT (from 0) of FILE, once (at each open of it
# with :every); its output in $tmpdir/p/out and $tmpdir/p/err.
shim_run() {
	local file at every
	IFS=: read -r file at every <<< "$1"
	shift
	VMAMAP_PAUSE="$file:$at:$tmpdir/p${every:+:$every}" LD_PRELOAD=$PAUSEREAD \
		"$VMAMAP" "$@" > "$tmpdir/p/out" 2> "$tmpdir/p/err" < /dev/null &
	shim_pid=$!
}

# shim_paused: wait until vmamap stops (false after 20 s).  shim_go: let it
# go on.  shim_done: wait for it to end; its exit status in $rc.
shim_paused() {
	read -r -t 20 -u 6 _
}
shim_go() {
	echo go >&7
}
shim_done() {
	wait "$shim_pid"
	rc=$?
}
