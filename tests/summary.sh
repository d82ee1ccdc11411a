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

# Every process on the machine that we can read.
checked=0 skipped=0 bad=""
for d in /proc/[0-9]*; do
	pid=${d#/proc/}
	"$VMAMAP" -s --json "$pid" > "$tmpdir/p.json" 2> /dev/null
	rc=$?
	if [ $rc -ne 0 ]; then
		skipped=$((skipped + 1))	# gone, kernel thread, no access
		continue
	fi
	checked=$((checked + 1))
	if ! complete_view "$tmpdir/p.json" ||
		jq -e '.mm.map_count.match == false' "$tmpdir/p.json" > /dev/null; then
		bad="$bad $pid($(mismatches "$tmpdir/p.json"))"
	fi
done
diag "checked $checked processes, skipped $skipped (gone, kernel threads or not readable)"
[ "$checked" -gt 0 ] && [ -z "$bad" ]
ok $? "every readable process: rebuilt counters equal the kernel's${bad:+:$bad}"
tap_done
