#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile.sh - real files with hostile names, mapped by a live process (the
# mapper helper's "mapdir"), through the table, the JSON document and the
# live map: no control byte reaches the terminal, the JSON is valid and
# gives back every name byte for byte, no region or field is injected,
# sizes and totals are the kernel's, and the path column stays aligned.
# Needs jq; the live map needs tmux.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
. "$srcdir/tests/lib.sh"

: "${MAPPER:?MAPPER must point at the helper program tests/helper/mapper}"

if ! command -v jq > /dev/null; then
	skip "hostile names" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

h=$tmpdir/h
mkdir -p "$h"
# mk NAME: a one-page file $h/NAME.
mk() {
	head -c 4096 /dev/zero > "$h/$1"
}

# label -> name; the file is $h/NAME.
declare -A name=(
	[forged]=$'evil\n00001000-00002000 r-xp 00000000 fe:00 1 /usr/bin/forged'
	[lit012]='lit\012text'
	[csi]=$'csi\e[2J\e[31mred\e[0m'
	[osc52]=$'osc52\e]52;c;aGk=\a'
	[title]=$'title\e]0;pwned\a'
	[bel]=$'bel\a\a'
	[c1raw]=$'c1raw\x9b31m'
	[c1utf8]=$'c1utf8\xc2\x9b31m'
	[badutf8]=$'bad\xff\xfe\xc3('
	[bidi]=$'bidi\xe2\x80\xaegpj\xe2\x81\xa6.exe\xe2\x80\x8f'
	[zerowidth]=$'zero\xe2\x80\x8bwidth\xef\xbb\xbf\xf3\xa0\x80\xa1'
	[wide]=$'wide\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80'
	[spaces]='sp  ace  '
	[realdel]='x (deleted)'
	[unlinked]='y (deleted)'
)
# What the table shows after $h/ (the terminal escaping of each name).
declare -A shown=(
	[forged]='evil\x0a00001000-00002000 r-xp 00000000 fe:00 1 /usr/bin/forged'
	[lit012]='lit\\012text'
	[csi]='csi\x1b[2J\x1b[31mred\x1b[0m'
	[osc52]='osc52\x1b]52;c;aGk=\x07'
	[title]='title\x1b]0;pwned\x07'
	[bel]='bel\x07\x07'
	[c1raw]='c1raw\x9b31m'
	[c1utf8]='c1utf8\xc2\x9b31m'
	[badutf8]='bad\xff\xfe\xc3('
	[bidi]='bidi\xe2\x80\xaegpj\xe2\x81\xa6.exe\xe2\x80\x8f'
	[zerowidth]='zero\xe2\x80\x8bwidth\xef\xbb\xbf\xf3\xa0\x80\xa1'
	[wide]=$'wide\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80'
	[spaces]='sp  ace\x20\x20'
	[realdel]='x (deleted)'
	[unlinked]='y (deleted) (deleted)'
)
mkdir -p "$h/${name[forged]%/*}"
for l in "${!name[@]}"; do
	mk "${name[$l]}"
done
# A line longer than 16 KB and a path longer than PATH_MAX: 17 directories
# of 250 newlines each (1000 bytes of \012 each in maps), then a name whose
# tail looks like an smaps line (pmap 4.0.2 counts it as RSS).
printf -v nl250 '%*s' 250 ''
nl250=${nl250// /$'\n'}
longtail='last  Rss: 999999 kB'
(
	cd "$h" || exit 1
	for _ in $(seq 17); do
		mkdir "$nl250" && cd "$nl250" || exit 1
	done
	head -c 4096 /dev/zero > "$longtail"
) || { ok 1 "a path of 17 x 250 newlines can be made"; tap_done; exit; }

if ! start_mapper; then
	ok 1 "mapper helper starts and reports ready"
	tap_done
	exit
fi
pid=$mapper
echo "mapdir $h" >&9
for _ in $(seq 100); do
	grep -q '^mapdir done' "$tmpdir/mapper.out" && break
	sleep 0.1
done
# the unlinked one: its name in maps gets " (deleted)" added
rm "$h/${name[unlinked]}"

# hex of the path of every mapped file, and its address
str_hex() {
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'
}
declare -A addr
nmapped=0
while read -r _ a hx; do
	nmapped=$((nmapped + 1))
	for l in "${!name[@]}"; do
		[ "$hx" = "$(str_hex "$h/${name[$l]}")" ] && addr[$l]=$a
	done
	case $hx in *"$(str_hex "$longtail")") addr[long]=$a; longhex=$hx ;; esac
done < <(grep '^mapped ' "$tmpdir/mapper.out")
[ "$nmapped" -eq $((${#name[@]} + 1)) ] && [ "${#addr[@]}" -eq "$nmapped" ]
ok $? "the mapper mapped all $((${#name[@]} + 1)) hostile files (got $nmapped, known ${#addr[@]})"

# ------------------------------------------------------------ JSON
vm() { "$VMAMAP" "$@" < /dev/null; }
vm --json "$pid" > "$tmpdir/j.json" 2> "$tmpdir/j.err"
ok $? "--json exits 0"
jq -e .vmas "$tmpdir/j.json" > /dev/null && iconv -f UTF-8 -t UTF-8 "$tmpdir/j.json" > /dev/null &&
	[ ! -s "$tmpdir/j.err" ]
ok $? "--json is valid JSON and valid UTF-8, nothing on stderr"
vm -x --json "$pid" > "$tmpdir/x.json" 2> "$tmpdir/x.err"
jq -e .vmas "$tmpdir/x.json" > /dev/null && iconv -f UTF-8 -t UTF-8 "$tmpdir/x.json" > /dev/null
ok $? "-x --json is valid JSON and valid UTF-8"

# region FILE ADDR: the region starting at ADDR, compact.
region() {
	jq -c --arg a "$2" '[.vmas[] | select(.start == $a)]' "$1"
}
# bytes FILE ADDR: hex of the exact name bytes (path_hex, or path's UTF-8).
bytes() {
	local r
	r=$(region "$1" "$2")
	if [ "$(jq -r '.[0] | has("path_hex")' <<< "$r")" = true ]; then
		jq -r '.[0].path_hex' <<< "$r"
	else
		jq -j '.[0].path' <<< "$r" | od -An -tx1 -v | tr -d ' \n'
	fi
}
del=$(str_hex ' (deleted)')
for l in "${!addr[@]}"; do
	r=$(region "$tmpdir/j.json" "${addr[$l]}")
	got=$(bytes "$tmpdir/j.json" "${addr[$l]}")
	deleted=$(jq -r '.[0].deleted' <<< "$r")
	if [ "$l" = long ]; then
		want=$longhex
	else
		want=$(str_hex "$h/${name[$l]}")
	fi
	case $l in
	realdel)	# the kernel prints it as an unlinked "x" (see robustness.md)
		[ "$got$del" = "$want" ] && [ "$deleted" = true ] ;;
	unlinked)	[ "$got" = "$want" ] && [ "$deleted" = true ] ;;
	*)		[ "$got" = "$want" ] && [ "$deleted" = false ] ;;
	esac &&
		[ "$(jq -r 'length' <<< "$r")" = 1 ] && [ "$(jq -r '.[0].size' <<< "$r")" = 4096 ]
	ok $? "JSON: the $l region has its exact name bytes, deleted $deleted, size 4096"
done
ok "$([ "${#longhex}" -gt $((2 * 4096)) ] && echo 0 || echo 1)" "... the long path is $((${#longhex} / 2)) bytes (more than PATH_MAX)"
grep -q '\\012.*\\012' "/proc/$pid/maps" && [ "$(grep -c '' "/proc/$pid/maps")" -gt 0 ] &&
	awk 'length > 16384 { n++ } END { exit !n }' "/proc/$pid/maps"
ok $? "the kernel's maps has a line longer than 16 KB"

# Nothing injected: one region per kernel line, none at the forged address.
lines=$(grep -c '' "/proc/$pid/maps")
vsys=$(grep -c ' \[vsyscall\]$' "/proc/$pid/maps")
n=$(jq '[.vmas[] | select(.path != "[vsyscall]")] | length' "$tmpdir/j.json")
[ "$n" -eq "$((lines - vsys))" ] &&
	jq -e '[.vmas[] | select(.start == "0x1000" or .path == "/usr/bin/forged")] | length == 0' "$tmpdir/j.json" > /dev/null
ok $? "no region injected: $n regions for $((lines - vsys)) lines of maps, none at the forged 0x1000"

# Sizes and totals are the kernel's.
vmsize=$(awk '$1 == "VmSize:" { print $2 * 1024 }' "/proc/$pid/status")
got=$(jq '[.vmas[] | select(.path != "[vsyscall]") | .size] | add' "$tmpdir/j.json")
[ "$got" = "$vmsize" ] && [ "$(jq .totals.size "$tmpdir/j.json")" -ge "$vmsize" ]
ok $? "the sizes add up to VmSize ($got, $vmsize)"
rss=$(awk '$1 == "Rss:" { print $2 * 1024 }' "/proc/$pid/smaps_rollup")
got=$(jq '[.vmas[] | select(.path != "[vsyscall]") | .rss] | add' "$tmpdir/x.json")
long_rss=$(jq --arg a "${addr[long]}" '.vmas[] | select(.start == $a) | .rss' "$tmpdir/x.json")
[ "$got" = "$rss" ] && [ "$long_rss" -le 4096 ]
ok $? "-x: the RSS sum is smaps_rollup's ($got, $rss); the 'Rss: 999999 kB' path has rss $long_rss"

# A snapshot gives the same names back.
vm --json "$tmpdir/j.json" | cmp -s - "$tmpdir/j.json"
ok $? "the JSON snapshot loads back byte for byte"

# ------------------------------------------------------------ table
vm --color=never "$pid" > "$tmpdir/t" 2> "$tmpdir/t.err"
ok $? "table exits 0"
! has_control "$tmpdir/t" && iconv -f UTF-8 -t UTF-8 "$tmpdir/t" > /dev/null && [ ! -s "$tmpdir/t.err" ]
ok $? "table: no control byte, valid UTF-8"
for l in "${!shown[@]}"; do
	grep -qF -- "$h/${shown[$l]}" "$tmpdir/t"
	ok $? "table shows $l as $h/${shown[$l]}"
done
grep -qF -- "\\x0a\\x0a/$longtail" "$tmpdir/t"
ok $? "table shows the long path whole, up to '... $longtail'"
[ "$(grep -c '^[0-9a-f]*-' "$tmpdir/t")" -eq "$(jq '.vmas | length' "$tmpdir/j.json")" ]
ok $? "table: one row per region"

# Alignment: the path starts in the column of PATH on every row (what is
# before it is ASCII), with and without -x.
aligned() {
	awk '/ PATH$/ { col = index($0, "PATH"); next }
		/^[0-9a-f]+-/ && length($0) >= col {
			if (substr($0, col - 1, 1) != " " || substr($0, col, 1) == " ") bad++
		}
		END { exit !(col && !bad) }' "$1"
}
aligned "$tmpdir/t"
ok $? "table: every path starts in the PATH column"
vm -x --color=never "$pid" > "$tmpdir/tx"
aligned "$tmpdir/tx" && ! has_control "$tmpdir/tx"
ok $? "table -x: every path starts in the PATH column, no control byte"
vm --color=always "$pid" | LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' > "$tmpdir/tc"
! has_control "$tmpdir/tc" && cmp -s "$tmpdir/tc" "$tmpdir/t"
ok $? "table --color=always: only SGR sequences added"

# ------------------------------------------------------------ live map
if ! command -v tmux > /dev/null; then
	skip "live map of hostile names" "tmux is not installed"
	tap_done
	exit
fi
# shellcheck source=tests/tmux.sh
. "$srcdir/tests/tmux.sh"
trap 'tm kill-server 2> /dev/null; kill $mapper 2> /dev/null;
	wait $mapper 2> /dev/null; rm -rf "$tmpdir"' EXIT
tmux_session 200 50
ok $? "tmux starts a 200x50 session"
run --live -d 0.2 "$pid"
wait_for "^pid $pid "
ok $? "--live shows the mapper"
# capture FILE: the pane with its attributes, SGR removed.
capture() {
	tm capture-pane -e -p -t t | LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' > "$1"
}
# ascii FILE: the pane with every other character (the size bars, and any
# in a path) as '#', so that a byte is a column up to the path.
ascii() {
	sed 's/[^ -~]/#/g' "$1"
}
title=$(tm display-message -p -t t '#{pane_title}')
for l in "${!shown[@]}"; do
	pat="$h/${shown[$l]}"
	keys /
	text "${pat%%[^ -~]*}"	# the search is over the path as shown
	keys Enter
	wait_for "@${addr[$l]#0x}\$" 3 && screen | grep -qF -- "${shown[$l]}"
	ok $? "--live: / finds the $l region, shown as ${shown[$l]}"
	capture "$tmpdir/pane"
	! has_control "$tmpdir/pane" && ! LC_ALL=C grep -q $'\e' "$tmpdir/pane"
	ok $? "--live: no control byte on the screen but SGR"
	# the path starts in the column of PATH on every row
	awk '/ PATH *$/ { col = index($0, "PATH"); next }
		/^. [0-9a-f]+-[0-9a-f]+ / && length($0) >= col {
			if (substr($0, col - 1, 1) != " " || substr($0, col, 1) == " ") bad++
		}
		END { exit !(col && !bad) }' <(ascii "$tmpdir/pane")
	ok $? "--live: every path starts in the PATH column"
done
[ "$(tm display-message -p -t t '#{pane_title}')" = "$title" ] &&
	[ "$(tm display-message -p -t t '#{window_bell_flag}')" = 0 ]
ok $? "--live: the names set no title and rang no bell"
keys q
wait_for '^EXIT=0$' 5
ok $? "q quits with status 0"
tap_done
