#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# live.sh - run vmamap against live processes: the mapper helper (known
# mappings of every class, files with hostile names), the test shell itself,
# a process found by name, and a process that has gone away.  Needs jq.

# jq programs are single-quoted on purpose; "A && B || diag" only reports.
# shellcheck disable=SC2016,SC2015
: "${srcdir:?srcdir must point at the source tree}"
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"

: "${MAPPER:?MAPPER must point at the helper program tests/helper/mapper}"

# Background helpers we started; all are killed on exit, whatever happens.
helpers=()

cleanup() {
	local p i
	exec 9>&-
	for p in "${helpers[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${helpers[@]}"; do
		for ((i = 0; i < 20; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmpdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# vm ARGS...: run vmamap, never for more than a minute, never reading our stdin.
if command -v timeout >/dev/null 2>&1; then
	vm() { timeout 60 "$VMAMAP" "$@" </dev/null; }
else
	vm() { "$VMAMAP" "$@" </dev/null; }
fi

if ! command -v jq >/dev/null 2>&1; then
	skip "live tests" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

# The helpers read this fifo and block: nothing is ever written to it.  We hold
# the only writer (fd 9), so if this script dies the helpers see end of file
# and exit on their own.
mkfifo "$tmpdir/fifo" || exit 99
exec 9<>"$tmpdir/fifo"

# start_idle EXE NAME: start "EXE $tmpdir/NAME" in the background, output in
# $tmpdir/NAME.out; sets helper_pid.  Returns 0 once it has printed "ready",
# 1 if it died or was not ready within about 10 seconds.
start_idle() {
	local exe=$1 name=$2 i
	"$exe" "$tmpdir/$name" <"$tmpdir/fifo" >"$tmpdir/$name.out" \
		2>"$tmpdir/$name.err" 9<&- &
	helper_pid=$!
	helpers+=("$helper_pid")
	for ((i = 0; i < 100; i++)); do
		grep -qx ready "$tmpdir/$name.out" && return 0
		kill -0 "$helper_pid" 2>/dev/null || break
		sleep 0.1
	done
	grep -qx ready "$tmpdir/$name.out"
}

# stop_helper PID: SIGTERM it and reap it; returns its exit status.
stop_helper() {
	local p=$1 rc i keep=()
	kill -TERM "$p" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
	wait "$p"
	rc=$?
	for i in "${helpers[@]}"; do
		[ "$i" = "$p" ] || keep+=("$i")
	done
	helpers=("${keep[@]}")
	return "$rc"
}

if ! start_idle "$MAPPER" m; then
	ok 1 "mapper helper starts and reports ready"
	diag "mapper output:" "$(cat "$tmpdir/m.out" "$tmpdir/m.err" 2>/dev/null)"
	tap_done
	exit
fi
pid=$helper_pid

# Parse "LABEL 0xADDR CLASS [TID]", "path LABEL HEX" and "# remark" lines.
declare -A addr want pathhex tid
while read -r a b c d; do
	case $a in
	'#')		diag "mapper: $b $c${d:+ $d}" ;;
	ready)		;;
	path)		pathhex[$b]=$c ;;
	*)		addr[$a]=$b; want[$a]=$c; tid[$a]=$d ;;
	esac
done <"$tmpdir/m.out"
mlock_failed=false
grep -q '^# mlock failed' "$tmpdir/m.out" && mlock_failed=true
anon_name=true
grep -q '^# anon name unsupported' "$tmpdir/m.out" && anon_name=false
sysv_why=$(sed -n 's/^# sysv unsupported: //p' "$tmpdir/m.out")

labels=(file deleted space newline tab esc badutf8 c1utf8 bidi
	memfd shanon sysv guard rwx locked growsdown named thread1 thread2
	thread3)
file_labels=(file deleted space newline tab esc badutf8 c1utf8 bidi)
thread_labels=(thread1 thread2 thread3)

# Thread stacks are found through task/TID/syscall, which needs ptrace
# access (the mapper allows any tracer for Yama) and an architecture that
# has the file.  Where it cannot be read, thread stacks are plain anon.
stacks=true
for t in "$pid" "${tid[thread1]}" "${tid[thread2]}" "${tid[thread3]}"; do
	grep -qE '0x[0-9a-f]+ 0x[0-9a-f]+$' "/proc/$pid/task/$t/syscall" \
		2>/dev/null || stacks=false
done
if ! $stacks; then
	diag "task/TID/syscall cannot be read: thread stacks are not labelled"
	for l in "${thread_labels[@]}"; do
		want[$l]=anon
	done
fi

# ---------------------------------------------------------------- JSON
vm --json "$pid" >"$tmpdir/j.json" 2>"$tmpdir/j.err"
ok $? "vmamap --json PID exits 0"
jq . "$tmpdir/j.json" >/dev/null && iconv -f UTF-8 -t UTF-8 "$tmpdir/j.json" >/dev/null
ok $? "--json output is valid JSON and valid UTF-8"
vm -x --json "$pid" >"$tmpdir/x.json" 2>"$tmpdir/x.err"
ok $? "vmamap -x --json PID exits 0"
jq . "$tmpdir/x.json" >/dev/null && iconv -f UTF-8 -t UTF-8 "$tmpdir/x.json" >/dev/null
ok $? "-x --json output is valid JSON and valid UTF-8"

# hex2n turns "0x..." into a number: exact for user addresses (< 2^53).
# region($a): the regions that contain address $a (a "0x..." string).
JQDEFS='
def hex2n: ltrimstr("0x") | ascii_downcase | explode
	| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
def region($a): ($a | hex2n) as $n
	| [.vmas[] | select((.start | hex2n) <= $n and $n < (.end | hex2n))];
'

# jqr FILE ADDR PROGRAM: run PROGRAM (given region($a) etc.) on FILE, raw output.
jqr() {
	jq -r --arg a "$2" "$JQDEFS $3" "$1"
}

# str_hex STRING: lower-case hex of the bytes of STRING.
str_hex() {
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'
}

# path_bytes FILE ADDR: hex of the exact path bytes of the region at ADDR,
# from "path_hex" when present, else the UTF-8 bytes of "path".
path_bytes() {
	local h
	h=$(jqr "$1" "$2" 'region($a) | .[0].path_hex // empty')
	if [ -n "$h" ]; then
		printf '%s' "$h"
	else
		jq -j --arg a "$2" "$JQDEFS"'region($a) | .[0].path // empty' "$1" |
			od -An -tx1 -v | tr -d ' \n'
	fi
}

# Classes, from the -x output: it has VmFlags, which "stack" needs for gd.
for l in "${labels[@]}"; do
	if [ -z "${addr[$l]}" ]; then
		why="mapper did not create it"
		[ "$l" = sysv ] && [ -n "$sysv_why" ] && why="SysV shm: $sysv_why"
		skip "class of $l region" "$why"
		continue
	fi
	got=$(jqr "$tmpdir/x.json" "${addr[$l]}" \
		'region($a) | if length == 1 then .[0].class else "\(length) regions" end')
	[ "$got" = "${want[$l]}" ]
	ok $? "class of $l region is ${want[$l]}"
	[ "$got" = "${want[$l]}" ] ||
		diag "$l at ${addr[$l]}: got '$got'" \
		"$(jqr "$tmpdir/x.json" "${addr[$l]}" 'region($a) | .[] | tostring')"
done

# Without -x there are no VmFlags: a MAP_GROWSDOWN region is plain anon.
bad=
for l in "${labels[@]}"; do
	[ -n "${addr[$l]}" ] || continue
	w=${want[$l]}
	[ "$l" = growsdown ] && w=anon
	got=$(jqr "$tmpdir/j.json" "${addr[$l]}" \
		'region($a) | if length == 1 then .[0].class else "\(length) regions" end')
	[ "$got" = "$w" ] || bad="$bad $l:$got(want $w)"
done
[ -z "$bad" ]
ok $? "--json (no smaps) classes agree, growsdown being anon"
[ -z "$bad" ] || diag "wrong:$bad"

# Thread stacks: "tid" is each thread's TID, [stack] has the main thread's.
check_tids() {
	local f=$1 what=$2 l got want_tids
	for l in "${thread_labels[@]}"; do
		got=$(jqr "$f" "${addr[$l]}" 'region($a) | .[0].tid')
		[ -n "${tid[$l]}" ] && [ "$got" = "${tid[$l]}" ]
		ok $? "$what: $l stack region has tid ${tid[$l]}"
		[ "$got" = "${tid[$l]}" ] || diag "$l: got tid '$got'"
	done
	got=$(jq -r '[.vmas[] | select(.path == "[stack]") | .tid | tostring] | join(",")' "$f")
	[ "$got" = "$pid" ]
	ok $? "$what: the [stack] region has tid $pid (the PID)"
	[ "$got" = "$pid" ] || diag "[stack] tids: '$got'"
	got=$(jq -r '[.vmas[] | select(has("tid")) | .tid] | sort | map(tostring) | join(",")' "$f")
	want_tids=$(printf '%s\n' "$pid" "${tid[@]}" | grep . | sort -n | paste -sd,)
	[ "$got" = "$want_tids" ]
	ok $? "$what: exactly the 4 thread stacks have a tid"
	[ "$got" = "$want_tids" ] || diag "tids: '$got', want '$want_tids'"
}
if $stacks; then
	check_tids "$tmpdir/j.json" "--json"
	check_tids "$tmpdir/x.json" "-x --json"
else
	skip "thread stacks have a tid" "task/TID/syscall cannot be read"
fi

# Paths of the files the mapper created: exact bytes.
for l in "${file_labels[@]}"; do
	got=$(path_bytes "$tmpdir/j.json" "${addr[$l]}")
	has_hex=$(jqr "$tmpdir/j.json" "${addr[$l]}" 'region($a) | .[0] | has("path_hex")')
	# path_hex is there exactly when the path is not valid UTF-8
	want_hex=false
	[ "$l" = badutf8 ] && want_hex=true
	[ -n "${pathhex[$l]}" ] && [ "$got" = "${pathhex[$l]}" ] &&
		[ "$has_hex" = "$want_hex" ]
	ok $? "path of $l region is exact (path_hex present: $want_hex)"
	[ "$got" = "${pathhex[$l]}" ] && [ "$has_hex" = "$want_hex" ] ||
		diag "$l: got $got, path_hex present: $has_hex" "want ${pathhex[$l]}"
done

# Invalid UTF-8: "path" holds each bad byte as its Latin-1 code point.
raw=$(printf '%s' "${pathhex[badutf8]}" | sed 's/../\\x&/g')
want_latin1=$(printf '%b' "$raw" | iconv -f LATIN1 -t UTF-8 | od -An -tx1 -v | tr -d ' \n')
got=$(jq -j --arg a "${addr[badutf8]}" "$JQDEFS"'region($a) | .[0].path // empty' \
	"$tmpdir/j.json" | od -An -tx1 -v | tr -d ' \n')
[ -n "$got" ] && [ "$got" = "$want_latin1" ]
ok $? "invalid UTF-8 path bytes appear as Latin-1 code points in \"path\""

# Pseudo files.
check_path() {
	local l=$1 want_path=$2 prefix=$3 got wh
	if [ -z "${addr[$l]}" ]; then
		skip "path of $l region" "mapper did not create it"
		return
	fi
	got=$(path_bytes "$tmpdir/j.json" "${addr[$l]}")
	wh=$(str_hex "$want_path")
	if [ "$prefix" = prefix ]; then
		[[ $got == "$wh"* ]]
	else
		[ "$got" = "$wh" ]
	fi
	ok $? "path of $l region is $want_path${prefix:+...}"
	[[ $got == "$wh"* ]] || diag "$l: got path bytes $got"
}
check_path memfd "/memfd:vmamap-test"
check_path shanon "/dev/zero"
check_path sysv "/SYSV" prefix
if $anon_name; then
	check_path named "[anon:vmamap test]"
else
	skip "path of named region" "the kernel has no PR_SET_VMA_ANON_NAME (CONFIG_ANON_VMA_NAME)"
fi

for l in deleted memfd shanon sysv; do
	if [ -z "${addr[$l]}" ]; then
		skip "$l region is deleted" "mapper did not create it"
		continue
	fi
	got=$(jqr "$tmpdir/j.json" "${addr[$l]}" 'region($a) | .[0].deleted')
	[ "$got" = true ]
	ok $? "$l region is deleted"
done

# ---------------------------------------------------------------- smaps
if $mlock_failed; then
	skip "locked region has locked > 0" "mlock failed in the mapper"
else
	got=$(jqr "$tmpdir/x.json" "${addr[locked]}" 'region($a) | .[0].locked')
	[ -n "$got" ] && [ "$got" != null ] && [ "$got" -gt 0 ] 2>/dev/null
	ok $? "locked region has locked > 0 (-x)"
fi
got=$(jqr "$tmpdir/x.json" "${addr[growsdown]}" \
	'region($a) | .[0] | any(.vm_flags[]?; . == "gd")')
[ "$got" = true ]
ok $? "growsdown region has gd in vm_flags (-x)"
got=$(jq -r '(.vmas | length > 0) and
	all(.vmas[]; has("rss") and has("pss") and has("vm_flags"))' "$tmpdir/x.json")
[ "$got" = true ]
ok $? "every region has rss, pss and vm_flags under -x"

# ---------------------------------------------------------------- oracle
# The helper is idle: its maps, status and smaps_rollup do not change.
cat "/proc/$pid/maps" >"$tmpdir/maps"
lines=$(wc -l <"$tmpdir/maps")
vsys=$(LC_ALL=C grep -ac ' \[vsyscall\]$' "$tmpdir/maps")
want_n=$((lines - vsys))
got=$(jq -r '[.vmas[] | select(.path != "[vsyscall]")] | length' "$tmpdir/j.json")
[ "$got" = "$want_n" ]
ok $? "region count equals the lines of /proc/PID/maps (without [vsyscall])"
[ "$got" = "$want_n" ] || diag "vmamap: $got regions, maps: $want_n lines"

vmsize=$(awk '$1 == "VmSize:" { print $2 * 1024 }' "/proc/$pid/status")
got=$(jq -r '[.vmas[] | select(.path != "[vsyscall]") | .size] | add' "$tmpdir/j.json")
[ "$got" = "$vmsize" ]
ok $? "sum of region sizes equals VmSize"
[ "$got" = "$vmsize" ] || diag "vmamap: $got bytes, VmSize: $vmsize bytes"

rss=$(awk '$1 == "Rss:" { print $2 * 1024 }' "/proc/$pid/smaps_rollup")
got=$(jq -r '[.vmas[] | select(.path != "[vsyscall]") | .rss] | add' "$tmpdir/x.json")
[ "$got" = "$rss" ]
ok $? "sum of rss under -x equals Rss of smaps_rollup"
[ "$got" = "$rss" ] || diag "vmamap: $got bytes, smaps_rollup: $rss bytes"

# ---------------------------------------------------------------- table
t=$tmpdir/table
vm --color=never "$pid" >"$t.never" 2>"$t.err"
ok $? "table (--color=never) exits 0"
! has_control "$t.never"
ok $? "table (--color=never) has no raw control byte"
iconv -f UTF-8 -t UTF-8 "$t.never" >/dev/null 2>&1
ok $? "table (--color=never) is valid UTF-8"
grep -qF '\x1b]0;pwned\x07\x1b[31mred\x1b[0m' "$t.never"
ok $? "table shows the ESC/OSC 0 name escaped (\\x1b]0;pwned\\x07...)"
grep -qF '\x1b]52;c;aGk=\x07' "$t.never"
ok $? "table shows the OSC 52 name escaped"
grep -qF 'bad-\xff\xfe-\x9b-\xc3' "$t.never"
ok $? "table shows invalid UTF-8 bytes as \\xNN"
grep -qF 'new\x0aline' "$t.never"
ok $? "table shows the newline in a name as \\x0a"
grep -qF 'tab\x09name' "$t.never"
ok $? "table shows the tab in a name as \\x09"
if $stacks; then
	for l in "${thread_labels[@]}"; do
		grep -qE " stack  \[stack:${tid[$l]}\]\$" "$t.never"
		ok $? "table labels the $l stack [stack:${tid[$l]}]"
	done
	grep -qE ' stack  \[stack\]$' "$t.never"
	ok $? "table keeps the name [stack] of the main thread's stack"
else
	skip "table labels thread stacks [stack:TID]" "task/TID/syscall cannot be read"
fi

vm --color=always "$pid" >"$t.always" 2>"$t.err"
ok $? "table (--color=always) exits 0"
LC_ALL=C grep -qP '\x1b\[[0-9;]*m' "$t.always"
ok $? "table (--color=always) has SGR colour sequences"
LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$t.always" >"$t.stripped"
! LC_ALL=C grep -qP '\x1b' "$t.stripped" && ! has_control "$t.stripped"
ok $? "table (--color=always) has no control byte but SGR sequences"
iconv -f UTF-8 -t UTF-8 "$t.always" >/dev/null 2>&1
ok $? "table (--color=always) is valid UTF-8"

# ---------------------------------------------------------------- others
vm self >/dev/null 2>"$tmpdir/self.err"
ok $? "vmamap self exits 0"
vm "$$" >/dev/null 2>"$tmpdir/shell.err"
ok $? "vmamap on the test shell's PID exits 0"

# Name resolution: a copy of the helper under a unique name (comm <= 15 chars).
probe=vmprobe$$
mkdir -p "$tmpdir/bin" "$tmpdir/cwd"
cp "$MAPPER" "$tmpdir/bin/$probe"
if start_idle "$tmpdir/bin/$probe" p; then
	ppid_=$helper_pid
	# run from an empty directory: NAME must not be taken for a file there
	(cd "$tmpdir/cwd" && vm --json "$probe") >"$tmpdir/probe.json" 2>"$tmpdir/probe.err"
	rc=$?
	got=$(jq -r '.source.pid' "$tmpdir/probe.json" 2>/dev/null)
	[ "$rc" -eq 0 ] && [ "$got" = "$ppid_" ]
	ok $? "vmamap --json NAME finds the process by name"
	[ "$rc" -eq 0 ] && [ "$got" = "$ppid_" ] ||
		diag "exit $rc, source.pid '$got', want $ppid_" "$(cat "$tmpdir/probe.err")"
	# libproc2 is opened on first use: by the name lookup, never by a
	# table of a PID (ld.so's LD_DEBUG=libs says what it loads).
	(cd "$tmpdir/cwd" && LD_DEBUG=libs vm "$probe") >/dev/null 2>"$tmpdir/ld.name"
	grep -q 'calling init: .*/libproc2\.so' "$tmpdir/ld.name"
	ok $? "vmamap NAME opens libproc2 to find the process"
	LD_DEBUG=libs vm "$ppid_" >"$tmpdir/ld.out" 2>"$tmpdir/ld.pid"
	rc=$?
	[ "$rc" -eq 0 ] && grep -q 'calling init' "$tmpdir/ld.pid" &&
		grep -q "^$ppid_: " "$tmpdir/ld.out" &&
		! grep -q 'libproc2' "$tmpdir/ld.pid"
	ok $? "vmamap PID never loads libproc2"
	[ "$rc" -eq 0 ] || diag "exit $rc"
	stop_helper "$ppid_"
else
	ok 1 "vmamap --json NAME finds the process by name"
	diag "the renamed helper did not start:" "$(cat "$tmpdir/p.err")"
fi
(cd "$tmpdir/cwd" && vm "vmnomatch$$") >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ]
ok $? "a process name that matches nothing exits 3"
[ "$rc" -eq 3 ] || diag "exit $rc"

# A process that has gone away.
stop_helper "$pid"
ok $? "mapper exits 0 on SIGTERM"
vm "$pid" >/dev/null 2>"$tmpdir/gone.err"
rc=$?
[ "$rc" -eq 3 ]
ok $? "vmamap on a PID that is gone exits 3"
[ "$rc" -eq 3 ] || diag "exit $rc"
[ "$(wc -l <"$tmpdir/gone.err")" -eq 1 ]
ok $? "... with exactly one line on stderr"
[ "$(wc -l <"$tmpdir/gone.err")" -eq 1 ] || diag "stderr:" "$(cat "$tmpdir/gone.err")"

tap_done
