#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lifecycle.sh - a target that dies, turns into a zombie or another program,
# or may not be read, before, during and after vmamap reads it.  "During"
# is exact: the pauseread.so shim stops vmamap between two pages of maps
# while the test acts on the churn helper.  Each case gives its message
# and exit status and never a partial map shown as whole.  Permissions:
# another user's process (run as nobody with setpriv), hidepid (a proc
# mounted with it in a private mount namespace), and a proc tree whose
# smaps cannot be read while maps can.  Needs jq.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
. "$srcdir/tests/lib.sh"

: "${CHURN:?CHURN must point at tests/helper/churn}"
: "${PAUSEREAD:?PAUSEREAD must point at tests/helper/pauseread.so}"

if ! command -v jq > /dev/null; then
	skip "process lifecycle" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

cp=
zp=
cleanup() {
	exec 8>&- 6>&- 7>&-
	[ -n "$cp" ] && kill -KILL "$cp" 2> /dev/null
	[ -n "$zp" ] && kill -KILL "$zp" 2> /dev/null
	wait 2> /dev/null
	tm kill-server 2> /dev/null
	rm -rf "$tmpdir"
}
tm() { :; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# spawn [zombie]: start "churn -n 200" (a map of several pages) reading
# commands from a fifo held open on fd 8; sets $cp.  With "zombie" its
# parent is a sleep ($zp) that never reaps it: when it exits it stays a
# zombie.  Returns 1 if it is not ready within 10 s.
spawn() {
	local i
	exec 8>&-
	[ -n "$cp" ] && kill -KILL "$cp" 2> /dev/null
	[ -n "$zp" ] && kill -KILL "$zp" 2> /dev/null
	wait 2> /dev/null
	rm -f "$tmpdir/cmd" "$tmpdir/c.out" "$tmpdir/c.out.pid"
	mkfifo "$tmpdir/cmd"
	zp=
	if [ "${1:-}" = zombie ]; then
		bash -c '"$1" -n 200 <&3 > "$2" & echo "$!" > "$2.pid"; exec sleep 600' \
			_ "$CHURN" "$tmpdir/c.out" 3< "$tmpdir/cmd" &
		zp=$!
	else
		"$CHURN" -n 200 < "$tmpdir/cmd" > "$tmpdir/c.out" &
		cp=$!
	fi
	exec 8> "$tmpdir/cmd"
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' "$tmpdir/c.out" 2> /dev/null &&
			{ [ -z "$zp" ] || [ -s "$tmpdir/c.out.pid" ]; } && break
		sleep 0.1
	done
	[ -n "$zp" ] && cp=$(cat "$tmpdir/c.out.pid")
	grep -q '^ready' "$tmpdir/c.out" && [ -n "$cp" ]
}

# until_true CMD...: poll CMD for up to 10 s.
until_true() {
	local i
	for ((i = 0; i < 200; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
is_zombie() { grep -q '^State:.Z' "/proc/$cp/status" 2> /dev/null; }
is_sleep() { [ "$(cat "/proc/$cp/comm" 2> /dev/null)" = sleep ]; }

# one_line CODE PATTERN: the last run exited CODE with one stderr line
# matching PATTERN and nothing on stdout.
one_line() {
	[ "$rc" -eq "$1" ] && [ ! -s "$tmpdir/out" ] && [ "$(wc -l < "$tmpdir/err")" -eq 1 ] &&
		grep -qE -- "$2" "$tmpdir/err" || {
		diag "exit $rc; stderr: $(head -c 300 "$tmpdir/err")"
		return 1
	}
}
try() {
	"$VMAMAP" "$@" > "$tmpdir/out" 2> "$tmpdir/err" < /dev/null
	rc=$?
}

# ------------------------------------------------------------ before
spawn
echo exit >&8
wait "$cp"
try "$cp"
one_line 3 "^vmamap: pid $cp: no such process \(/proc/$cp\)\$"
ok $? "exited and reaped before the read: exit 3, no such process"
try --json -x "$cp"
one_line 3 "^vmamap: pid $cp: no such process"
ok $? "... the same with --json -x, and nothing on stdout"

spawn zombie
echo exit >&8
until_true is_zombie
ok $? "a child that exits unreaped is a zombie"
try "$cp"
one_line 3 "^vmamap: pid $cp: no user address space \(zombie process\)\$"
ok $? "a zombie: exit 3, no user address space (zombie process)"
try -s --json "$cp"
one_line 3 "^vmamap: pid $cp: no user address space \(zombie process\)\$"
ok $? "... the same with -s --json"

if [ -r /proc/2/status ] && grep -q '^Kthread:.1' /proc/2/status; then
	try -x --json 2
	one_line 3 '^vmamap: pid 2: no user address space \(kernel thread\)$'
	ok $? "a kernel thread (pid 2, empty maps): exit 3, no user address space (kernel thread)"
else
	skip "a kernel thread" "pid 2 is not a kernel thread here"
fi

# ------------------------------------------------------------ during
if ! shim_ready; then
	skip "exits, execs during the read" "vmamap is built with a sanitizer (no LD_PRELOAD)"
else
	# paused FILE AT ACTION ARGS...: vmamap ARGS $cp, stopped before its
	# read() number AT of FILE; there ACTION runs, then vmamap goes on.
	paused() {
		local file=$1 at=$2 action=$3
		shift 3
		shim_run "$file:$at" "$@" "$cp"
		shim_paused || diag "vmamap did not stop at $file read $at"
		"$action"
		shim_go
		shim_done
		mv "$tmpdir/p/out" "$tmpdir/out"
		mv "$tmpdir/p/err" "$tmpdir/err"
	}
	exit_unreaped() { echo exit >&8; until_true is_zombie; }
	kill_reap() { kill -KILL "$cp"; wait "$cp" 2> /dev/null; }
	do_exec() { echo exec >&8; until_true is_sleep; }

	spawn zombie
	[ "$(wc -c < "/proc/$cp/maps")" -gt 8192 ]
	ok $? "the helper's maps is more than two pages"
	paused maps 1 exit_unreaped
	one_line 3 "^vmamap: pid $cp: process exited while being read\$"
	ok $? "exits (a zombie) between two pages of maps: exit 3, nothing on stdout"

	spawn zombie
	paused smaps 2 exit_unreaped -x --json
	one_line 3 "^vmamap: pid $cp: process exited while being read\$"
	ok $? "... of smaps, with --json: the same"

	spawn
	paused maps 1 kill_reap
	one_line 3 "^vmamap: pid $cp: process exited while being read \(/proc/$cp/maps\)\$"
	ok $? "killed and reaped between two pages: exit 3, nothing on stdout"

	spawn
	paused smaps 1 kill_reap -s
	one_line 3 "^vmamap: pid $cp: process exited while being read"
	ok $? "... with -s: the same"

	spawn
	own=$(readlink -f "$CHURN")
	sleep_bin=$(readlink -f /bin/sleep)
	paused maps 1 do_exec --json
	[ "$rc" -eq 0 ] && [ ! -s "$tmpdir/err" ] &&
		jq -e --arg s "$sleep_bin" --arg o "$own" '.source.comm == "sleep" and .torn == false and
			any(.vmas[]; .path == $s) and all(.vmas[]; .path != $o)' "$tmpdir/out" > /dev/null &&
		[ "$(jq '.vmas | length' "$tmpdir/out")" -eq "$(grep -c '' "/proc/$cp/maps")" ]
	ok $? "execs between two pages: the new program's map, whole (exit 0), none of the old"
	[ "$rc" -eq 0 ] || diag "exit $rc: $(cat "$tmpdir/err")"

	spawn
	n=$(grep -c '' "/proc/$cp/maps")
	paused comm 0 kill_reap
	[ "$rc" -eq 0 ] && [ ! -s "$tmpdir/err" ] &&
		[ "$(grep -c '^[0-9a-f]*-' "$tmpdir/out")" -eq "$n" ] && grep -q "^total: $n regions" "$tmpdir/out"
	ok $? "killed after its map was read: the map read is shown whole ($n regions), exit 0"
fi

# ------------------------------------------------------------ --live, PID reused
if command -v tmux > /dev/null; then
	# shellcheck source=tests/tmux.sh
	. "$srcdir/tests/tmux.sh"
	mkdir -p "$tmpdir/fake"
	cp -R "$srcdir/tests/data/proc/4242" "$tmpdir/fake/"
	tmux_session 160 40
	run --live -d 0.1 --proc-root "$tmpdir/fake" 4242
	wait_for '^pid 4242 '
	sed 's/^\(\([^ ]* \)\{21\}\)[0-9]*/\1777777/' "$tmpdir/fake/4242/stat" > "$tmpdir/stat.new" &&
		mv "$tmpdir/stat.new" "$tmpdir/fake/4242/stat"
	wait_for 'pid 4242 was reused by another process \(its start time changed\): stopped' 5 &&
		screen | grep -qE '^. 0*[0-9a-f]+-[0-9a-f]+ '
	ok $? "--live: the PID reused (a new start time) stops the reads, says so, keeps the last map"
	keys q
	wait_for '^EXIT=0$' 5
	ok $? "... q quits with status 0"
else
	skip "--live, PID reused" "tmux is not installed"
fi

# ------------------------------------------------------------ permissions
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv > /dev/null ||
	! nobody "$VMAMAP" --version > /dev/null 2>&1; then
	skip "permissions" "needs root, setpriv, and a vmamap that nobody can run"
	tap_done
	exit
fi
chmod 755 "$tmpdir"
spawn
run_nobody() {
	nobody "$VMAMAP" "$@" > "$tmpdir/out" 2> "$tmpdir/err" < /dev/null
	rc=$?
}
run_nobody "$cp"
one_line 4 "^vmamap: pid $cp: permission denied reading /proc/$cp/maps \(needs ptrace access: same user, or root/CAP_SYS_PTRACE\)\$"
ok $? "another user's process (maps is mode 0444, open gives EACCES): exit 4, what access is needed"
run_nobody -x --json "$cp"
one_line 4 "^vmamap: pid $cp: permission denied reading /proc/$cp/maps"
ok $? "... with -x --json: smaps is tried, then maps: the same, nothing on stdout"

# hidepid, on a proc of our own in a private mount namespace
mkdir "$tmpdir/hp"
hide() {
	unshare --mount --propagation private sh -c \
		'mount -t proc -o "hidepid=$1" proc "$2" && shift 2 && exec "$@"' \
		_ "$1" "$tmpdir/hp" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$VMAMAP" --proc-root "$tmpdir/hp" "$cp" \
		> "$tmpdir/out" 2> "$tmpdir/err" < /dev/null
	rc=$?
}
if unshare --mount --propagation private sh -c "mount -t proc proc '$tmpdir/hp'" 2> /dev/null; then
	hide 2
	one_line 3 "^vmamap: pid $cp: no such process, or hidden from this user \($tmpdir/hp is mounted with hidepid=2\)\$"
	ok $? "hidepid=2: exit 3, the process may be hidden"
	hide 1
	one_line 4 "^vmamap: pid $cp: permission denied opening $tmpdir/hp/$cp \($tmpdir/hp is mounted with hidepid=1: only your own processes can be read\)\$"
	ok $? "hidepid=1: exit 4, only your own processes"
else
	skip "hidepid" "cannot mount proc in a private mount namespace"
fi

# maps readable, smaps not: a captured tree whose smaps only root can read
cp -R "$srcdir/tests/data/proc" "$tmpdir/ro"
chmod -R a+rX "$tmpdir/ro"
chmod 000 "$tmpdir/ro/4242/smaps"
maps_n=$(grep -c '' "$tmpdir/ro/4242/maps")
warning='^vmamap: warning: pid 4242: maps readable, smaps not \(permission denied\): RSS, PSS, DIRTY and SWAP left out$'
run_nobody -x --proc-root "$tmpdir/ro" 4242
[ "$rc" -eq 0 ] && [ "$(wc -l < "$tmpdir/err")" -eq 1 ] && grep -qE "$warning" "$tmpdir/err" &&
	grep -q ' PATH$' "$tmpdir/out" && ! grep -q ' RSS ' "$tmpdir/out" &&
	[ "$(grep -c '^[0-9a-f]*-' "$tmpdir/out")" -eq "$maps_n" ]
ok $? "-x, smaps unreadable: the table from maps without the RSS columns, one warning, exit 0"
run_nobody -x --json --proc-root "$tmpdir/ro" 4242
[ "$rc" -eq 0 ] && grep -qE "$warning" "$tmpdir/err" &&
	jq -e '.source.format == "maps" and all(.vmas[]; has("rss") | not)' "$tmpdir/out" > /dev/null
ok $? "... --json: format \"maps\", no rss, the same warning"
run_nobody --sort rss --proc-root "$tmpdir/ro" 4242
one_line 4 '^vmamap: pid 4242: --sort rss needs smaps, which cannot be read \(Permission denied\)$'
ok $? "... --sort rss cannot do without smaps: exit 4, one line"
run_nobody -s --proc-root "$tmpdir/ro" 4242
[ "$rc" -eq 0 ] && grep -qE "$warning" "$tmpdir/err" && grep -q '^total_vm ' "$tmpdir/out"
ok $? "... -s: the summary from maps, with the warning"
run_nobody --watch -x -n 1 -d 0.1 --proc-root "$tmpdir/ro" 4242
[ "$rc" -eq 0 ] && [ "$(wc -l < "$tmpdir/err")" -eq 1 ] && grep -qE "$warning" "$tmpdir/err" &&
	grep -q ' watching 4242: ' "$tmpdir/out"
ok $? "... --watch -x: watches the maps, the warning once"
if command -v tmux > /dev/null; then
	text "clear; setpriv --reuid=65534 --regid=65534 --clear-groups '$VMAMAP' --live -x -d 0.2 -n 3 --proc-root '$tmpdir/ro' 4242; echo EXIT=\$?"
	keys Enter
	wait_for 'smaps cannot be read \(permission denied\): no RSS, PSS, DIRTY, SWAP' 5 &&
		wait_for '^EXIT=0$' 5
	ok $? "... --live -x: the map without the smaps columns, the status line says why"
else
	skip "--live -x, smaps unreadable" "tmux is not installed"
fi
rm "$tmpdir/ro/4242/smaps"
try -x --proc-root "$tmpdir/ro" 4242
[ "$rc" -eq 0 ] && [ "$(wc -l < "$tmpdir/err")" -eq 1 ] &&
	grep -q '^vmamap: warning: pid 4242: maps readable, smaps not (no smaps file): ' "$tmpdir/err"
ok $? "a captured tree without smaps: the same, 'no smaps file'"

tap_done
