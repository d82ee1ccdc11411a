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

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/vmamap-test.XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT

# start_mapper: run the test helper ($MAPPER) in $tmpdir/m with a fifo on
# its stdin (held open on fd 9, so it blocks until the test ends), wait
# for its "ready" line (at most 10 s) and set $mapper to its PID.  The
# helper's output is in $tmpdir/mapper.out.  Returns 1 if it never got
# ready.
start_mapper() {
	mkfifo "$tmpdir/fifo"
	"$MAPPER" "$tmpdir/m" < "$tmpdir/fifo" > "$tmpdir/mapper.out" 2>&1 &
	mapper=$!
	exec 9> "$tmpdir/fifo"
	trap 'kill $mapper 2>/dev/null; wait $mapper 2>/dev/null; rm -rf "$tmpdir"' EXIT
	for _ in $(seq 100); do
		grep -q '^ready' "$tmpdir/mapper.out" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
