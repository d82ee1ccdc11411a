#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# torn.sh - reading a process whose map changes while it is read.  The
# kernel gives maps one page at a time and lets the process run between
# two pages, so a region that moves in between can be printed twice,
# overlapping.  vmamap reads again (at most 4 times); a read that stays
# torn is kept, marked "torn", with a warning.
#
# First deterministically: the pauseread.so shim stops vmamap after the
# first page of each read while the churn helper moves every region of
# its arena by one page.  Then for real: 1,000 reads of churn with two
# threads that mmap, mprotect and munmap as fast as they can; every result
# must be sorted and non-overlapping unless marked torn, and a saved copy
# must be marked torn exactly when its text overlaps.  Needs jq.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
. "$srcdir/tests/lib.sh"

: "${CHURN:?CHURN must point at tests/helper/churn}"
: "${PAUSEREAD:?PAUSEREAD must point at tests/helper/pauseread.so}"

if ! command -v jq > /dev/null; then
	skip "torn reads" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

# verdict FILE: for each document of the NDJSON FILE, "ok" when its
# regions are sorted by start and none overlaps the one before; "torn" when
# some overlap and it is marked torn; else what is wrong.  Addresses are
# compared as zero-padded hex strings (exact to 2^64).
verdict() {
	awk 'function pad(h) { return substr("0000000000000000", 1, 16 - length(h)) h }
	{
		torn = index($0, "\"torn\": true") > 0
		n = split($0, r, /\{"start": "0x/)
		order = over = 0
		for (i = 2; i <= n; i++) {
			s = pad(substr(r[i], 1, index(r[i], "\"") - 1))
			match(r[i], /"end": "0x[0-9a-f]+/)
			e = pad(substr(r[i], RSTART + 10, RLENGTH - 10))
			if (i > 2 && s < ps) order = 1
			if (i > 2 && s < pe) over = 1
			ps = s; pe = e
		}
		print n < 2 ? "no regions" : order ? "unsorted" : \
			over && !torn ? "overlap, not torn" : over ? "torn" : "ok"
	}' "$1"
}

if ! start_helper "$CHURN" -n 200; then
	ok 1 "churn helper starts"
	tap_done
	exit
fi
pid=$helper
out=$tmpdir/churn.out

# ------------------------------------------------------------ paused reads
if ! shim_ready; then
	skip "paused reads" "vmamap is built with a sanitizer (no LD_PRELOAD)"
else
	p=$tmpdir/p
	# paused_read FILE:AT[:every] N ARGS: vmamap ARGS under the shim; at
	# each of N pauses the helper shifts its arena.  Output in $p/out,
	# $p/err.
	paused_read() {
		local spec=$1 n=$2 i want
		shift 2
		shim_run "$spec" "$@" "$pid"
		for ((i = 0; i < n; i++)); do
			shim_paused || break
			want=$(($(grep -c '^shifted' "$out") + 1))
			echo shift >&9
			for _ in $(seq 200); do
				[ "$(grep -c '^shifted' "$out")" -ge "$want" ] && break
				sleep 0.05
			done
			shim_go
		done
		shim_done
		[ "$i" -eq "$n" ]
	}
	paused_read maps:1:every 4 --json --ndjson
	ok $? "4 reads of maps, each stopped after its first page while the regions move"
	[ "$rc" -eq 0 ] && [ "$(verdict "$p/out")" = torn ] &&
		[ "$(wc -l < "$p/err")" -eq 1 ] &&
		grep -q '^vmamap: warning: the process changed while it was read; the map may be inconsistent (marked torn)$' "$p/err"
	ok $? "... every read torn: exit 0, shown sorted, overlaps kept and marked \"torn\": true, one warning"
	[ "$rc" -eq 0 ] || diag "exit $rc: $(cat "$p/err")"
	paused_read maps:1:every 4 --color=never
	[ "$rc" -eq 0 ] && grep -q '^[0-9]*: .*  \[torn read: the process changed while read\]$' "$p/out"
	ok $? "... the table says so in its header"
	paused_read maps:1 1 --json --ndjson
	[ "$rc" -eq 0 ] && [ "$(verdict "$p/out")" = ok ] && jq -e '.torn == false' "$p/out" > /dev/null &&
		[ ! -s "$p/err" ] &&
		[ "$(jq '.vmas | length' "$p/out")" -eq "$(grep -c '' "/proc/$pid/maps")" ]
	ok $? "only the first read torn: read again, whole and consistent, not marked, no warning"
	# smaps: a page holds about three records; the arena starts after
	# the program's and the heap's, so the 6th read is inside it.
	paused_read smaps:5:every 4 -x --json --ndjson
	[ "$rc" -eq 0 ] && [ "$(verdict "$p/out")" = torn ] &&
		jq -e 'all(.vmas[]; has("rss"))' "$p/out" > /dev/null
	ok $? "smaps: every read torn: kept whole, marked torn"
	paused_read smaps:5 1 -x --json --ndjson
	[ "$rc" -eq 0 ] && [ "$(verdict "$p/out")" = ok ] && jq -e '.torn == false and
		all(.vmas[]; has("rss"))' "$p/out" > /dev/null && [ ! -s "$p/err" ]
	ok $? "smaps: only the first read torn: read again, consistent, not marked"
fi
echo exit >&9
wait "$pid" 2> /dev/null

# ------------------------------------------------------------ churning
# A second helper: two threads churning, at the lowest priority (the test
# machine's CPUs are shared).  Its input is a fifo held open on fd 8;
# closing it ends the helper.
mkfifo "$tmpdir/c.in"
nice -n 19 "$CHURN" -t 2 -n 100 < "$tmpdir/c.in" > "$tmpdir/c.out" 2>&1 &
churn=$!
exec 8> "$tmpdir/c.in"
trap 'exec 8>&-; kill $churn 2> /dev/null; wait $churn 2> /dev/null; rm -rf "$tmpdir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
for _ in $(seq 100); do
	grep -q '^ready' "$tmpdir/c.out" && break
	sleep 0.1
done
grep -q '^ready' "$tmpdir/c.out"
ok $? "churn -t 2 starts"

# verdicts FILE: the verdict of each document of FILE into FILE.v, and
# the count of each.
verdicts() {
	verdict "$1" > "$1.v"
	sort "$1.v" | uniq -c | awk '{ printf "%s%s %s", s, $1, $2; s = ", " }'
}
args=()
for ((i = 0; i < 1000; i++)); do args+=("$churn"); done
"$VMAMAP" --json --ndjson "${args[@]}" > "$tmpdir/r.json" 2> "$tmpdir/r.err"
rc=$?
n=$(grep -c '' "$tmpdir/r.json")
[ "$rc" -eq 0 ] && [ "$n" -eq 1000 ]
ok $? "1,000 reads of the churning process: exit 0, 1,000 documents (got $n, exit $rc)"
v=$(verdicts "$tmpdir/r.json")
diag "1,000 reads: $v"
! grep -qv -e '^ok$' -e '^torn$' "$tmpdir/r.json.v"
ok $? "... each sorted, and non-overlapping unless marked torn ($v)"
torn=$(grep -c '^torn$' "$tmpdir/r.json.v")
[ "$(grep -c 'warning: the process changed while it was read' "$tmpdir/r.err")" -eq "$torn" ] &&
	! grep -v 'warning: the process changed while it was read' "$tmpdir/r.err" | grep -q .
ok $? "... one warning for each read marked torn ($torn), nothing else on stderr"

args=()
for ((i = 0; i < 200; i++)); do args+=("$churn"); done
"$VMAMAP" -x --json --ndjson "${args[@]}" > "$tmpdir/x.json" 2> /dev/null
rc=$?
v=$(verdicts "$tmpdir/x.json")
[ "$rc" -eq 0 ] && [ "$(grep -c '' "$tmpdir/x.json")" -eq 200 ] &&
	! grep -qv -e '^ok$' -e '^torn$' "$tmpdir/x.json.v"
ok $? "200 reads of its smaps: exit 0, each sorted, non-overlapping unless marked torn ($v)"

# Raw copies, as cat reads them (one page per read too): each is refused
# (exit 5, FILE:LINE) exactly when its text has a line out of order or
# overlapping; the others load.
mkdir "$tmpdir/copies"
copies=()
for ((i = 0; i < 300; i++)); do
	copies+=("$tmpdir/copies/$i.maps")
	cat "/proc/$churn/maps" > "${copies[i]}"
done
awk 'function pad(h) { return substr("0000000000000000", 1, 16 - length(h)) h }
	FNR == 1 && NR > 1 { print x ? "true" : "false"; x = 0 }
	{ split($1, a, "-"); s = pad(a[1]); e = pad(a[2])
	  if (FNR > 1 && s < pe) x = 1; pe = e }
	END { print x ? "true" : "false" }' "${copies[@]}" > "$tmpdir/want"
for c in "${copies[@]}"; do
	"$VMAMAP" --json "$c" > /dev/null 2> "$tmpdir/copy.err"
	case $? in
	0) echo false ;;
	5) grep -q "^vmamap: $c:[0-9]*: region overlaps or comes before" \
		"$tmpdir/copy.err" && echo true || echo "bad message" ;;
	*) echo "exit $?" ;;
	esac
done > "$tmpdir/got"
diag "raw copies: $(grep -c true "$tmpdir/want") of 300 out of order or overlapping"
[ "$(grep -c '' "$tmpdir/got")" -eq 300 ] && cmp -s "$tmpdir/want" "$tmpdir/got"
ok $? "300 raw copies: each refused (exit 5, FILE:LINE) exactly when its text overlaps"

tap_done
