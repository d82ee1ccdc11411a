#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# snapshot.sh - a `vmamap --json` document read back as a TARGET gives the
# same document, byte for byte, and the same table (but for the header
# line), for every golden input, hostile names included, and for a live
# process.
. "$srcdir/tests/lib.sh"

cd "$srcdir/tests" || exit 99

# same_json NAME OPTS TARGET...: the document of OPTS TARGET, read back
# with OPTS from stdin and from a saved file ($tmpdir/NAME.json), is
# written out unchanged.
same_json() {
	local name=$1 opts=$2 out=$tmpdir/$1
	shift 2
	# shellcheck disable=SC2086
	"$VMAMAP" --json $opts "$@" > "$out.json" 2> /dev/null
	ok $? "$name: vmamap --json ${opts:+$opts }$* exits 0"
	# shellcheck disable=SC2086
	"$VMAMAP" --json $opts - < "$out.json" > "$out.stdin.json" 2> /dev/null
	cmp -s "$out.json" "$out.stdin.json"
	ok $? "$name: vmamap --json ${opts:+$opts }- of it is byte-identical"
	[ $? -eq 0 ] || diff "$out.json" "$out.stdin.json" | head -n 10 |
		sed 's/^/# /'
	# shellcheck disable=SC2086
	"$VMAMAP" --json $opts "$out.json" > "$out.file.json" 2> /dev/null
	cmp -s "$out.json" "$out.file.json"
	ok $? "$name: vmamap --json ${opts:+$opts }of it as a saved file is byte-identical"
}

# same_table NAME OPTS TARGET...: the table of the snapshot $tmpdir/NAME.json
# is the table of TARGET, but for the header line.
same_table() {
	local snap=$tmpdir/$1.json opts=$2
	shift 2
	# shellcheck disable=SC2086
	"$VMAMAP" --color=never $opts "$@" 2> /dev/null | tail -n +2 > "$tmpdir/t1"
	# shellcheck disable=SC2086
	"$VMAMAP" --color=never $opts "$snap" 2> /dev/null | tail -n +2 > "$tmpdir/t2"
	[ -s "$tmpdir/t1" ] && cmp -s "$tmpdir/t1" "$tmpdir/t2"
	ok $? "$1: the table of the snapshot${opts:+ ($opts)} is the table of $*"
}

# Every golden input, maps and smaps alike, with and without the holes.
for f in data/*.maps data/*.smaps; do
	b=${f#data/}
	same_json "$b" "" "$f"
	same_table "$b" "" "$f"
	same_table "$b" "-b" "$f"
	same_json "$b.gaps" --gaps "$f"
	same_table "$b.gaps" --gaps "$f"
done
for f in data/*.smaps; do
	b=${f#data/}
	same_table "$b" -x "$f"
	same_table "$b" "-x -b" "$f"
done

# The captured proc trees, as maps, and as smaps where they have it.
for t in "proc 4242" "proc self" "torn-proc 77" "hidden-proc 4242"; do
	# shellcheck disable=SC2086
	set -- $t
	n=$1-$2
	same_json "$n" "" --proc-root "data/$1" "$2"
	same_table "$n" "" --proc-root "data/$1" "$2"
	[ -e "data/$1/$2/smaps" ] || continue
	same_json "$n.x" -x --proc-root "data/$1" "$2"
	same_table "$n.x" -x --proc-root "data/$1" "$2"
done

# The header names the snapshot and when the process was read.
head -n 1 < <("$VMAMAP" "$tmpdir/proc-4242.json") |
	grep -qE "^4242: \./tests/helper/mapper /tmp/vmcap/m  \(snapshot $tmpdir/proc-4242\.json, captured [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\)$"
ok $? "the header of a process snapshot: PID, cmdline, (snapshot FILE, captured TIME)"
head -n 1 < <("$VMAMAP" "$tmpdir/mapper.smaps.json") |
	grep -qxF "data/mapper.smaps (smaps)  (snapshot $tmpdir/mapper.smaps.json)"
ok $? "the header of a file snapshot: FILE (smaps), (snapshot FILE)"
"$VMAMAP" "$tmpdir/torn-proc-77.json" 2> "$tmpdir/err" | head -n 1 | grep -q '\[torn read'
ok $? "a torn snapshot is still marked torn"
grep -q '^vmamap: warning: regions overlap' "$tmpdir/err"
ok $? "... and warned about as a saved torn read"

# -x: an smaps snapshot has the counters; a maps snapshot has none.
"$VMAMAP" -x "$tmpdir/mapper.smaps.json" | sed -n 2p | grep -q ' RSS   PSS DIRTY  SWAP '
ok $? "-x on an smaps snapshot shows RSS, PSS, DIRTY and SWAP"
"$VMAMAP" -x "$tmpdir/mapper.maps.json" > /dev/null 2> "$tmpdir/err"
[ $? -eq 2 ] && grep -q 'has no smaps fields' "$tmpdir/err"
ok $? "-x on a maps snapshot is a usage error (exit 2)"

# --summary of a snapshot is that of a saved file: no kernel view.
for f in mapper.smaps special.maps; do
	"$VMAMAP" -s "data/$f" | tail -n +2 > "$tmpdir/s1"
	"$VMAMAP" -s "$tmpdir/$f.json" | tail -n +2 > "$tmpdir/s2"
	cmp -s "$tmpdir/s1" "$tmpdir/s2"
	ok $? "--summary of the $f snapshot is that of $f"
done
"$VMAMAP" -s --json "$tmpdir/proc-4242.x.json" | jq -e '.kernel_view == false' > /dev/null
ok $? "--summary --json of a process snapshot: kernel_view false"

# --ndjson output and an array of one document are snapshots too.
"$VMAMAP" --json --ndjson data/mapper.smaps | "$VMAMAP" --json - |
	cmp -s - "$tmpdir/mapper.smaps.json"
ok $? "an --ndjson document reads back the same"
{ echo '['; cat "$tmpdir/special.maps.json"; echo ']'; } |
	"$VMAMAP" --json - | cmp -s - "$tmpdir/special.maps.json"
ok $? "an array holding one document reads back the same"

# A JSON object is unordered: the document with its keys in other orders
# (the version last, the keys of the source and of each region reversed),
# on one line, reads back as the same document.
for n in mapper.smaps hostile.maps proc-4242.x; do
	jq -c '{vmas: [.vmas[] | to_entries | reverse | from_entries], torn,
		source: (.source | to_entries | reverse | from_entries), vmamap}' \
		"$tmpdir/$n.json" > "$tmpdir/$n.shuffled.json" &&
		"$VMAMAP" --json "$tmpdir/$n.shuffled.json" | cmp -s - "$tmpdir/$n.json"
	ok $? "$n: the snapshot with its keys in other orders reads back the same"
done

# A live process: the test helper, with thread stacks and hostile names.
# Numbers above 2^63 - 1 (a corrupt copy's size, an overlayfs inode, an
# unknown counter) are written as strings of digits, read back exactly.
printf '%s\n' '55555555-800550555555a000 r--p 00000000 00:00 18446744073709551615 /x' \
	> "$tmpdir/big.maps"
printf '%s\n' '00400000-00401000 r--p 00000000 00:00 0 ' 'Size:                  4 kB' \
	'FooBar:  18446744073709551615' 'VmFlags: rd ' > "$tmpdir/big.smaps"
"$VMAMAP" --json "$tmpdir/big.maps" > "$tmpdir/big.json" &&
	[ "$(jq -c '.vmas[0] | [.size, .inode]' "$tmpdir/big.json")" = '["9224867737740790443","18446744073709551615"]' ]
ok $? "big numbers: size and inode above 2^63 - 1 are digit strings"
"$VMAMAP" --json "$tmpdir/big.json" | cmp -s - "$tmpdir/big.json" &&
	"$VMAMAP" "$tmpdir/big.json" | grep -q '18446744073709551615 file'
ok $? "big numbers: the snapshot loads back, the same document and inode"
"$VMAMAP" --json "$tmpdir/big.smaps" > "$tmpdir/bigx.json" &&
	"$VMAMAP" --json "$tmpdir/bigx.json" | cmp -s - "$tmpdir/bigx.json"
ok $? "big numbers: an unknown smaps counter above 2^63 - 1 round-trips"
printf '{"vmamap": 1, "vmas": [{"start": "0x1000", "end": "0x2000", "perms": "r--p", "inode": "123"}]}\n' \
	> "$tmpdir/smallstr.json"
"$VMAMAP" "$tmpdir/smallstr.json" > /dev/null 2> "$tmpdir/err"
[ $? -eq 5 ] && grep -q 'inode: expected a non-negative integer' "$tmpdir/err"
ok $? "big numbers: a small number written as a string is refused"

if ! start_mapper; then
	ok 1 "the mapper helper starts"
	tap_done
	exit
fi
same_json live "" "$mapper"
same_json live.x -x "$mapper"
jq -e '[.vmas[] | select(.tid)] | length > 0' "$tmpdir/live.json" > /dev/null
ok $? "live: the snapshot keeps the thread stacks (tid)"
jq -e '[.vmas[] | select(.path_hex)] | length > 0' "$tmpdir/live.json" > /dev/null
ok $? "live: the snapshot keeps names that are not UTF-8 (path_hex)"
head -n 1 < <("$VMAMAP" "$tmpdir/live.x.json") |
	grep -qE "^$mapper: .*  \(snapshot $tmpdir/live\.x\.json, captured "
ok $? "live: the header names the PID and the snapshot"
"$VMAMAP" "$tmpdir/live.x.json" | sed -n 2p | grep -q ' RSS '
ok $? "live: a saved -x snapshot shows the smaps columns without -x"
same_table live "" "$mapper"

# A region without a class is classified on load: gd in its vm_flags makes
# an anonymous region a stack, as VmFlags of smaps text do.
for f in '"rd", "wr", "gd"' '"rd", "wr"'; do
	printf '{"vmamap": 1, "vmas": [{"start": "0x1000", "end": "0x2000", "perms": "rw-p", "rss": 0, "vm_flags": [%s]}]}\n' "$f"
done > "$tmpdir/gd.json"
[ "$(jq -s -c '[.[] | .vmas[0].class]' <("$VMAMAP" --json <(sed -n 1p "$tmpdir/gd.json")) <("$VMAMAP" --json <(sed -n 2p "$tmpdir/gd.json")))" = '["stack","anon"]' ]
ok $? "snapshot: an anonymous region whose vm_flags have gd is a stack, without gd anon"
tap_done
