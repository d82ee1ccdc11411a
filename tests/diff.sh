#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# diff.sh - --diff on saved copies: the classic example comes out exactly
# right whatever the column padding, every input compared with itself has
# no differences, and swapping the sides mirrors the changes.
. "$srcdir/tests/lib.sh"

cd "$srcdir/tests" || exit 99
d=data/diff

if ! command -v jq > /dev/null; then
	skip "diff tests" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

# The changes of a diff document, without what depends on the file names.
changes() {
	"$VMAMAP" --diff --json "$@" | jq -c '.changes, .classes, .counters'
}

# A program printed its maps, then malloc()ed and mmap()ed a device
# (rw-s), and printed them again: exactly the new [heap] and the shared
# device mapping, whichever copies keep the kernel's padding.
for before in classic-before classic-before-collapsed; do
	for after in classic-after classic-after-collapsed; do
		what="classic example, $before vs $after"
		"$VMAMAP" --diff --json "$d/$before.maps" "$d/$after.maps" \
			> "$tmpdir/out"
		ok $(($? != 1)) "$what: exits 1"
		got=$(jq -c '[.changes[] | [.kind, .new.class, .new.perms,
			.new.path]]' "$tmpdir/out")
		want='[["added","heap","rw-p","[heap]"],["added","shared","rw-s","/dev/zero"]]'
		[ "$got" = "$want" ]
		ok $? "$what: the heap and the device mapping, nothing else ($got)"
	done
done
changes "$d/classic-before.maps" "$d/classic-after.maps" > "$tmpdir/padded"
changes "$d/classic-before-collapsed.maps" \
	"$d/classic-after-collapsed.maps" > "$tmpdir/collapsed"
cmp -s "$tmpdir/padded" "$tmpdir/collapsed"
ok $? "classic example: padded and collapsed copies give the same diff"

# Every saved input compared with itself: exit 0, no change.
for f in data/*.maps data/*.smaps $d/*.maps $d/*.smaps; do
	"$VMAMAP" --diff --json "$f" "$f" > "$tmpdir/out" 2> "$tmpdir/err"
	rc=$?
	n=$(jq '.differences + (.changes | length)' "$tmpdir/out" 2> /dev/null)
	[ "$rc" -eq 0 ] && [ "$n" = 0 ]
	ok $? "--diff $f $f: exit 0, no changes (exit $rc, $n)"
done

# A JSON snapshot of each input against the input itself: no change; and
# the classic example through snapshots gives the same changes.
for f in data/*.maps data/*.smaps $d/*.maps $d/*.smaps; do
	b=${f##*/}
	"$VMAMAP" --json "$f" > "$tmpdir/$b.json" 2> /dev/null
	"$VMAMAP" --diff "$tmpdir/$b.json" "$f" > /dev/null 2>&1
	ok $? "--diff SNAPSHOT-OF-$b $b: exit 0"
done
changes "$tmpdir/classic-before.maps.json" \
	"$tmpdir/classic-after-collapsed.maps.json" > "$tmpdir/snap"
cmp -s "$tmpdir/padded" "$tmpdir/snap"
ok $? "classic example: JSON snapshots give the same diff as the copies"

# Swapping the sides mirrors every kind.
mirror='{"added":"removed","removed":"added","grown":"shrunk","shrunk":"grown",
	"split":"merged","merged":"split"}'
count_kinds() {
	"$VMAMAP" --diff --json "$1" "$2" |
		jq -c --argjson m "$mirror" "[.changes[].kinds[] |
			if $3 then (\$m[.] // .) else . end] | sort"
}
for pair in kinds memory; do
	o=$(ls $d/$pair-old.*) n=$(ls $d/$pair-new.*)
	[ "$(count_kinds "$o" "$n" false)" = "$(count_kinds "$n" "$o" true)" ]
	ok $? "$pair: old->new and new->old mirror each other"
done

# The text and JSON views agree on the number of differences.
"$VMAMAP" --diff --color=never $d/kinds-old.maps $d/kinds-new.maps \
	> "$tmpdir/table"
t=$(sed -n 's/^differences: \([0-9]*\).*/\1/p' "$tmpdir/table")
j=$("$VMAMAP" --diff --json $d/kinds-old.maps $d/kinds-new.maps |
	jq .differences)
[ -n "$t" ] && [ "$t" = "$j" ]
ok $? "table and JSON count the same differences ($t, $j)"
! has_control "$tmpdir/table"
ok $? "the diff table has no raw control byte"

# Hostile names go through the diff escaped.
"$VMAMAP" --diff --color=never data/mapper.maps data/hostile.maps \
	> "$tmpdir/hostile" 2>&1
rc=$?
[ $rc -eq 1 ] && ! has_control "$tmpdir/hostile"
ok $? "diff against hostile names: exit 1, no raw control byte"
"$VMAMAP" --diff --json data/mapper.maps data/hostile.maps |
	jq -e '[.changes[].new.path_hex // empty] | length > 0' > /dev/null
ok $? "diff JSON keeps path_hex for names that are not UTF-8"

# A live process against itself, and against a saved copy of its maps.
sleep 30 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmpdir"' EXIT
for _ in $(seq 100); do	# until the child has exec'd sleep
	[[ $(readlink "/proc/$pid/exe") == */sleep ]] && break
	sleep 0.05
done
"$VMAMAP" --diff "$pid" "$pid" > "$tmpdir/out"
ok $? "--diff PID PID: exit 0"
cat "/proc/$pid/maps" > "$tmpdir/saved.maps"
"$VMAMAP" --diff "$tmpdir/saved.maps" "$pid" > "$tmpdir/out"
ok $? "--diff SAVED PID of an idle process: exit 0"
"$VMAMAP" --diff -x --json "$pid" "$pid" | jq -e '.old.source.format ==
	"smaps" and (.classes.total.old | has("rss"))' > /dev/null
ok $? "--diff -x reads smaps on both sides"
kill $pid
tap_done
