#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# system.sh - the system-wide views against live processes and captured
# trees: --all (every process, RSS/PSS/swap equal to each one's
# smaps_rollup), --who-maps (the files of the mapper helper, smaps read
# only where a file matches), --format=openmetrics (promtool check
# metrics when prometheus is installed), unreadable and vanished
# processes, hostile names in every output.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
. "$srcdir/tests/lib.sh"

: "${MAPPER:?MAPPER must point at the helper program tests/helper/mapper}"

if ! command -v jq >/dev/null 2>&1; then
	skip "system-wide views" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

vm() { timeout 120 "$VMAMAP" "$@" </dev/null; }

have_promtool=false
command -v promtool >/dev/null 2>&1 && have_promtool=true

# promcheck DESC FILE: promtool check metrics accepts FILE.
promcheck() {
	if ! $have_promtool; then
		skip "$1: promtool check metrics" "promtool is not installed (Debian package prometheus)"
		return
	fi
	promtool check metrics <"$2" >"$tmpdir/prom.out" 2>&1
	ok $? "$1: promtool check metrics accepts it"
	[ -s "$tmpdir/prom.out" ] && diag "$(head -n 20 "$tmpdir/prom.out")"
}

# clean DESC FILE: no raw control byte, valid UTF-8.
clean() {
	! has_control "$2" && iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1
	ok $? "$1: no raw control byte, valid UTF-8"
}

# kb2b KEY FILE: the "KEY: N kB" value of a smaps-style FILE, in bytes.
kb2b() {
	awk -v k="$1:" '$1 == k { print $2 * 1024; exit }' "$2"
}

if ! start_mapper; then
	ok 1 "mapper helper starts and reports ready"
	diag "$(cat "$tmpdir/mapper.out" 2>/dev/null)"
	tap_done
	exit
fi
pid=$mapper

# A hostile name for the helper: quote, backslash, newline, ESC.
comm_hex=6522765c6c0a1b5b316d
echo "comm $comm_hex" >&9
for ((i = 0; i < 50; i++)); do
	grep -q '^comm set' "$tmpdir/mapper.out" && break
	sleep 0.1
done
grep -q '^comm set' "$tmpdir/mapper.out"
ok $? "mapper took the name bytes $comm_hex"

# ---------------------------------------------------------------- --all
vm --all --json >"$tmpdir/all.json" 2>"$tmpdir/all.err"
ok $? "--all --json exits 0"
jq -e '.vmamap_all == 1' "$tmpdir/all.json" >/dev/null
ok $? "--all --json is a vmamap_all document"
row() { jq -c --argjson p "$pid" '.processes[] | select(.pid == $p)' "$1"; }
row "$tmpdir/all.json" >"$tmpdir/row.json"
[ -s "$tmpdir/row.json" ]
ok $? "--all lists the helper"

got=$(jq -j .comm "$tmpdir/row.json" | od -An -tx1 -v | tr -d ' \n')
[ "$got" = "$comm_hex" ]
ok $? "--all --json: the helper's comm, decoded, is exactly its bytes ($got)"

rollup=/proc/$pid/smaps_rollup
# RSS and swap of the idle helper are exact.  Its PSS is not: every
# process that maps a page it shares (libc: the reader itself, timeout,
# awk) takes a share, so PSS is only within the shared bytes of the
# rollup's, and between the private bytes and RSS.
for k in Rss Swap; do
	want=$(kb2b "$k" "$rollup")
	got=$(jq ".${k,,}" "$tmpdir/row.json")
	[ "$got" = "$want" ]
	ok $? "--all: the helper's ${k,,} equals smaps_rollup $k ($got, $want)"
done
got=$(jq .pss "$tmpdir/row.json")
pss=$(kb2b Pss "$rollup")
rss=$(kb2b Rss "$rollup")
shared=$(($(kb2b Shared_Clean "$rollup") + $(kb2b Shared_Dirty "$rollup")))
private=$(($(kb2b Private_Clean "$rollup") + $(kb2b Private_Dirty "$rollup")))
d=$((got > pss ? got - pss : pss - got))
[ "$d" -le "$shared" ] && [ "$got" -ge "$private" ] && [ "$got" -le "$rss" ]
ok $? "--all: the helper's pss is smaps_rollup Pss within the shared bytes ($got, $pss, shared $shared)"
want=$(grep -c '' "/proc/$pid/maps")
[ "$(jq .regions "$tmpdir/row.json")" = "$want" ]
ok $? "--all: the helper's regions are the lines of its maps ($want)"
jq -e '([.classes[].size] | add) == .size' "$tmpdir/row.json" >/dev/null
ok $? "--all: the classes of the helper add up to its size"
jq -e --argjson p "$$" '[.processes[].pid] | index($p) != null' "$tmpdir/all.json" >/dev/null
ok $? "--all lists the test shell too"
jq -e '[.processes[].pid] | . == sort' "$tmpdir/all.json" >/dev/null
ok $? "--all: in PID order by default"

vm --all >"$tmpdir/all.txt" 2>"$tmpdir/all.err"
ok $? "--all (table) exits 0"
clean "--all table" "$tmpdir/all.txt"
grep -qE "^ *$pid root +[0-9]+ " "$tmpdir/all.txt"
ok $? "--all table: a row for the helper"
grep -qE '^total: [0-9]+ process' "$tmpdir/all.txt"
ok $? "--all table: a total line"

vm --all --sort rss --json >"$tmpdir/rss.json"
jq -e '[.processes[].rss // 0] | . == (sort | reverse)' "$tmpdir/rss.json" >/dev/null
ok $? "--all --sort rss: largest first"

vm --all -x --json >"$tmpdir/allx.json" 2>"$tmpdir/allx.err"
ok $? "--all -x --json exits 0"
jq -e '.memory_from == "smaps"' "$tmpdir/allx.json" >/dev/null
ok $? "--all -x: memory from smaps"
row "$tmpdir/allx.json" >"$tmpdir/rowx.json"
jq -e '([.classes[].rss] | add) == .rss' "$tmpdir/rowx.json" >/dev/null
ok $? "--all -x: the helper's RSS per class adds up to its RSS"
want=$(kb2b Rss "$rollup")
[ "$(jq .rss "$tmpdir/rowx.json")" = "$want" ]
ok $? "--all -x: the helper's RSS from smaps equals smaps_rollup ($want)"

# ---------------------------------------------------------------- OpenMetrics
vm --all --format=openmetrics >"$tmpdir/all.om" 2>"$tmpdir/om.err"
ok $? "--all --format=openmetrics exits 0"
clean "--all --format=openmetrics" "$tmpdir/all.om"
promcheck "--all --format=openmetrics" "$tmpdir/all.om"
[ "$(tail -n 1 "$tmpdir/all.om")" = "# EOF" ]
ok $? "OpenMetrics: ends with # EOF"
label='pid="'$pid'",comm="e\"v\\l\n\\x1b[1m"'
want=$(kb2b Rss "$rollup")
grep -qxF "vmamap_process_rss_bytes{$label} $want" "$tmpdir/all.om"
ok $? "OpenMetrics: the helper's name escaped (\\\\ \\\" \\n \\\\x1b) and its RSS from smaps_rollup"
[ -z "$(grep -v '^#' "$tmpdir/all.om" | sed 's/} .*/}/' | sort | uniq -d)" ]
ok $? "OpenMetrics: no series twice"
for f in regions mapped_bytes process_rss_bytes process_pss_bytes process_swap_bytes; do
	grep -qx "# TYPE vmamap_$f gauge" "$tmpdir/all.om"
	ok $? "OpenMetrics: family vmamap_$f"
done
grep -qx '# UNIT vmamap_mapped_bytes bytes' "$tmpdir/all.om"
ok $? "OpenMetrics: # UNIT of a _bytes family"
! grep -q '^vmamap_rss_bytes' "$tmpdir/all.om"
ok $? "OpenMetrics without -x: no RSS per class (it needs smaps)"

vm -x --format=openmetrics "$pid" >"$tmpdir/one.om"
ok $? "--format=openmetrics -x PID exits 0"
promcheck "-x --format=openmetrics PID" "$tmpdir/one.om"
sum=$(awk '/^vmamap_rss_bytes/ { s += $NF } END { print s }' "$tmpdir/one.om")
[ "$sum" = "$(kb2b Rss "$rollup")" ]
ok $? "OpenMetrics -x: RSS per class of the helper adds up to smaps_rollup ($sum)"
vm --format=openmetrics "$pid" "$pid" >"$tmpdir/two.om"
[ -z "$(grep -v '^#' "$tmpdir/two.om" | sed 's/} .*/}/' | sort | uniq -d)" ]
ok $? "OpenMetrics: a PID given twice is one series"

# ---------------------------------------------------------------- --who-maps
vm --who-maps "$tmpdir/m/*" --json >"$tmpdir/who.json" 2>"$tmpdir/who.err"
ok $? "--who-maps DIR/* --json exits 0"
jq -e --argjson p "$pid" '[.maps[].pid] | unique == [$p]' "$tmpdir/who.json" >/dev/null
ok $? "--who-maps: only the helper maps its files"
# The exact bytes of each path: path_hex when not UTF-8, else path.
{
	jq -r '.maps[] | .path_hex // empty' "$tmpdir/who.json"
	jq -r '.maps[] | select(.path_hex == null) | .path | @base64' "$tmpdir/who.json" |
		while read -r b; do
			printf '%s' "$b" | base64 -d | od -An -tx1 -v | tr -d ' \n'
			echo
		done
} | sort >"$tmpdir/who.paths"
sed -n 's/^path [a-z0-9]* //p' "$tmpdir/mapper.out" | sort >"$tmpdir/want.paths"
[ -s "$tmpdir/want.paths" ] && cmp -s "$tmpdir/who.paths" "$tmpdir/want.paths"
ok $? "--who-maps: exactly the helper's files, byte for byte ($(grep -c '' "$tmpdir/want.paths"))"
vm -x --json "$pid" >"$tmpdir/x.json"
want=$(jq --arg d "$tmpdir/m/" '[.vmas[] | select((.path // "") | startswith($d))
	| .rss] | add' "$tmpdir/x.json")
[ "$(jq '.totals.rss' "$tmpdir/who.json")" = "$want" ]
ok $? "--who-maps: RSS of the files equals the smaps of their regions ($want)"
want=$(jq -c --arg d "$tmpdir/m/" '[.vmas[] | select((.path // "") | startswith($d))]
	| [length, (map(.size) | add)]' "$tmpdir/x.json")
[ "$(jq -c '[.totals.regions, .totals.size]' "$tmpdir/who.json")" = "$want" ]
ok $? "--who-maps: regions and size of the files ($want)"
jq -e '[.maps[] | select(.deleted)] | length == 1' "$tmpdir/who.json" >/dev/null
ok $? "--who-maps: the deleted file is marked deleted"
vm --who-maps "$tmpdir/m/*" >"$tmpdir/who.txt"
ok $? "--who-maps (table) exits 0"
clean "--who-maps table" "$tmpdir/who.txt"
grep -q '(deleted)$' "$tmpdir/who.txt" && grep -q '\\x1b' "$tmpdir/who.txt"
ok $? "--who-maps table: (deleted) and escaped names"
base=$(sed -n 's/^path file //p' "$tmpdir/mapper.out" | xxd -r -p | xargs -0 basename)
vm --who-maps "$base" --json >"$tmpdir/base.json"
jq -e --argjson p "$pid" '[.maps[] | select(.pid == $p)] | length == 1' "$tmpdir/base.json" >/dev/null
ok $? "--who-maps NAME without '/' matches the base name ($base)"

# ---------------------------------------------------------------- captured trees
tree=$tmpdir/tree
cp -R "$srcdir/tests/data/proc" "$tree"
chmod -R u+w "$tree"			# the source tree may be read-only
# --all reads smaps_rollup, never smaps: without any smaps it is the same.
vm --all --json --proc-root "$tree" >"$tmpdir/t1.json"
rm -f "$tree"/*/smaps
vm --all --json --proc-root "$tree" >"$tmpdir/t2.json"
cmp -s "$tmpdir/t1.json" "$tmpdir/t2.json"
ok $? "--all reads smaps_rollup, not smaps"
cp -R "$srcdir/tests/data/proc/." "$tree/"
chmod -R u+w "$tree"
# --who-maps reads smaps only where a file matches.
rm -f "$tree/4242/smaps" "$tree/302/smaps"
vm --who-maps '*ssl.so*' --json --proc-root "$tree" >"$tmpdir/t3.json"
ok $? "--who-maps on a captured tree exits 0"
jq -e '.left_out.exited == 0 and ([.not_readable[].pid] == [301])
	and ([.maps[].pid] == [1, 300])' "$tmpdir/t3.json" >/dev/null
ok $? "--who-maps reads smaps only of the processes that map a match"
# A process listed but gone by the time it is read: not an error.
mkdir "$tree/999"
cp "$tree/302/status" "$tree/302/comm" "$tree/999/"
vm --all --json --proc-root "$tree" >"$tmpdir/t4.json"
ok $? "--all with a process that vanished exits 0"
jq -e '.left_out.exited == 1 and ([.not_readable[].pid] == [301])
	and ([.processes[].pid] | index(999) == null)' "$tmpdir/t4.json" >/dev/null
ok $? "--all: a vanished process is counted as exited, not as unreadable"

for f in "$srcdir"/tests/expected/*.om; do
	[ -e "$f" ] || continue
	promcheck "golden ${f##*/}" "$f"
done

# ---------------------------------------------------------------- no permission
# As another user, root's processes cannot be read: named in the footer.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$VMAMAP" --version >/dev/null 2>&1; then
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$VMAMAP" "$@" </dev/null; }
	nobody --all --json >"$tmpdir/nb.json" 2>"$tmpdir/nb.err"
	ok $? "--all as nobody exits 0"
	jq -e --argjson p "$pid" '.not_readable[] | select(.pid == $p)
		| .reason == "permission denied"' "$tmpdir/nb.json" >/dev/null
	ok $? "--all as nobody: the helper is not readable (permission denied)"
	nobody --all >"$tmpdir/nb.txt" 2>"$tmpdir/nb.err"
	ok $? "--all (table) as nobody exits 0"
	last=$(tail -n 1 "$tmpdir/nb.txt")
	[[ $last =~ ^not\ readable:\ [1-9][0-9]*\ process(es)?\ \(permission\ denied:\  ]] &&
		[[ $last == *' '"$pid"' e"v\\l\x0a\x1b[1m'[,\)]* ]]
	r=$?
	ok $r "--all as nobody: one footer line counts and names them, the helper escaped"
	[ $r -eq 0 ] || diag "$last"
	clean "--all as nobody" "$tmpdir/nb.txt"
	[ ! -s "$tmpdir/nb.err" ]
	ok $? "--all as nobody: nothing on stderr"
else
	skip "--all as another user" "needs root and setpriv, and the build readable by nobody"
fi
tap_done
