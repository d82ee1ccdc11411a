#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# summary.sh - live reconciliation: for the test helper and for every
# process the tests can read, the mm_struct counters rebuilt from the
# regions equal the kernel's (status, PROCMAP_QUERY) and the smaps sums
# equal smaps_rollup.
. "$srcdir/tests/lib.sh"

if ! command -v jq > /dev/null; then
	skip "summary reconciliation" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

# Every counter that has both values must match; the five rebuilt ones and
# the rollup sums must be present.
mismatches() {
	jq -r '[(.mm, .rollup) | to_entries[] | select(.value.match == false)
		| "\(.key): kernel \(.value.kernel) rebuilt \(.value.rebuilt)"]
		| join("; ")' "$1"
}
complete_view() {
	jq -e '[.mm.total_vm, .mm.data_vm, .mm.exec_vm, .mm.stack_vm,
		.rollup.rss, .rollup.pss, .rollup.swap]
		| all(.match == true)' "$1" > /dev/null
}

# The helper, with its known mappings.
start_mapper
ok $? "mapper helper is ready"

"$VMAMAP" -s --json "$mapper" > "$tmpdir/s.json" 2> "$tmpdir/s.err"
ok $? "vmamap -s --json on the helper exits 0"
complete_view "$tmpdir/s.json"
ok $? "helper: total_vm, data_vm, exec_vm, stack_vm and the rollup sums match ($(mismatches "$tmpdir/s.json"))"
if jq -e '.mm.map_count.kernel != null' "$tmpdir/s.json" > /dev/null; then
	jq -e '.mm.map_count.match == true' "$tmpdir/s.json" > /dev/null
	ok $? "helper: map_count equals the kernel's (PROCMAP_QUERY)"
else
	skip "helper: map_count" "PROCMAP_QUERY needs Linux 6.11"
fi
[ ! -s "$tmpdir/s.err" ]
ok $? "helper: no warning on stderr"
want=$(awk '/^VmSize:/ { print $2 * 1024 }' "/proc/$mapper/status")
[ "$(jq '.mm.total_vm.rebuilt' "$tmpdir/s.json")" = "$want" ]
ok $? "helper: rebuilt total_vm equals VmSize ($want)"
"$VMAMAP" -s "$mapper" > "$tmpdir/s.txt"
ok $? "vmamap -s (table) on the helper exits 0"
! grep -q MISMATCH "$tmpdir/s.txt" && grep -q '^total_vm .* ok ' "$tmpdir/s.txt"
ok $? "helper: the table marks the counters ok"

# Every process on the machine that we can read.  The kernel's figures and
# the regions are read at slightly different moments, so a process that is
# allocating all the time (a fuzzer, a compiler) can disagree with itself:
# one that still disagrees after five tries, each time differently, is
# counted as busy; one that disagrees the same way every time is wrong.
# consistent PID: 0 when a read agrees; sets $why to the mismatches.
consistent() {
	local try prev=""
	why=""
	for try in 1 2 3 4 5; do
		"$VMAMAP" -s --json "$1" > "$tmpdir/p.json" 2> /dev/null || return 2
		if complete_view "$tmpdir/p.json" &&
			! jq -e '.mm.map_count.match == false' "$tmpdir/p.json" > /dev/null; then
			return 0
		fi
		why=$(mismatches "$tmpdir/p.json")
		[ -n "$prev" ] && [ "$why" != "$prev" ] && return 3
		prev=$why
	done
	return 1
}
checked=0 skipped=0 busy=0 bad=""
for d in /proc/[0-9]*; do
	pid=${d#/proc/}
	"$VMAMAP" -s --json "$pid" > /dev/null 2>&1
	if [ $? -ne 0 ]; then
		skipped=$((skipped + 1))	# gone, kernel thread, no access
		continue
	fi
	checked=$((checked + 1))
	consistent "$pid"
	case $? in
	1) bad="$bad $pid($why)" ;;
	3) busy=$((busy + 1)); diag "pid $pid changes while read: $why" ;;
	esac
done
diag "checked $checked processes ($busy busy), skipped $skipped (gone, kernel threads or not readable)"
[ "$checked" -gt 0 ] && [ -z "$bad" ]
ok $? "every readable process: rebuilt counters equal the kernel's${bad:+:$bad}"

# The largest hole, against one computed here from the regions: sorted by
# start, each start less the largest end before it ([vsyscall] left out).
# A consistent read finds it in one walk, a torn one by the tree.
largest_hole() {
	jq 'def hex: ltrimstr("0x") | explode
		| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
	    [.vmas[] | select(.path != "[vsyscall]") | [(.start | hex), (.end | hex)]]
	    | sort | reduce .[] as $r ({m: null, g: 0};
		if .m != null and $r[0] > .m then .g = ([.g, $r[0] - .m] | max) else . end
		| .m = ([.m // 0, $r[1]] | max)) | .g' "$1"
}
# A torn snapshot where a walk from one region to the next would be wrong:
# the small region inside the big one ends before the next starts.
cat > "$tmpdir/torn.json" <<'EOF2'
{"vmamap": 1, "torn": true, "vmas": [
 {"start": "0x10000", "end": "0x100000000", "perms": "rw-p"},
 {"start": "0x20000", "end": "0x30000", "perms": "r--p"},
 {"start": "0x200000000", "end": "0x200001000", "perms": "r--p"}]}
EOF2
for t in "mapper $mapper" "torn $srcdir/tests/data/torn-proc 77" \
	 "captured $srcdir/tests/data/proc" "torn-snapshot $tmpdir/torn.json"; do
	set -- $t
	name=$1; shift
	case $name in
	mapper|torn-snapshot) args=("$1") ;;
	*) args=(--proc-root "$1" "${2:-$(ls "$1" | grep -m1 -x '[0-9]*')}") ;;
	esac
	"$VMAMAP" --json "${args[@]}" > "$tmpdir/hole.json" 2> /dev/null &&
		"$VMAMAP" -s --json "${args[@]}" > "$tmpdir/hole.s.json" 2> /dev/null
	want=$(largest_hole "$tmpdir/hole.json")
	got=$(jq '.gaps.largest' "$tmpdir/hole.s.json")
	[ -n "$want" ] && [ "$want" != 0 ] && [ "$got" = "$want" ]
	ok $? "largest hole of the $name set: $got, computed from its regions $want"
done
tap_done
