#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# badfiles.sh - saved files that are wrong in every way docs/robustness.md
# lists: each gives one line on stderr naming FILE:LINE (or the JSON path),
# exit 5, and nothing on stdout.  The files are made here, from the
# captured ones in tests/data.
. "$srcdir/tests/lib.sh"

cd "$srcdir/tests" || exit 99
t=$tmpdir

# ------------------------------------------------------------ empty, header
: > "$t/empty.maps"
expect 5 "^vmamap: $t/empty.maps: empty file: no regions\$" "$t/empty.maps"
head -n 2 expected/special.maps.table | tail -n 1 > "$t/header.maps"
expect 5 "^vmamap: $t/header.maps:1: not a maps or smaps line\$" "$t/header.maps"
printf '         Address Kbytes     RSS   Dirty Mode  Mapping\n' > "$t/pmap.maps"
expect 5 "^vmamap: $t/pmap.maps:1: not a maps or smaps line\$" "$t/pmap.maps"
printf '{"vmamap": 1, "source": {"type": "file"}}\n' > "$t/header.json"
expect 5 "^vmamap: $t/header.json: missing \"vmas\"\$" "$t/header.json"
# an smaps file whose first record lost its fields
{ head -n 1 data/mapper.smaps; sed -n '/^[0-9a-f]*-/,$p' data/mapper.smaps | sed 1d | sed -n '/^[0-9a-f]*-/,$p'; } > "$t/nofields.smaps"
expect 5 "^vmamap: $t/nofields.smaps:1: region has no smaps fields" "$t/nofields.smaps"

# ------------------------------------------------------------ truncated
# Cut a maps file (its first 5 lines: 32-bit, a heap, anonymous lines) at
# every byte: a cut after a newline is a shorter map (exit 0), any other
# cut is "FILE:N: last line has no newline" (exit 5).
text=$(head -n 5 data/x86-32.maps; echo .)
text=${text%.}
bad=
for ((n = 1; n < ${#text}; n++)); do
	part=${text:0:n}
	nl=${part//[!$'\n']/}
	nl=${#nl}
	printf '%s' "$part" > "$t/cut.maps"
	"$VMAMAP" "$t/cut.maps" > "$t/out" 2> "$t/err"
	rc=$?
	err=$(< "$t/err")
	if [ "${part: -1}" = $'\n' ]; then
		[ "$rc" -eq 0 ] && [ -z "$err" ] && grep -q "^total: $nl region" "$t/out"
	else
		[ "$rc" -eq 5 ] && [ ! -s "$t/out" ] && [[ $err != *$'\n'* ]] &&
			[[ $err == "vmamap: $t/cut.maps:$((nl + 1)): "* ]]
	fi || bad="$bad $n"
done
[ -z "$bad" ]
ok $? "data/x86-32.maps (5 lines) cut at each of its $((${#text} - 1)) bytes: whole lines are a map, a cut line is FILE:LINE, exit 5"
[ -z "$bad" ] || diag "wrong at byte offsets:$bad"

# The same for smaps (its first three records), one cut in each line: a
# cut inside a line is "last line has no newline"; a cut between two lines
# of a record after the first is "smaps record ends early" (the first
# record has VmFlags, this one none) or, right after a region line,
# "region has no smaps fields".  (A cut inside the first record leaves a
# one-region smaps with fewer fields, which nothing in the text tells from
# a complete one.)
mapfile -t sl < <(awk '/^[0-9a-f]+-/ && ++n == 4 { exit } { print }' data/mapper.smaps)
first=0
while [[ ${sl[first]} != VmFlags:* ]]; do first=$((first + 1)); done
bad=
for ((l = 2; l <= ${#sl[@]}; l++)); do
	printf '%s\n' "${sl[@]:0:l-1}" > "$t/cut.smaps"
	printf '%s' "${sl[l-1]:0:5}" >> "$t/cut.smaps"
	"$VMAMAP" -x "$t/cut.smaps" > "$t/out" 2> "$t/err"
	[ $? -eq 5 ] && [ ! -s "$t/out" ] && [ "$(wc -l < "$t/err")" -eq 1 ] &&
		grep -qE "^vmamap: $t/cut.smaps:$l: last line has no newline" "$t/err" ||
		bad="$bad $l"
	[ "$l" -gt "$((first + 1))" ] && [ "$l" -lt "${#sl[@]}" ] || continue
	[[ ${sl[l-1]} == VmFlags:* ]] && continue
	printf '%s\n' "${sl[@]:0:l}" > "$t/cut.smaps"
	"$VMAMAP" -x "$t/cut.smaps" > "$t/out" 2> "$t/err"
	[ $? -eq 5 ] && [ ! -s "$t/out" ] && [ "$(wc -l < "$t/err")" -eq 1 ] &&
		grep -qE "^vmamap: $t/cut.smaps:[0-9]+: (smaps record ends early|region has no smaps fields)" "$t/err" ||
		bad="$bad $l(whole)"
done
[ -z "$bad" ]
ok $? "data/mapper.smaps (3 records, ${#sl[@]} lines) cut inside each line and between the lines of a record: FILE:LINE, exit 5, never a shorter record"
[ -z "$bad" ] || diag "wrong at lines:$bad" "$(cat "$t/err")"

# ------------------------------------------------------------ NUL, CRLF
line='7f1000000000-7f1000001000 r--p 00000000 fe:00 100                        /tmp/x'
printf '%s\n%s\0evil\n' "$line" "$line" > "$t/nul-name.maps"
expect 5 "^vmamap: $t/nul-name.maps:2: NUL byte in the line \(not maps or smaps text\)\$" "$t/nul-name.maps"
printf '7f1000000000-7f1000001000 r--p 000\0000 fe:00 100 /x\n' > "$t/nul-field.maps"
expect 5 "^vmamap: $t/nul-field.maps:1: NUL byte in the line" "$t/nul-field.maps"
{ head -n 3 data/mapper.smaps; printf 'Rss:    4 kB\0\n'; } > "$t/nul.smaps"
expect 5 "^vmamap: $t/nul.smaps:4: NUL byte in the line" "$t/nul.smaps"
head -c 100000 /dev/zero > "$t/zeros.maps"
expect 5 "^vmamap: $t/zeros.maps:1: " "$t/zeros.maps"

sed 's/$/\r/' data/special.maps > "$t/crlf.maps"
# the first line whose name is not a path (a path may end in CR)
want=$(grep -vn ' /' data/special.maps | head -n 1 | cut -d: -f1)
expect 5 "^vmamap: $t/crlf.maps:$want: carriage return before the newline \(CRLF line ends\? convert with dos2unix\)\$" "$t/crlf.maps"
sed 's/$/\r/' data/mapper.smaps > "$t/crlf.smaps"
expect 5 "^vmamap: $t/crlf.smaps:2: carriage return before the newline" "$t/crlf.smaps"
sed 's/$/\r/' data/snap-min.json > "$t/crlf.json"
"$VMAMAP" --json "$t/crlf.json" | jq 'del(.source.file)' > "$t/crlf.out" &&
	"$VMAMAP" --json data/snap-min.json | jq 'del(.source.file)' | cmp -s - "$t/crlf.out"
ok $? "a JSON snapshot with CRLF line ends is the same snapshot (CR is JSON white space)"
printf '%s\r\n' "$line" > "$t/cr-path.maps"
"$VMAMAP" --json "$t/cr-path.maps" > "$t/out" && jq -e '.vmas[0].path == "/tmp/x\r"' "$t/out" > /dev/null
ok $? "a path that ends in CR (a legal file name) is kept, CR included"

# ------------------------------------------------------------ ranges
printf '00400000-00400000 r--p 00000000 08:01 1 /bin/x\n' > "$t/equal.maps"
expect 5 "^vmamap: $t/equal.maps:1: end address not above start address\$" "$t/equal.maps"
printf '00401000-00402000 r--p 00000000 08:01 1 /bin/x\n00403000-00400000 r--p 00000000 08:01 1 /bin/x\n' > "$t/backwards.maps"
expect 5 "^vmamap: $t/backwards.maps:2: end address not above start address\$" "$t/backwards.maps"
printf '%s\n' '{"vmamap": 1, "vmas": [{"start": "0x1000", "end": "0x1000", "perms": "r--p"}]}' > "$t/equal.json"
expect 5 "^vmamap: $t/equal.json: vmas\[0\]\.end: end address not above start address\$" "$t/equal.json"

# Overlapping or out-of-order regions: the kernel never prints them, so a
# saved maps or smaps copy holding them is malformed (a torn read of a live
# process is re-read by vmamap; its JSON snapshot keeps the torn flag).
printf '00400000-00403000 r--p 00000000 08:01 1 /bin/x\n00401000-00402000 rw-p 00000000 00:00 0 \n' > "$t/overlap.maps"
expect 5 "^vmamap: $t/overlap.maps:2: region overlaps or comes before the one on line 1 \\(a torn read of a live process\\? read it again\\)\$" "$t/overlap.maps"
printf '00405000-00406000 r--p 00000000 08:01 1 /bin/x\n00401000-00402000 rw-p 00000000 00:00 0 \n' > "$t/order.maps"
expect 5 "^vmamap: $t/order.maps:2: region overlaps or comes before" -j "$t/order.maps"
"$VMAMAP" --json --proc-root "$srcdir/tests/data/torn-proc" 77 > "$t/torn.json" 2> /dev/null
"$VMAMAP" --json "$t/torn.json" > "$t/torn2.json" 2> "$t/torn.err"
[ $? -eq 0 ] && cmp -s "$t/torn.json" "$t/torn2.json" && jq -e '.torn == true' "$t/torn2.json" > /dev/null &&
	[ "$(wc -l < "$t/torn.err")" -eq 1 ] && grep -q '^vmamap: warning: regions overlap' "$t/torn.err"
ok $? "a torn live read saved as JSON loads back the same, torn, one warning"

# ------------------------------------------------------------ 64-bit sums
# Region sizes of a maps copy can only add up past 2^64 when regions
# overlap, which is refused first; smaps counters and snapshots can.
printf '0000000000000000-8000000000000000 r--p 00000000 00:00 0 \n0000000000001000-8000000000001000 r--p 00000000 00:00 0 \n' > "$t/sum.maps"
expect 5 "^vmamap: $t/sum.maps:2: region overlaps or comes before the one on line 1 " -s "$t/sum.maps"
printf '0000000000000000-ffffffffffffffff r--p 00000000 00:00 0 \n' > "$t/whole.maps"
"$VMAMAP" -b "$t/whole.maps" > "$t/out"
[ $? -eq 0 ] && grep -q '^total: 1 region, 18446744073709551615 mapped$' "$t/out"
ok $? "one region of 2^64 - 1 bytes: its size is exact, no wrap"
# each Rss fits in 64 bits (as bytes), their sum does not
big=18014398509481983	# kB: (2^64 - 1) / 1024
for a in 00400000 00500000; do
	printf '%s-%x r--p 00000000 08:01 1 /bin/x\nSize:  1024 kB\nRss:  %s kB\n' \
		"$a" $((0x$a + 0x100000)) "$big"
done > "$t/sum.smaps"
expect 5 "^vmamap: $t/sum.smaps:4: sizes add up to more than 2\^64 bytes\$" -x "$t/sum.smaps"
printf '00400000-00401000 r--p 00000000 08:01 1 /bin/x\nShared_Dirty: %s kB\nPrivate_Dirty: %s kB\n' "$big" "$big" > "$t/dirty.smaps"
expect 5 "^vmamap: $t/dirty.smaps:1: sizes add up" -x "$t/dirty.smaps"
printf 'Rss: 18014398509481984 kB\n' | sed "1i 00400000-00401000 r--p 00000000 08:01 1 /bin/x" > "$t/toobig.smaps"
expect 5 "^vmamap: $t/toobig.smaps:2: smaps value too large\$" -x "$t/toobig.smaps"
# Unknown smaps keys: 64 in one region are kept; a 65th is refused (the
# duplicate check is quadratic in them), in smaps text and in JSON.
extras() {
	printf '00400000-00401000 r--p 00000000 08:01 1 /bin/x\nRss: 4 kB\n'
	for ((i = 1; i <= $1; i++)); do printf 'Future%d: %d kB\n' "$i" "$i"; done
}
extras 64 > "$t/extras64.smaps"
"$VMAMAP" --json "$t/extras64.smaps" > "$t/extras64.json" 2> "$t/err" &&
	[ "$(jq '.vmas[0] | keys | map(select(startswith("future"))) | length' "$t/extras64.json")" = 64 ] &&
	"$VMAMAP" --json "$t/extras64.json" | cmp -s - "$t/extras64.json"
ok $? "64 unknown smaps keys in one region are kept, and read back from JSON"
extras 65 > "$t/extras65.smaps"
expect 5 "^vmamap: $t/extras65.smaps:67: more than 64 unknown smaps keys in one region\$" -x "$t/extras65.smaps"
jq -c '.vmas[0].future65 = 65' "$t/extras64.json" > "$t/extras65.json"
expect 5 "^vmamap: $t/extras65.json: vmas\[0\]\.future65: is one unknown smaps key too many \(a region has 64 at most\)\$" "$t/extras65.json"
cat > "$t/sum.json" <<'EOF'
{"vmamap": 1, "vmas": [
 {"start": "0x0", "end": "0x1000", "perms": "r--p", "rss": 9223372036854775807},
 {"start": "0x1000", "end": "0x2000", "perms": "r--p", "rss": 9223372036854775807},
 {"start": "0x2000", "end": "0x3000", "perms": "r--p", "rss": 9223372036854775807}]}
EOF
expect 5 "^vmamap: $t/sum.json: vmas\[2\]: sizes add up to more than 2\^64 bytes\$" "$t/sum.json"
printf '%s\n' '{"vmamap": 1, "vmas": [{"start": "0x0", "end": "0x1000", "perms": "r--p", "rss": 18446744073709551616}]}' > "$t/huge.json"
expect 5 "^vmamap: $t/huge.json:1:[0-9]+: too big integer" "$t/huge.json"

# ------------------------------------------------------------ JSON
printf '%s\n' '{"vmamap": 1, "vmas": [{"end": "0x2000", "perms": "r--p"}]}' > "$t/nostart.json"
expect 5 "^vmamap: $t/nostart.json: vmas\[0\]: missing \"start\"\$" "$t/nostart.json"
printf '%s\n' '{"vmamap": 1, "vmas": [{"start": 4096, "end": "0x2000", "perms": "r--p"}]}' > "$t/type.json"
expect 5 "^vmamap: $t/type.json: vmas\[0\]\.start: expected an address string" "$t/type.json"
printf '%s\n' '{"vmamap": 1, "vmas": {"start": "0x1000"}}' > "$t/vmas.json"
expect 5 "^vmamap: $t/vmas.json: vmas: expected an array\$" "$t/vmas.json"
printf '%s\n' '{"vmamap": 1, "vmas": [{"start": "0x1000", "end": "0x2000", "perms": "r--p", "path": 7}]}' > "$t/path.json"
expect 5 "^vmamap: $t/path.json: vmas\[0\]\.path: expected a string or null\$" "$t/path.json"
printf '%s\n' '{"vmamap": "1", "vmas": []}' > "$t/version.json"
expect 5 "^vmamap: $t/version.json: vmamap: expected the schema version" "$t/version.json"
printf '%s\n' '{"vmamap": 2.5, "vmas": []}' > "$t/newer.json"
expect 5 "^vmamap: $t/newer.json: snapshot schema version 2 is newer than this vmamap reads \(1\); upgrade vmamap\$" "$t/newer.json"
printf '{"vmamap": 1, "vmas": [\0]}\n' > "$t/nul.json"
expect 5 "^vmamap: $t/nul.json:1:[0-9]+: " "$t/nul.json"

# 100 MB of nesting, through a pipe: stopped at the depth limit
# (2048), at once: the text after it is never read, so the memory used does
# not grow with it (checked under a 64 MB address-space limit, unless
# vmamap is built with a sanitizer, which reserves far more).
deep() {
	head -c 100000000 /dev/zero | tr '\0' "$1"
}
STDIN=<(deep '[') expect 5 '^vmamap: <stdin>:1:2049: maximum parsing depth reached' -
# objects: {"a":{"a":... (only the first 10 MB: sed is slow)
yes '{"a":' | head -c 10000000 | tr -d '\n' > "$t/deep-obj.json"
expect 5 "^vmamap: $t/deep-obj.json:1:[0-9]+: maximum parsing depth reached" "$t/deep-obj.json"
if ldd "$VMAMAP" 2> /dev/null | grep -q 'lib[at]san'; then
	skip "100 MB of nesting under a 64 MB memory limit" "vmamap is built with a sanitizer"
else
	(ulimit -v 65536; deep '[' | "$VMAMAP" - > /dev/null 2> "$t/err"; echo "$?" > "$t/rc")
	[ "$(cat "$t/rc")" = 5 ] && grep -q 'maximum parsing depth reached' "$t/err"
	ok $? "100 MB of nesting under a 64 MB memory limit: the depth error, not out of memory"
fi

tap_done
