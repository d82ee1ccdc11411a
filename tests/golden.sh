#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# golden.sh - run every captured and hand-made input in tests/data through
# every output and compare with tests/expected/ (diff -u).  UPDATE=1
# rewrites the expected files instead (review the diff before committing).
. "$srcdir/tests/lib.sh"

cd "$srcdir/tests" || exit 99

# name | arguments (run from tests/, paths relative to it)
cases() {
	local f b
	for f in data/*.maps data/*.smaps; do
		b=${f#data/}
		echo "$b.table|--color=never $f"
		echo "$b.json|--json $f"
		echo "$b.bytes|--bytes --color=never $f"
	done
	for f in data/*.smaps; do
		b=${f#data/}
		echo "$b.x.table|-x --color=never $f"
		echo "$b.x-bytes.table|-x --bytes --color=never $f"
	done
	cat <<-'CASES'
	special.color|--color=always data/special.maps
	special.class-shared-kernel|--class shared,kernel --color=never data/special.maps
	special.class-json|--json -c heap,stack data/special.maps
	special.sort-size|--sort size --color=never data/special.maps
	mapper.sort-rss|-S rss --color=never data/mapper.smaps
	mapper.file-option|--color=never --file data/mapper.maps
	proc.pid.table|--color=never --proc-root data/proc 4242
	proc.pid.json|--json --proc-root data/proc --pid 4242
	proc.pid.x.table|-x --color=never --proc-root data/proc 4242
	proc.pid.x.json|-x --json --proc-root data/proc 4242
	proc.self.table|--color=never --proc-root data/proc self
	proc.name.table|--color=never --proc-root data/proc mapper
	proc.torn.table|--color=never --proc-root data/torn-proc 77
	proc.torn.json|--json --proc-root data/torn-proc 77
	proc.summary.table|-s --proc-root data/proc 4242
	proc.summary.json|-s --json --proc-root data/proc 4242
	proc.summary-bytes.table|-s --bytes --proc-root data/proc 4242
	hidden.summary.table|-s --proc-root data/hidden-proc 4242
	hidden.summary.json|-s --json --proc-root data/hidden-proc 4242
	mapper.summary.table|-s data/mapper.smaps
	mapper.summary.json|--summary --json data/mapper.smaps
	special.summary.table|-s data/special.maps
	x86-32.summary.table|-s data/x86-32.maps
	special.gaps.table|-g --color=never data/special.maps
	special.gaps.json|--gaps --json data/special.maps
	x86-32.gaps.table|-g -b --color=never data/x86-32.maps
	mapper.gaps-x.table|-g -x --color=never data/mapper.smaps
	mapper.addr.table|-a 0x7f9b22734010 -a 0x55646fb2b000-0x55646fb31000 -a 7f9b2275e000 data/mapper.smaps
	mapper.addr.json|--json -a 0x7f9b22734010 -a 0x55646fb2b000-0x55646fb31000 -a 7f9b2275e000 data/mapper.smaps
	hostile.addr.table|-a 7f1000004010 -a 7f1000012000-7f1000015000 data/hostile.maps
	hostile.addr.json|--json -a 7f1000004010 -a 7f100000e000 data/hostile.maps
	multi.table|--color=never data/x86-32.maps data/special.maps
	multi.json|--json data/x86-32.maps data/special.maps
	multi.ndjson|--json --ndjson data/x86-32.maps data/special.maps
	multi-summary.json|-s --json data/x86-32.maps data/special.maps
	proc.addr-stdin.table|-a - --proc-root data/proc 4242|data/addrs.txt
	proc.addr-stdin.json|--json --addr - --proc-root data/proc 4242|data/addrs.txt
	snap-pid.table|--color=never data/snap-pid.json
	snap-pid.json|--json data/snap-pid.json
	snap-pid.summary.table|-s data/snap-pid.json
	snap-pid.addr.table|-a 0x7f9b216ea000 -a 0x55646fb2d010 data/snap-pid.json
	snap-min.table|--color=never data/snap-min.json
	snap-min.json|--json data/snap-min.json
	snap-min.gaps.json|--gaps --json data/snap-min.json
	sys.all.table|--all --proc-root data/proc
	sys.all.json|--all --json --proc-root data/proc
	sys.all.bytes|--all -b --proc-root data/proc
	sys.all-x.json|--all -x --format=json --proc-root data/proc
	sys.all-sort-rss.table|--all --sort rss --proc-root data/proc
	sys.all-sort-heap.table|--all -S heap --proc-root data/proc
	sys.all.om|--all --format=openmetrics --proc-root data/proc
	sys.all-x.om|--all -x --format=openmetrics --proc-root data/proc
	sys.who.table|--who-maps=*ssl.so* --proc-root data/proc
	sys.who.json|--json --who-maps=*ssl.so* --proc-root data/proc
	sys.who-tmp.table|--who-maps=/tmp/* --sort comm --proc-root data/proc
	sys.who-tmp.json|--who-maps=/tmp/* --json --proc-root data/proc
	sys.who-none.table|--who-maps=no-such-file --proc-root data/proc
	proc.pid.om|--format=openmetrics --proc-root data/proc 4242 300
	mapper.smaps.om|--format=openmetrics data/mapper.smaps
	multi.om|--format=openmetrics data/x86-32.maps data/special.maps
	CASES
	diff_cases | cut -d'|' -f1-3
}

# Diffs: name | arguments | stdin | exit status (1: differences found).
diff_cases() {
	local d=data/diff k=data/diff/kinds
	cat <<-CASES
	diff.classic.table|--diff --color=never $d/classic-before.maps $d/classic-after.maps||1
	diff.classic.json|--diff --json $d/classic-before.maps $d/classic-after.maps||1
	diff.classic-collapsed.table|--diff --color=never $d/classic-before-collapsed.maps $d/classic-after-collapsed.maps||1
	diff.classic-mixed.table|--diff --color=never $d/classic-before.maps $d/classic-after-collapsed.maps||1
	diff.kinds.table|--diff --color=never $k-old.maps $k-new.maps||1
	diff.kinds.json|--diff --json $k-old.maps $k-new.maps||1
	diff.kinds.bytes|--diff --bytes --color=never $k-old.maps $k-new.maps||1
	diff.kinds.color|--diff --color=always $k-old.maps $k-new.maps||1
	diff.kinds-all.table|--diff --all-regions --color=never $k-old.maps $k-new.maps||1
	diff.kinds-all.json|--diff --all-regions --json $k-old.maps $k-new.maps||1
	diff.kinds-class.table|--diff -c heap,stack,data --color=never $k-old.maps $k-new.maps||1
	diff.kinds-class.json|--diff --json --class bss $k-old.maps $k-new.maps||0
	diff.kinds-reverse.table|--diff --color=never $k-new.maps $k-old.maps||1
	diff.kinds-stdin.table|--diff --color=never - $k-new.maps|$k-old.maps|1
	diff.memory.table|--diff --color=never $d/memory-old.smaps $d/memory-new.smaps||1
	diff.memory.json|--diff --json $d/memory-old.smaps $d/memory-new.smaps||1
	diff.same.table|--diff --color=never $k-old.maps $k-old.maps||0
	diff.same.json|--diff --json $k-old.maps $k-old.maps||0
	diff.proc.table|--diff --color=never --proc-root data/proc 4242 data/mapper.maps||0
	CASES
}

# Cases that must fail: name | exit status (stderr is checked by errors.sh;
# here stdout must still be right).
failing_cases() {
	cat <<-'CASES'
	proc.addr-stdin.table|5
	proc.addr-stdin.json|5
	CASES
	diff_cases | awk -F'|' '$4 != "" && $4 != 0 { print $1 "|" $4 }'
}

# Make the output independent of when and where it ran.
normalize() {
	sed -e 's/"captured_at": "[^"]*"/"captured_at": "TIME"/'
}

run_case() {
	local name=$1 args=$2 out="$tmpdir/$1" exp="expected/$1" rc want
	# shellcheck disable=SC2086
	"$VMAMAP" $args > "$out.raw" 2> "$out.err" < "${3:-/dev/null}"
	rc=$?
	normalize < "$out.raw" > "$out"
	want=$(failing_cases | awk -F'|' -v n="$name" '$1 == n { print $2 }')
	if [ -n "$want" ]; then
		[ "$rc" -eq "$want" ]
		ok $? "$name: exits $want (got $rc)"
		rc=0
	fi
	if [ "$rc" -ne 0 ]; then
		ok 1 "$name: vmamap $args exited $rc: $(head -c 300 "$out.err")"
		return
	fi
	if [ -n "${UPDATE:-}" ]; then
		cp "$out" "$exp"
	fi
	if [ ! -f "$exp" ]; then
		ok 1 "$name: no expected file $exp (run make golden-update)"
		return
	fi
	diff -u "$exp" "$out" > "$out.diff"
	rc=$?
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$out.diff" | head -n 40
	ok $rc "$name: vmamap $args"
	case $name in
	*.json | *.ndjson)
		jq . "$out" > /dev/null 2>&1
		ok $? "$name: output is valid JSON (jq)"
		;;
	*)
		# No raw control byte other than newline (and SGR with colour).
		if [[ $name == *.color ]]; then
			sed 's/\x1b\[[0-9;]*m//g' "$out" > "$out.plain"
		else
			cp "$out" "$out.plain"
		fi
		! has_control "$out.plain" && iconv -f UTF-8 -t UTF-8 "$out.plain" > /dev/null 2>&1
		ok $? "$name: no raw control byte, valid UTF-8"
		;;
	esac
}

if ! command -v jq > /dev/null; then
	skip "golden tests" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi
while IFS='|' read -r name args input; do
	run_case "$name" "$args" "$input"
done < <(cases)

# Every expected file is produced by some case (no stale goldens).
for exp in expected/*; do
	n=${exp#expected/}
	cases | cut -d'|' -f1 | grep -qxF "$n"
	ok $? "expected/$n belongs to a case"
done
tap_done
