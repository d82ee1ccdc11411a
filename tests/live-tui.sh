#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# live-tui.sh - vmamap --live on a real terminal: tmux runs it in a
# detached session of a fixed size on a private server, send-keys drives
# it and capture-pane reads the screen.  The target is the mapper helper,
# which maps and unmaps a region when told to on its standard input.
# Every wait polls the screen with a timeout; nothing sleeps for long.

# shellcheck source=tests/lib.sh disable=SC2154
. "$srcdir/tests/lib.sh"

: "${MAPPER:?MAPPER must point at the helper program tests/helper/mapper}"

if ! command -v tmux >/dev/null 2>&1; then
	skip "live map tests" "tmux is not installed (apt-get install tmux)"
	tap_done
	exit
fi
# shellcheck source=tests/tmux.sh
. "$srcdir/tests/tmux.sh"

if ! start_mapper; then
	ok 1 "mapper helper starts and reports ready"
	tap_done
	exit
fi
trap 'tm kill-server 2>/dev/null; kill $mapper 2>/dev/null;
	wait $mapper 2>/dev/null; rm -rf "$tmpdir"' EXIT

declare -A addr
while read -r a b _; do
	case $b in 0x*) addr[$a]=${b#0x} ;; esac
done <"$tmpdir/mapper.out"

tm new-session -d -s t -x 160 -y 50 "PS1='$ ' bash --norc --noprofile"
ok $? "tmux starts a 160x50 session"
wait_for '^\$' 5 || {
	tap_done
	exit
}

# ------------------------------------------------------------ not a tty
"$VMAMAP" --live "$mapper" >"$tmpdir/out" 2>"$tmpdir/err" </dev/null
rc=$?
[ "$rc" = 2 ] && grep -q 'terminal' "$tmpdir/err"
ok $? "--live with standard output not a terminal exits 2 (got $rc)"

# ------------------------------------------------------------ the map
run --live -d 0.5 "$mapper"
wait_for "^pid $mapper "
ok $? "the header shows the pid"
wait_for '^total_vm [0-9.]+[KMG]? +rss [0-9.]+[KMG]? +swap .* map_count [0-9]+'
ok $? "the header shows total_vm, rss, swap and map_count"
wait_for 'live +every 0.5s +read [0-9]{2}:[0-9]{2}:[0-9]{2}'
ok $? "the header shows the refresh interval and the time of the read"

for l in file memfd shanon guard rwx locked named; do
	case $l in
	file) cls=file ;;
	memfd | shanon) cls=shared ;;
	guard) cls=guard ;;
	*) cls=anon ;;
	esac
	if [ -z "${addr[$l]}" ]; then
		skip "$l region shows with class $cls" "the mapper did not map it"
		continue
	fi
	jump "${addr[$l]}" && wait_for "$(row_re "${addr[$l]}").* $cls( |\$)" 2
	ok $? "a jumps to the $l region, shown with class $cls"
done

go "$(printf '%x' $((0x${addr[guard]} + 0x10)))"
wait_for "in this region, at \+0x10 .*@${addr[guard]}\$" 3
ok $? "a with an address inside a region selects that region"

# ------------------------------------------------------------ search
keys /
text pwned
keys Enter
wait_for "^/pwned .*@${addr[esc]}\$" 3
ok $? "/ finds a path: the region of the file named with escapes"
screen | grep -qF 'esc\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x1b]52;c;aGk=\x07'
ok $? "the file name with ESC sequences is shown escaped as \\xNN"
title=$(tm display-message -p -t t '#{pane_title}')
[ "$title" != pwned ]
ok $? "the name's OSC sequence did not set the pane title (it is '$title')"
keys /
text c1-
keys Enter
wait_for "@${addr[c1utf8]}\$" 3 && screen | grep -qF 'c1-\xc2\x9b-end'
ok $? "a name with a C1 control shows it as \\xc2\\x9b"
keys N
wait_for "^\?c1- .*@${addr[c1utf8]}\$" 3
ok $? "N searches backwards (the only match again)"

# ------------------------------------------------------------ details
jump "${addr[file]}" >/dev/null
keys Enter
wait_for 'VM_READ' 5 && screen | grep -qE '^ +Rss +[0-9]+ kB'
ok $? "Enter opens the details: smaps fields and VmFlags by name"
keys Escape
wait_for "$(row_re "${addr[file]}")" 3
ok $? "Escape closes the details"

# ------------------------------------------------------------ views
keys c
wait_for 'class text ' 3
ok $? "c shows one class at a time"
for _ in $(seq 12); do
	keys c
	wait_for 'class [a-z]+ ' 1 >/dev/null
	screen | grep -q 'class all ' && break
done
screen | grep -q 'class all '
ok $? "c cycles back to all classes"
keys x
wait_for 'RSS +PSS +SWAP +PATH' 5 && wait_for 'smaps on' 2
ok $? "x shows the smaps columns"
keys s
wait_for 'sort size' 3
ok $? "s sorts by size"
keys s
wait_for 'sort RSS' 3
keys s x
wait_for 'sort address +smaps off' 3
ok $? "s cycles back to address order, x hides the smaps columns"
keys +
wait_for 'every 1s' 3
ok $? "+ makes the refresh interval longer"
keys - -
wait_for 'every 0.2s' 3
ok $? "- makes it shorter"

# ------------------------------------------------------------ changes
keys + +
wait_for 'every 1s' 3
echo map >&9
for _ in $(seq 100); do
	grep -q '^new ' "$tmpdir/mapper.out" && break
	sleep 0.05
done
new=$(sed -n 's/^new 0x\([0-9a-f]*\) .*/\1/p' "$tmpdir/mapper.out")
[ -n "$new" ]
ok $? "the mapper maps a new region on demand"
# Until a refresh has read it, "a" lands on the region above it.
for _ in $(seq 10); do
	go "$new"
	wait_for "@$new\$" 1 >/dev/null && break
done
wait_for "^\+ 0*$new-" 5
ok $? "the new region shows after the next refresh, marked +"
wait_for "^  *0*$new-" 10
ok $? "with the map read the same again, the + mark goes after a few refreshes"
echo unmap >&9
wait_for "^- 0*$new-" 5
ok $? "the unmapped region stays a few refreshes, marked -"
for _ in $(seq 200); do
	screen | grep -qE "$(row_re "$new")" || break
	sleep 0.05
done
! screen | grep -qE "$(row_re "$new")"
ok $? "... and then goes"

# ------------------------------------------------------------ resize
tm resize-window -t t -x 40 -y 6
wait_for '^terminal too small' 5
ok $? "a tiny terminal shows: terminal too small"
tm resize-window -t t -x 100 -y 30
wait_for "^pid $mapper " 5 && ! screen | grep -q '^EXIT='
ok $? "it grows back and vmamap is still running"
tm resize-window -t t -x 160 -y 50
wait_for "^pid $mapper " 5

# ------------------------------------------------------------ quit
keys q
wait_for '^EXIT=0$' 5
ok $? "q quits with status 0"
wait_for '^\$ ?$' 3 && ! screen | grep -q "^pid $mapper "
ok $? "the terminal is restored: the shell prompt, no map left on screen"

# ------------------------------------------------------------ memory, signals
run --live -d 0.05 "$mapper"
wait_for "^pid $mapper " 5
pane=$(tm display-message -p -t t '#{pane_pid}')
vm=$(pgrep -P "$pane" -x vmamap)
rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$vm/status" 2>/dev/null
}
# A measurement over about 50 refreshes, not a wait for something.
sleep 0.5
r1=$(rss)
sleep 2.5
r2=$(rss)
[ -n "$r1" ] && [ -n "$r2" ] && [ $((r2 - r1)) -lt 512 ]
ok $? "memory does not grow across refreshes (VmRSS ${r1:-?} kB, then ${r2:-?} kB)"
[ -n "$vm" ] && kill -TERM "$vm"
wait_for '^EXIT=143$' 5 && wait_for '^\$ ?$' 3
ok $? "SIGTERM: the terminal is restored and the status is 128+15"

# ------------------------------------------------------------ colour
esc=$(printf '\033')
run --live -d 0.1 -n 5 "$mapper"
wait_for "^pid $mapper " 5
tm capture-pane -e -p -t t | grep -qE "$esc\\[3[1-7]m"
ok $? "rows are coloured by class on a terminal"
wait_for '^EXIT=0$' 10
text "clear; NO_COLOR=1 '$VMAMAP' --live -d 0.1 -n 5 $mapper; echo EXIT=\$?"
keys Enter
wait_for "^pid $mapper " 5
! tm capture-pane -e -p -t t | grep -qE "$esc\\[[39][0-7]m"
ok $? "NO_COLOR: no colour"
wait_for '^EXIT=0$' 10

run --live "$mapper"
wait_for "^pid $mapper " 5
keys C-c
wait_for '^EXIT=130$' 5 && wait_for '^\$ ?$' 3
ok $? "Ctrl-C: the terminal is restored and the status is 130"

# ------------------------------------------------------------ iterations
run --live -d 0.1 -n 3 "$mapper"
wait_for '^EXIT=0$' 10
ok $? "-n 3 quits by itself after three refreshes"

run --live -d 0.1 -n 2 "'$srcdir/tests/data/bash.maps'"
wait_for 'saved map, static' 5 && wait_for '^EXIT=0$' 5
ok $? "a saved maps file opens a static map"

# ------------------------------------------------------------ exit
run --live -d 0.2 "$mapper"
wait_for "^pid $mapper " 5
kill -TERM "$mapper"
wait "$mapper" 2>/dev/null
wait_for 'process exited: pid [0-9]+ exited' 5
ok $? "the target exiting shows the banner, the map stays"
screen | grep -qE '^. 0*[0-9a-f]+-[0-9a-f]+ ' && screen | grep -q STOPPED
ok $? "the last map is still shown, marked STOPPED"
keys q
wait_for '^EXIT=0$' 5
ok $? "q after the exit quits with status 0"

# ------------------------------------------------------------ execve
# A refresh reads maps and stat only; the command line is read again when
# stat shows the process took another name (an execve).
bash -c 'sleep 1.5; exec sleep 31' &
execer=$!
run --live -d 0.2 "$execer"
wait_for "^pid $execer +bash -c" 5
ok $? "the header shows the command line before the execve"
wait_for "^pid $execer +sleep 31" 10
ok $? "after the execve the header shows the new command line"
keys q
wait_for '^EXIT=0$' 5
ok $? "q quits"
kill "$execer" 2>/dev/null
wait "$execer" 2>/dev/null

# ------------------------------------------------------------ permission
# A captured tree whose maps becomes unreadable between refreshes: its
# maps turns into a link to one that ptrace rules keep from us (PID 1's,
# for root without CAP_SYS_PTRACE).
if ! cat /proc/1/maps >/dev/null 2>&1; then
	mkdir -p "$tmpdir/proc/77"
	cp "$srcdir/tests/data/bash.maps" "$tmpdir/proc/77/maps"
	printf '77 (bash) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n' \
		>"$tmpdir/proc/77/stat"
	run --live -d 0.2 --proc-root "'$tmpdir/proc'" 77
	wait_for '^pid 77 ' 5
	ok $? "a captured tree's process opens live"
	ln -sf /proc/1/maps "$tmpdir/proc/77/maps"
	wait_for 'permission lost: .*permission denied' 5
	ok $? "maps becoming unreadable shows the permission-lost banner"
	screen | grep -qE '^. 0*[0-9a-f]+-[0-9a-f]+ ' && screen | grep -q STOPPED
	ok $? "the last map is still shown, marked STOPPED"
	keys q
	wait_for '^EXIT=0$' 5
	ok $? "q after losing permission quits with status 0"
else
	for t in "opens live" "permission-lost banner" "map kept" "q quits"; do
		skip "permission lost: $t" "PID 1's maps is readable here (CAP_SYS_PTRACE)"
	done
fi

tap_done
