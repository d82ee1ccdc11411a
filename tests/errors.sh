#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# errors.sh - every bad input gives one clear line on stderr, the
# documented exit code, and nothing on stdout.
. "$srcdir/tests/lib.sh"

cd "$srcdir/tests" || exit 99

# Malformed saved files: exit 5, "FILE:LINE: what".
expect 5 '^vmamap: data/bad/garbage.maps:1: not a maps or smaps line$' data/bad/garbage.maps
expect 5 'badperm.maps:1: bad permissions' data/bad/badperm.maps
expect 5 'backwards.maps:1: end address not above start' data/bad/backwards.maps
expect 5 'noinode.maps:1: bad inode' data/bad/noinode.maps
expect 5 'biginode.maps:1: bad inode' data/bad/biginode.maps
expect 5 'baddev.maps:1: bad device' data/bad/baddev.maps
expect 5 'longaddr.maps:1: bad start address' data/bad/longaddr.maps
expect 5 'truncated.maps:2: last line has no newline' data/bad/truncated.maps
expect 5 'blank-line.maps:2: empty line' data/bad/blank-line.maps
expect 5 'empty.maps: empty file' data/bad/empty.maps
expect 5 'key-first.smaps:1: smaps field before the first region' data/bad/key-first.smaps
expect 5 'badvalue.smaps:3: bad smaps value' data/bad/badvalue.smaps
expect 5 'dupkey.smaps:4: duplicate smaps key' data/bad/dupkey.smaps
expect 5 'truncated.smaps:27: smaps record ends early' data/bad/truncated.smaps

# Malformed JSON snapshots: exit 5, "FILE: JSON.PATH: what" (or, for bad
# syntax, "FILE:LINE:COLUMN: what" from src/jread.c).
expect 5 '^vmamap: data/bad/snapshot.json: missing "vmas"$' data/bad/snapshot.json
expect 5 '^vmamap: data/bad/syntax.json:2:24: ' data/bad/syntax.json
expect 5 '^vmamap: data/bad/truncated.json:[0-9]+:[0-9]+: premature end of input' data/bad/truncated.json
expect 5 '^vmamap: data/bad/newer-schema.json: snapshot schema version 2 is newer than this vmamap reads \(1\); upgrade vmamap$' data/bad/newer-schema.json
expect 5 '^vmamap: data/bad/diff.json: a vmamap diff document, not a snapshot$' data/bad/diff.json
expect 5 "^vmamap: data/bad/two.json: holds 2 snapshots; pick one \\(jq '\\.\\[0\\]'\\)$" data/bad/two.json
expect 5 '^vmamap: data/bad/no-version.json: not a vmamap snapshot \(no "vmamap" key\)$' data/bad/no-version.json
expect 5 '^vmamap: data/bad/missing-end.json: vmas\[2\]: missing "end"$' data/bad/missing-end.json
expect 5 '^vmamap: data/bad/inode-string.json: vmas\[0\]\.inode: expected a non-negative integer$' data/bad/inode-string.json
expect 5 '^vmamap: data/bad/real-rss.json: vmas\[0\]\.rss: expected a non-negative integer$' data/bad/real-rss.json
expect 5 '^vmamap: data/bad/negative-pid.json: source\.pid: expected a non-negative integer$' data/bad/negative-pid.json
expect 5 '^vmamap: data/bad/bad-perms.json: vmas\[0\]\.perms: expected 4 characters like "r-xp"$' data/bad/bad-perms.json
expect 5 '^vmamap: data/bad/backwards.json: vmas\[0\]\.end: end address not above start address$' data/bad/backwards.json
expect 5 '^vmamap: data/bad/bad-address.json: vmas\[3\]\.start: expected an address string "0x\.\.\."$' data/bad/bad-address.json
expect 5 '^vmamap: data/bad/bad-dev.json: vmas\[0\]\.dev: expected a device string "MM:mm" in hex$' data/bad/bad-dev.json
expect 5 '^vmamap: data/bad/duplicate-key.json:2:[0-9]+: duplicate object key' data/bad/duplicate-key.json
printf '[]\n' > "$tmpdir/empty-array.json"
expect 5 'empty-array.json: an empty array, not a snapshot$' "$tmpdir/empty-array.json"
head -c 100000 /dev/zero | tr '\0' '[' > "$tmpdir/deep.json"
expect 5 'deep.json:1:[0-9]+: maximum parsing depth reached' "$tmpdir/deep.json"
STDIN=data/bad/missing-end.json expect 5 '^vmamap: <stdin>: vmas\[2\]: missing "end"$' -
# --diff of two files loads them at once: the message is OLD's when both
# fail, NEW's when only NEW does, one line either way.
expect 5 '^vmamap: data/bad/syntax.json:2:24: ' --diff data/bad/syntax.json data/bad/truncated.json
expect 5 '^vmamap: data/bad/missing-end.json: vmas\[2\]: missing "end"$' --diff data/bad/missing-end.json data/bad/garbage.maps
expect 5 '^vmamap: data/bad/truncated.json:[0-9]+:[0-9]+: premature end of input' --diff data/special.maps data/bad/truncated.json
STDIN=data/bad/garbage.maps expect 5 '^vmamap: <stdin>:1: not a maps' -
STDIN=data/bad/garbage.maps expect 5 '^vmamap: <stdin>:1: not a maps' --file -

# A hostile file name in a message is escaped too.
evil="$tmpdir/evil$(printf '\033')[31m.maps"
printf 'garbage\n' > "$evil"
expect 5 'evil\\x1b\[31m\.maps:1: not a maps' "$evil"

# Targets that do not exist: exit 3.
expect 3 'does-not-exist.maps: No such file' data/bad/does-not-exist.maps
expect 3 "'vmamap-no-such-proc': no such process or file" vmamap-no-such-proc
expect 3 'pid 4243: no such process' --proc-root data/proc 4243
expect 3 'no such process' --pid 4194000
expect 3 'self: ' --proc-root "$tmpdir" self

# Usage errors: exit 2.
expect 2 'no target given'
expect 2 "standard input \\('-'\\) can be used once" - -
expect 2 "standard input \\('-'\\) can be used once" --addr - -
expect 2 '--ndjson goes with --json' --ndjson data/special.maps
expect 2 '--gaps shows holes in address order' -g -S size data/special.maps
expect 2 '--summary and --addr are separate views' -s -a 0 data/special.maps
expect 2 '--diff compares two targets: OLD NEW' --diff data/special.maps
expect 2 '--diff compares two targets: OLD NEW' --diff data/special.maps data/special.maps data/special.maps
expect 2 '--diff and --watch do not go with --summary' --diff -s data/special.maps data/special.maps
expect 2 '--diff and --watch do not go with' --diff -g data/special.maps data/special.maps
expect 2 '--diff writes one document: not --ndjson' --diff --json --ndjson data/special.maps data/special.maps
expect 2 '--all-regions goes with --diff' --all-regions data/special.maps
expect 2 '--diff and --watch are separate views' --diff --watch data/special.maps data/special.maps
expect 2 '--live, --diff and --watch are separate views' --live --watch data/special.maps
expect 2 '--live does not go with --json' --live --json data/special.maps
expect 2 '--live shows one target' --live data/special.maps data/special.maps
expect 2 'the target cannot be' --live -
expect 2 '--live draws on a terminal' --live data/special.maps
expect 2 '--delay and --iterations go with --watch or --live' -n 2 data/special.maps
# --all, --who-maps, --format.
expect 2 'no TARGET' --all data/special.maps
expect 2 '--all and --who-maps are separate views' --all --who-maps x
expect 2 'do not go with --diff' --all --diff
expect 2 'do not go with --diff' --who-maps x -s
expect 2 'do not go with --diff' --format=openmetrics -g data/special.maps
expect 2 'do not go with --class' --all -c heap
expect 2 'do not go with --class' --format=openmetrics --ndjson data/special.maps
expect 2 '--who-maps has no OpenMetrics format' --who-maps x --format=openmetrics
expect 2 'openmetrics has no order' --format=openmetrics -S size data/special.maps
expect 2 "unknown format 'xml'" --format=xml data/special.maps
expect 2 '--json and --format=table disagree' --json --format=table data/special.maps
expect 2 "unknown sort key 'start' \\(pid, comm, regions, size, rss, pss, swap or a class name\\)" --all -S start
expect 2 "unknown sort key 'heap' \\(pid, comm, regions, size, rss, pss, swap\\)$" --who-maps x -S heap
expect 2 "option '--who-maps' requires an argument" --who-maps
expect 3 'no-such-dir: cannot list processes' --all --proc-root data/no-such-dir
expect 3 'no-such-dir: cannot list processes' --who-maps x --proc-root data/no-such-dir
expect 2 'has no smaps fields' --format=openmetrics -x data/special.maps
# --diff: trouble with either side is the foundation's exit code, not 1.
expect 5 'garbage.maps:1: not a maps' --diff data/special.maps data/bad/garbage.maps
expect 3 'No such file' --diff data/bad/does-not-exist.maps data/special.maps
expect 3 'pid 4243: no such process' --diff --proc-root data/proc 4242 4243

# Several targets: each shown; a failing one reports its error, the others
# still print, and the exit status is that of the first failure.
"$VMAMAP" --color=never data/x86-32.maps data/bad/garbage.maps data/special.maps vmamap-no-such-proc > "$tmpdir/out" 2> "$tmpdir/err"
[ $? -eq 5 ]
ok $? "several targets: the exit status is the first failure's (5)"
[ "$(grep -c '^total: ' "$tmpdir/out")" -eq 2 ] && [ "$(wc -l < "$tmpdir/err")" -eq 2 ] &&
	grep -q 'garbage.maps:1: not a maps' "$tmpdir/err" &&
	grep -q "'vmamap-no-such-proc': no such process" "$tmpdir/err"
ok $? "several targets: the good ones print, each bad one has one error line"
"$VMAMAP" --json data/x86-32.maps data/bad/garbage.maps data/special.maps > "$tmpdir/out" 2> /dev/null
[ $? -eq 5 ] && [ "$(jq length "$tmpdir/out")" = 2 ]
ok $? "several targets with --json: a valid array of the good documents, exit 5"
"$VMAMAP" --json --ndjson data/bad/garbage.maps data/x86-32.maps data/special.maps > "$tmpdir/out" 2> /dev/null
[ $? -eq 5 ] && [ "$(wc -l < "$tmpdir/out")" -eq 2 ] && jq -e .vmamap "$tmpdir/out" > /dev/null
ok $? "several targets with --ndjson: one valid document per line, exit 5"

# Malformed addresses: one line each naming it, the rest still answered,
# the count at the end, exit 5.
printf '0x08048010\nzzz\n0x0804a000-0x08049000\n0xffbd2000\n' > "$tmpdir/addrs"
"$VMAMAP" -a - data/x86-32.maps < "$tmpdir/addrs" > "$tmpdir/out" 2> "$tmpdir/err"
[ $? -eq 5 ]
ok $? "--addr - with malformed lines exits 5"
[ "$(wc -l < "$tmpdir/out")" -eq 2 ] &&
	grep -q "^vmamap: <stdin>:2: bad address 'zzz': not hex$" "$tmpdir/err" &&
	grep -q "^vmamap: <stdin>:3: bad address '0x0804a000-0x08049000': range end not above its start$" "$tmpdir/err" &&
	grep -q '^vmamap: 2 malformed addresses$' "$tmpdir/err" && [ "$(wc -l < "$tmpdir/err")" -eq 3 ]
ok $? "--addr -: good lines answered, each bad one named, count at the end"
# Forty lines, three malformed: numbering and order hold.
for i in $(seq 1 40); do
	case $i in 5 | 17 | 33) echo "zz$i" ;; *) echo 0x08048010 ;; esac
done > "$tmpdir/addrs"
"$VMAMAP" -a - data/x86-32.maps < "$tmpdir/addrs" > "$tmpdir/out" 2> "$tmpdir/err"
[ $? -eq 5 ] && [ "$(wc -l < "$tmpdir/out")" -eq 37 ] &&
	[ "$(grep -o '<stdin>:[0-9]*' "$tmpdir/err" | tr '\n' ' ')" = "<stdin>:5 <stdin>:17 <stdin>:33 " ] &&
	[ "$(sort -u "$tmpdir/out" | wc -l)" -eq 1 ]
ok $? "--addr - over 40 lines: bad lines 5, 17, 33 named in order, 37 answers"
"$VMAMAP" -a 0x1g data/x86-32.maps > "$tmpdir/out" 2> "$tmpdir/err"
[ $? -eq 5 ] && [ ! -s "$tmpdir/out" ] &&
	grep -q "^vmamap: bad address '0x1g': junk after the hex number$" "$tmpdir/err"
ok $? "a malformed --addr exits 5 naming it"
evil_addr="$(printf '\033[2J')"
"$VMAMAP" -a "$evil_addr" data/x86-32.maps > /dev/null 2> "$tmpdir/err"
! has_control "$tmpdir/err" && grep -q 'x1b\[2J' "$tmpdir/err"
ok $? "a malformed address with escape sequences is escaped in the message"
expect 2 "unknown class 'code'" --class text,code data/special.maps
expect 2 "unknown sort key 'name'" --sort name data/special.maps
expect 2 "--color: unknown value 'sometimes'" --color=sometimes data/special.maps
expect 2 "invalid PID 'abc'" --pid abc
expect 2 "invalid PID '0'" 0
expect 2 "^vmamap: unrecognized option '--no-such-option'$" --no-such-option data/special.maps
expect 2 "^vmamap: unrecognized option '-Z'$" -Z data/special.maps
expect 2 "^vmamap: option '--class' requires an argument$" --class
expect 2 "^vmamap: option '-p' requires an argument$" -p
expect 2 "^vmamap: option '--json' doesn't allow an argument$" --json=yes data/special.maps
expect 2 'has no smaps fields: -x and --sort rss need' -x data/special.maps

# --diff and --watch: bad values and combinations, before anything is read.
expect 2 "^vmamap: --delay: '0' is not a number of seconds above 0" --watch -d 0 $$
expect 2 "^vmamap: --delay: 'abc' is not a number of seconds" --watch -d abc $$
expect 2 "^vmamap: --delay: '-1' is not a number of seconds" --watch --delay=-1 $$
expect 2 "^vmamap: --iterations: '0' is not a count above 0" --watch -n 0 $$
expect 2 "^vmamap: --iterations: 'x' is not a count above 0" --watch -n x $$
expect 2 "^vmamap: --iterations: ' -5' is not a count above 0" --watch -n ' -5' $$
expect 2 "^vmamap: --iterations: '\+5' is not a count above 0" --watch -n +5 $$
expect 2 'garbage.maps: --watch follows a live process, not a saved file' --watch data/bad/garbage.maps
expect 2 'nonexist.maps: --watch follows a live process, not a saved file' --watch data/bad/nonexist.maps
STDIN=/dev/null expect 2 '^vmamap: -: --watch follows a live process' --watch -
expect 2 'data/special.maps: --watch follows a live process, not a saved file' --watch data/special.maps
expect 2 '^vmamap: --watch follows one process$' --watch $$ $$
expect 2 '^vmamap: --diff compares two targets: OLD NEW$' --diff data/special.maps
expect 2 '^vmamap: --diff and --watch are separate views$' --diff --watch data/special.maps data/special.maps
expect 2 '^vmamap: --all-regions goes with --diff$' --all-regions data/special.maps
expect 2 '^vmamap: --diff writes one document: not --ndjson$' --diff --json --ndjson data/special.maps data/special.maps
expect 2 'has no smaps fields: -x and --sort rss need' --sort rss data/special.maps

# Permission denied: exit 4 (a maps file we cannot open as this user).
if [ "$(id -u)" -ne 0 ]; then
	cp data/special.maps "$tmpdir/secret.maps"
	chmod 000 "$tmpdir/secret.maps"
	expect 4 'Permission denied' "$tmpdir/secret.maps"
else
	mkdir -p "$tmpdir/proc/77"
	ln -s /proc/1/maps "$tmpdir/proc/77/maps"
	if ! cat /proc/1/maps > /dev/null 2>&1; then
		expect 4 'pid 77: permission denied reading' --proc-root "$tmpdir/proc" 77
	else
		skip "permission denied" "root with CAP_SYS_PTRACE can read everything"
		skip "permission denied message" "root with CAP_SYS_PTRACE"
	fi
fi

# A kernel thread has no address space: exit 3 with the reason.
if [ -r /proc/2/status ] && ! grep -q VmSize /proc/2/status; then
	expect 3 'pid 2: no user address space \(kernel thread\)' 2
else
	skip "kernel thread" "no kernel thread at PID 2 here"
	skip "kernel thread message" "no kernel thread at PID 2 here"
fi

# Warnings: exit 0, the table on stdout, one warning line on stderr.
warns() {
	local pat=$1
	shift
	"$VMAMAP" "$@" > "$tmpdir/out" 2> "$tmpdir/err" < /dev/null
	ok $? "vmamap $* exits 0"
	grep -qE -- "$pat" "$tmpdir/err" && [ "$(wc -l < "$tmpdir/err")" -eq 1 ] &&
		grep -q '^total: ' "$tmpdir/out"
	ok $? "vmamap $*: prints the map and one warning /$pat/"
}
warns '^vmamap: warning: the process changed while it was read' --proc-root data/torn-proc 77
"$VMAMAP" --json --proc-root data/torn-proc 77 > "$tmpdir/torn.json" 2> /dev/null
warns '^vmamap: warning: regions overlap or are out of order' "$tmpdir/torn.json"
expect 5 '^vmamap: data/bad/torn.maps:[0-9]+: region overlaps or comes before the one on line [0-9]+ ' data/bad/torn.maps
"$VMAMAP" -s --proc-root data/hidden-proc 4242 > "$tmpdir/out" 2> "$tmpdir/err"
ok $? "a summary whose counters disagree still exits 0"
grep -q "^vmamap: warning: the kernel's counters and the regions disagree (marked MISMATCH)$" "$tmpdir/err" &&
	[ "$(wc -l < "$tmpdir/err")" -eq 1 ] &&
	grep -q '^total_vm .* MISMATCH -335872 ' "$tmpdir/out"
ok $? "... the mismatch is marked with its difference and warned about once"
grep -q '^start_code    hidden ' "$tmpdir/out" && ! grep -q '^start_code .*0x0000' "$tmpdir/out"
ok $? "layout fields the kernel hides are said to be hidden, not printed as 0"

# A process name that matches several processes: exit 2, listing each.
mkdir -p "$tmpdir/dup/100" "$tmpdir/dup/101"
for p in 100 101; do
	cp data/proc/4242/maps data/proc/4242/status data/proc/4242/stat "$tmpdir/dup/$p/"
	printf 'worker\n' > "$tmpdir/dup/$p/comm"
	printf '/usr/sbin/worker\0--id\0%s\0' "$p" > "$tmpdir/dup/$p/cmdline"
done
expect 2 "'worker' matches 2 processes: 10[01] \(/usr/sbin/worker --id 10[01]\), 10[01] \(/usr/sbin/worker --id 10[01]\); give a PID" --proc-root "$tmpdir/dup" worker
# A name longer than comm's 15 bytes is found through argv[0]'s basename.
mkdir -p "$tmpdir/long/300"
cp data/proc/4242/maps data/proc/4242/status data/proc/4242/stat "$tmpdir/long/300/"
printf 'averyveryverylo\n' > "$tmpdir/long/300/comm"
printf '/opt/bin/averyveryverylongname\0-v\0' > "$tmpdir/long/300/cmdline"
"$VMAMAP" --json --proc-root "$tmpdir/long" averyveryverylongname 2>&1 |
	grep -q '"pid": 300,'
ok $? "a long process name resolves through the basename of argv[0]"

# Lines longer than the read buffer (256 KiB) are read whole: a 600 KB path.
long=$(head -c 600000 /dev/zero | tr '\0' 'a')
{
	echo "00400000-00401000 r--p 00000000 08:01 1 /bin/x"
	echo "00401000-00402000 r--p 00000000 08:01 2 /$long"
	echo "00402000-00403000 r--p 00000000 08:01 3 /bin/y"
} > "$tmpdir/long.maps"
"$VMAMAP" --json "$tmpdir/long.maps" > "$tmpdir/long.json"
ok $? "a 600 KB line is parsed"
[ "$(jq -r '.vmas[1].path | length' "$tmpdir/long.json")" = 600001 ] &&
	[ "$(jq -r '.vmas[2].path' "$tmpdir/long.json")" = /bin/y ]
ok $? "... its path is kept whole and the next line is intact"

# Colour policy: never on a pipe in auto mode; --color=always wins over
# NO_COLOR; auto on a terminal colours unless NO_COLOR is set.
sgr() { grep -q "$(printf '\033')\[" "$1"; }
"$VMAMAP" data/special.maps > "$tmpdir/c1"
! sgr "$tmpdir/c1"
ok $? "no colour on a pipe by default"
NO_COLOR=1 "$VMAMAP" --color=always data/special.maps > "$tmpdir/c2"
sgr "$tmpdir/c2"
ok $? "--color=always colours even with NO_COLOR set"
if command -v script > /dev/null; then
	TERM=xterm script -qec "$VMAMAP data/special.maps" /dev/null > "$tmpdir/c3"
	sgr "$tmpdir/c3"
	ok $? "colour on a terminal by default"
	NO_COLOR=1 TERM=xterm script -qec "$VMAMAP data/special.maps" /dev/null > "$tmpdir/c4"
	! sgr "$tmpdir/c4"
	ok $? "NO_COLOR turns colour off on a terminal"
	TERM=xterm script -qec "$VMAMAP --color=never data/special.maps" /dev/null > "$tmpdir/c5"
	! sgr "$tmpdir/c5"
	ok $? "--color=never on a terminal"
else
	skip "colour on a terminal" "script(1) is not installed"
	skip "NO_COLOR on a terminal" "script(1) is not installed"
	skip "--color=never on a terminal" "script(1) is not installed"
fi

# --help and --version succeed and write to stdout.
"$VMAMAP" --help > "$tmpdir/help" 2>&1
ok $? "--help exits 0"
grep -q '^Usage: vmamap' "$tmpdir/help"
ok $? "--help prints the usage"
"$VMAMAP" --version > "$tmpdir/ver"
ok $? "--version exits 0"
grep -qE '^vmamap [0-9.]+ \(libproc2 [0-9.]+, ncursesw [0-9.]+\)$' "$tmpdir/ver"
ok $? "--version names vmamap, libproc2 and ncursesw versions"
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libproc2 ncursesw; then
	grep -qxF "vmamap $(sed -n 's/^PACKAGE_VERSION = //p' "$builddir/Makefile" 2>/dev/null) (libproc2 $(pkg-config --modversion libproc2), ncursesw $(pkg-config --modversion ncursesw))" "$tmpdir/ver"
	ok $? "--version: the package version and the libproc2 and ncursesw it was built with ($(cat "$tmpdir/ver"))"
else
	skip "--version: the versions built with" "pkg-config does not know libproc2 and ncursesw"
fi
tap_done
