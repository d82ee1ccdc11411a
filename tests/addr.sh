#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# addr.sh - --addr on a live helper: addresses it printed (first byte,
# last byte, one past the end), file offsets it knows, a hole, 0 and the
# top of the address space; --addr - answers the same, line by line.
. "$srcdir/tests/lib.sh"

if ! command -v jq > /dev/null; then
	skip "address lookup" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

start_mapper
ok $? "mapper helper is ready"

# q ADDR: the JSON answer for one address (-x: classes that need the smaps
# VmFlags, such as a MAP_GROWSDOWN stack, are known).
q() {
	"$VMAMAP" -x --json -a "$1" "$mapper"
}
hex() {
	printf '0x%x' "$1"
}

# Regions the helper created at known addresses (thread labels are stack
# variables, not region starts).
while read -r label addr class _; do
	case $label in thread* | path | '#'* | ready) continue ;; esac
	a=$((addr))
	first=$(q "$(hex $a)")
	start=$(jq -r '.regions[0].start' <<< "$first")
	end=$(jq -r '.regions[0].end' <<< "$first")
	[ "$(jq -r '.mapped' <<< "$first")" = true ] && [ "$((start))" -eq "$a" ] &&
		[ "$(jq -r '.regions[0].class' <<< "$first")" = "$class" ]
	ok $? "$label: the first byte $(hex $a) is the start of a $class region"
	last=$(q "$(hex $((end - 1)))")
	[ "$(jq -r '.regions[0].start' <<< "$last")" = "$start" ] &&
		[ "$(jq -r '.regions[0].offset_in_region' <<< "$last")" -eq $((end - start - 1)) ]
	ok $? "$label: the last byte is in the same region, at offset size-1"
	past=$(q "$end")
	[ "$(jq -r '.regions[0].start // "none"' <<< "$past")" != "$start" ]
	ok $? "$label: one past the end is not in the region"
done < "$tmpdir/mapper.out"

# File offsets the helper knows: data.bin from offset 0, offset.bin from
# its third page.
a=$(awk '$1 == "file" { print $2 }' "$tmpdir/mapper.out")
[ "$(q "$(hex $((a + 0x10)))" | jq -r '.regions[0].file_offset')" = 0x10 ]
ok $? "file: the file offset of start+0x10 is 0x10"
a=$(awk '$1 == "fileoff" { print $2 }' "$tmpdir/mapper.out")
[ "$(q "$(hex $((a + 0x1123)))" | jq -r '.regions[0].file_offset')" = 0x3123 ]
ok $? "fileoff: mapped from page 2, start+0x1123 is file offset 0x3123"
"$VMAMAP" -a "$(hex $((a + 0x1123)))" "$mapper" | grep -q '/offset\.bin+0x3123$'
ok $? "fileoff: the table prints path+0x3123 for addr2line"

# A hole, found with --gaps: not mapped, with both neighbours and distances.
hole=$("$VMAMAP" --json -g "$mapper" | jq -r '[.vmas[] | select(.class == "gap")][0].start')
mid=$(hex $((hole + 0x1000)))
ans=$(q "$mid")
[ "$(jq -r '.mapped' <<< "$ans")" = false ] &&
	[ $(( $(jq -r '.below.end' <<< "$ans") + $(jq -r '.below.distance' <<< "$ans") )) -eq $((mid)) ] &&
	[ $(( $(jq -r '.above.start' <<< "$ans") - $(jq -r '.above.distance' <<< "$ans") )) -eq $((mid)) ]
ok $? "an address in a hole: not mapped, distances to both neighbours add up"
ans=$(q 0)
[ "$(jq -r '.mapped' <<< "$ans")" = false ] && [ "$(jq -r '.below' <<< "$ans")" = null ] &&
	[ "$(jq -r '.above.start' <<< "$ans")" != null ]
ok $? "address 0: not mapped, nothing below"
ans=$(q 0xffffffffffffffff)
[ "$(jq -r '.mapped' <<< "$ans")" = false ] && [ "$(jq -r '.above' <<< "$ans")" = null ]
ok $? "the top of the address space: not mapped, nothing above"

# The same questions through --addr -: one answer per line, identical.
awk '$1 !~ /^(path|ready|#)/ { print $2 }' "$tmpdir/mapper.out" > "$tmpdir/addrs"
"$VMAMAP" -x --json -a - "$mapper" < "$tmpdir/addrs" > "$tmpdir/stream"
ok $? "--addr - answers every line"
n=0 same=0
while read -r a; do
	n=$((n + 1))
	[ "$(q "$a")" = "$(sed -n "${n}p" "$tmpdir/stream")" ] && same=$((same + 1))
done < "$tmpdir/addrs"
[ "$n" -gt 10 ] && [ "$same" -eq "$n" ] && [ "$(wc -l < "$tmpdir/stream")" -eq "$n" ]
ok $? "--addr - gives the same $n answers as one --addr each"

# Streaming: an answer comes out before standard input ends.
mkfifo "$tmpdir/in"
("$VMAMAP" -a - "$mapper" < "$tmpdir/in" | cat > "$tmpdir/live-out") &
reader=$!
exec 8> "$tmpdir/in"
echo 0x0 >&8
for _ in $(seq 50); do
	[ -s "$tmpdir/live-out" ] && break
	sleep 0.1
done
[ -s "$tmpdir/live-out" ]
ok $? "--addr - into a pipe answers each line as it arrives"
exec 8>&-
wait $reader
tap_done
