#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# diffwatch.sh - --diff and --watch against a live helper (tests/helper/
# stepper) that changes its own map one known step at a time: each step
# must show up as exactly the change it is, at the addresses the helper
# printed.  Then --watch on a captured tree that is rewritten under it:
# a change, the process exiting, and its PID being reused.  Needs jq.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
: "${srcdir:?srcdir must point at the source tree}"
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"

: "${STEPPER:?STEPPER must point at the helper program tests/helper/stepper}"

if ! command -v jq > /dev/null 2>&1; then
	skip "diff and watch tests" "jq is not installed (apt-get install jq)"
	tap_done
	exit
fi

# vm ARGS...: run vmamap, never for more than a minute, never reading our
# stdin.
vm() {
	timeout 60 "$VMAMAP" "$@" < /dev/null
}

# wait_for FILE ERE [COUNT]: wait (at most 10 s) until FILE has COUNT
# (default 1) lines matching ERE.
wait_for() {
	local i

	for ((i = 0; i < 200; i++)); do
		[ "$(grep -cE -- "$2" "$1" 2> /dev/null)" -ge "${3:-1}" ] &&
			return 0
		sleep 0.05
	done
	return 1
}

page=$(getconf PAGESIZE)

start_helper "$STEPPER" "$tmpdir/d"
ok $? "stepper helper is ready"
pid=$helper
# The watchers started in the background, ended with the helper.
bg=()
trap 'kill "$helper" "${bg[@]}" 2> /dev/null; wait; rm -rf "$tmpdir"' EXIT
out=$tmpdir/stepper.out
if ! grep -q "^ready $pid\$" "$out"; then
	diag "stepper output:" "$(cat "$out")"
	tap_done
	exit
fi

# step CMD: send CMD to the helper and wait for its answer; "done CMD A B"
# leaves A and B in $a1 and $a2.
nsteps=0
step() {
	local verb

	nsteps=$((nsteps + 1))
	echo "$1" >&9
	wait_for "$out" '^(done|fail) ' $nsteps || return 1
	read -r verb _ a1 a2 < <(grep -E '^(done|fail) ' "$out" | tail -n 1)
	[ "$verb" = "done" ] || diag "stepper: $(tail -n 1 "$out")"
	[ "$verb" = "done" ]
}

# JSON snapshots (vmamap --json PID > FILE) as diff targets, where they
# can be loaded back.
json_snaps=false
"$VMAMAP" --json "$pid" 2> /dev/null |
	timeout 60 "$VMAMAP" --json - > /dev/null 2>&1 && json_snaps=true
$json_snaps || diag "JSON snapshots are not loadable: raw copies only"

# snap NAME: save the helper's map as NAME.maps (and NAME.json).
snap() {
	cat "/proc/$pid/maps" > "$tmpdir/$1.maps"
	! $json_snaps || vm --json "$pid" > "$tmpdir/$1.json"
}

# jq definitions for the checks: the one change, and page counts.
JQDEFS='
def one: .differences == 1 and (.changes | length) == 1;
def c: .changes[0];
def pages($n): . == $n * $page;
'

# expect_diff WHAT OLD NEW JQ: --diff --json OLD NEW exits 1 and JQ
# (given $a1, $a2 from the last step, $page) holds of its output; the
# table says as many differences.
expect_diff() {
	local what=$1 old=$2 new=$3 prog=$4 rc n good

	vm --diff --json "$old" "$new" > "$tmpdir/d.json" 2> "$tmpdir/d.err"
	rc=$?
	[ "$rc" -eq 1 ] && [ ! -s "$tmpdir/d.err" ] &&
		jq -e --arg a1 "$a1" --arg a2 "$a2" --argjson page "$page" \
			"$JQDEFS $prog" "$tmpdir/d.json" > /dev/null
	good=$?
	ok $good "$what"
	if [ $good -ne 0 ]; then
		diag "exit $rc, step answer: $a1 $a2, stderr: $(cat "$tmpdir/d.err")" \
			"$(jq -c '.changes[] | {kinds, old, new, delta}' "$tmpdir/d.json" 2>&1 | cut -c1-600)"
		return
	fi
	n=$(jq -r '.differences' "$tmpdir/d.json")
	[ "$n" -ne 1 ] || n="1 (1 $(jq -r '.changes[0].kind' "$tmpdir/d.json"))"
	vm --diff --color=never "$old" "$new" > "$tmpdir/d.txt" 2>&1
	[ $? -eq 1 ] && grep -q "^differences: $n" "$tmpdir/d.txt"
	ok $? "$what: the table says 'differences: $n' and exits 1"
}

# run_step CMD JQ: snapshot, CMD, snapshot; the raw copies, the JSON
# snapshots and the first copy against the live PID all show one change
# that satisfies JQ.
run_step() {
	local cmd=$1 prog=$2

	snap before
	if ! step "$cmd"; then
		ok 1 "stepper does '$cmd'"
		return
	fi
	snap after
	expect_diff "$cmd: maps copies" "$tmpdir/before.maps" "$tmpdir/after.maps" "$prog"
	expect_diff "$cmd: maps copy against the live PID" "$tmpdir/before.maps" "$pid" "$prog"
	if $json_snaps; then
		expect_diff "$cmd: JSON snapshots" "$tmpdir/before.json" "$tmpdir/after.json" "$prog"
	else
		skip "$cmd: JSON snapshots" "JSON snapshots not loadable yet"
	fi
}

# ------------------------------------------------------------ --diff steps
# The heap grows by 256 KiB (or appears, if there was none).
run_step heap 'one and
	(c.kind == "grown" and c.kinds == ["grown"] and c.delta.size == 262144 or
	 c.kind == "added") and c.new.class == "heap" and c.new.path == "[heap]"'
brk_end=$(printf '0x%x' $(((a2 + page - 1) / page * page)))
[ "$(jq -r '.changes[0].new.end' "$tmpdir/d.json")" = "$brk_end" ]
ok $? "heap: the new [heap] ends at the new break, page-aligned ($brk_end)"

run_step map 'one and c.kind == "added" and c.kinds == ["added"] and
	c.old == null and c.new.start == $a1 and c.new.end == $a2 and
	(c.new.size | pages(7)) and c.new.class == "anon" and
	c.new.perms == "rw-p" and c.delta.regions == 1'
run_step unmap 'one and c.kind == "removed" and c.kinds == ["removed"] and
	c.new == null and c.old.start == $a1 and (c.old.size | pages(7)) and
	c.delta.regions == -1 and (c.delta.size | pages(-7))'
run_step mapfile 'one and c.kind == "added" and c.old == null and
	c.new.start == $a1 and c.new.end == $a2 and (c.new.size | pages(4)) and
	(c.new.class == "shared" or c.new.class == "file") and
	c.new.perms == "r--s" and (c.new.path | endswith("/data.bin"))'
run_step protect 'one and c.kind == "split" and c.kinds == ["split", "perms"] and
	c.old.start == $a1 and c.old.end == $a2 and c.old.perms == "rw-p" and
	(c.new.regions | length) == 2 and
	c.new.regions[0].perms == "r--p" and (c.new.regions[0].size | pages(1)) and
	c.new.regions[1].perms == "rw-p" and c.new.regions[1].end == $a2 and
	c.delta.regions == 1 and c.delta.size == 0'
run_step unprotect 'one and c.kind == "merged" and
	(c.kinds - ["perms"]) == ["merged"] and (c.old.regions | length) == 2 and
	c.new.start == $a1 and c.new.end == $a2 and c.new.perms == "rw-p" and
	c.delta.regions == -1 and c.delta.size == 0'
run_step remap 'one and c.kind == "moved" and c.kinds == ["moved"] and
	c.old.start == $a1 and c.new.start == $a2 and (c.new.size | pages(5)) and
	c.delta.size == 0 and c.delta.regions == 0'
run_step grow 'one and c.kind == "grown" and c.kinds == ["grown"] and
	c.new.start == $a1 and c.new.end == $a2 and (c.old.size | pages(3)) and
	(c.delta.size | pages(3))'
run_step shrink 'one and c.kind == "shrunk" and c.kinds == ["shrunk"] and
	c.new.start == $a1 and c.new.end == $a2 and (c.delta.size | pages(-3))'

# Touching pages changes no region, only memory use: smaps on both sides.
# Other processes that start or end change the PSS of shared pages: any
# other change may only be that (memory, the same RSS).
cat "/proc/$pid/smaps" > "$tmpdir/before.smaps"
snap before
if step touch; then
	cat "/proc/$pid/smaps" > "$tmpdir/after.smaps"
	expect_diff "touch: smaps copies show memory (rss +3 pages)" \
		"$tmpdir/before.smaps" "$tmpdir/after.smaps" \
		'(.changes | map(select(.new.end == $a2))) as $t |
		($t | length) == 1 and $t[0].kind == "memory" and
		$t[0].kinds == ["memory"] and ($t[0].delta.rss | pages(3)) and
		$t[0].delta.size == 0 and
		all(.changes[] | select(.new.end != $a2);
		    .kinds == ["memory"] and .delta.rss == 0)'
	vm --diff "$tmpdir/before.maps" "$pid" > /dev/null
	ok $? "touch: without smaps there is no difference (exit 0)"
else
	ok 1 "stepper does 'touch'"
fi

# ------------------------------------------------------ no differences
# same_diff WHAT OLD NEW: exit 0, "differences": 0, no changes listed.
same_diff() {
	vm --diff --json "$2" "$3" > "$tmpdir/s.json" 2> "$tmpdir/s.err" &&
		[ ! -s "$tmpdir/s.err" ] &&
		jq -e '.differences == 0 and .changes == []' "$tmpdir/s.json" > /dev/null
	ok $? "$1: exit 0, \"differences\": 0"
}
same_diff "--diff X X (maps copy)" "$tmpdir/after.maps" "$tmpdir/after.maps"
same_diff "--diff X X (smaps copy)" "$tmpdir/after.smaps" "$tmpdir/after.smaps"
if $json_snaps; then
	same_diff "--diff X X (JSON snapshot)" "$tmpdir/after.json" "$tmpdir/after.json"
else
	skip "--diff X X (JSON snapshot)" "JSON snapshots not loadable yet"
fi
same_diff "--diff PID PID (the idle helper)" "$pid" "$pid"
vm --diff --color=never "$pid" "$pid" > "$tmpdir/s.txt" &&
	grep -qx 'no differences' "$tmpdir/s.txt"
ok $? "--diff PID PID: the table says 'no differences'"

# Two different processes: the helper and this shell.
vm --diff --json "$pid" "$$" > "$tmpdir/two.json" 2> "$tmpdir/two.err"
[ $? -eq 1 ] && jq -e --argjson p "$pid" --argjson q "$$" '
	.vmamap_diff == 1 and .old.source.pid == $p and .new.source.pid == $q and
	.differences > 0 and .differences == (.changes | length)' \
	"$tmpdir/two.json" > /dev/null
ok $? "--diff of two processes: exit 1, valid JSON naming both PIDs"

# ---------------------------------------------------------------- --watch
# Idle: a start line, then 3 quiet polls 0.1 s apart, exit 0.
t0=$(date +%s%N)
vm --watch -d 0.1 -n 3 "$pid" > "$tmpdir/idle.txt" 2> "$tmpdir/idle.err" &&
	[ "$(wc -l < "$tmpdir/idle.txt")" -eq 1 ] &&
	grep -qE "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} watching $pid: " "$tmpdir/idle.txt"
ok $? "--watch -n 3 on an idle process: one 'HH:MM:SS.mmm watching PID' line, exit 0"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 300 ] && [ "$ms" -lt 5000 ]
ok $? "--watch -d 0.1 -n 3 takes 0.3 s or a little more (${ms} ms)"

# Both outputs at once, while the helper takes steps and exits.
vm --watch --json -d 0.1 -n 200 "$pid" > "$tmpdir/w.json" 2> "$tmpdir/w.err" &
wj=$!
bg+=("$wj")
vm --watch -d 0.1 -n 200 "$pid" > "$tmpdir/w.txt" 2> "$tmpdir/w.err2" &
wt=$!
bg+=("$wt")
wait_for "$tmpdir/w.json" '"event": "start"' && wait_for "$tmpdir/w.txt" ' watching '
ok $? "--watch: both watchers started"

# cmd:kind:mark, in order.
watch_steps=(heap:grown:'>' map:added:'+' protect:split:/ unprotect:merged:'&'
	remap:moved:@ unmap:removed:- grow:grown:'>' shrink:shrunk:'<'
	mapfile:added:'+')
n=0
bad=
for s in "${watch_steps[@]}"; do
	cmd=${s%%:*}
	n=$((n + 1))
	step "$cmd" && wait_for "$tmpdir/w.json" '"event": "change"' $n &&
		wait_for "$tmpdir/w.txt" '^[0-9:.]{12} . ' $n || bad="$bad $cmd"
done
[ -z "$bad" ]
ok $? "--watch: an event for each of ${#watch_steps[@]} steps"
[ -z "$bad" ] || diag "no event for:$bad"
echo exit >&9
wait_for "$tmpdir/w.json" '"event": "exit"' && wait_for "$tmpdir/w.txt" ' exited$'
ok $? "--watch: the helper's exit is reported"
wait "$wj"
ok $? "--watch --json ends by itself with exit 0"
wait "$wt"
ok $? "--watch (text) ends by itself with exit 0"

lines=$(wc -l < "$tmpdir/w.json")
[ "$(jq -cR 'fromjson' "$tmpdir/w.json" | wc -l)" -eq "$lines" ]
ok $? "--watch --json: each of the $lines lines is a JSON document"
want=$(printf '%s\n' "${watch_steps[@]}" | cut -d: -f2 | paste -sd,)
got=$(jq -r 'select(.event == "change") | .kind' "$tmpdir/w.json" | paste -sd,)
[ "$got" = "$want" ]
ok $? "--watch --json: the change events are exactly $want"
[ "$got" = "$want" ] || diag "got: $got"
jq -se --argjson p "$pid" '.[0].event == "start" and .[0].pid == $p and
	.[-1] == {time: .[-1].time, event: "exit", pid: $p} and
	all(.[]; .time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$"))' \
	"$tmpdir/w.json" > /dev/null
ok $? "--watch --json: starts with a start event, ends with an exit event, UTC times"
jq -se --arg a1 "$a1" 'map(select(.event == "change"))[-1] |
	.new.start == $a1 and (.new.path | endswith("/data.bin"))' \
	"$tmpdir/w.json" > /dev/null
ok $? "--watch --json: the last change is the file at the address the helper printed"

want=$(printf '%s\n' "${watch_steps[@]}" | cut -d: -f3 | paste -sd' ')
got=$(sed -nE 's/^[0-9:.]{12} (.) .*/\1/p' "$tmpdir/w.txt" | paste -sd' ')
[ "$got" = "$want" ]
ok $? "--watch (text): the change lines' marks are $want"
[ "$got" = "$want" ] || diag "got: $got"
! grep -vqE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} ' "$tmpdir/w.txt" &&
	head -n 1 "$tmpdir/w.txt" | grep -q " watching $pid: " &&
	tail -n 1 "$tmpdir/w.txt" | grep -q " pid $pid exited\$"
ok $? "--watch (text): every line has a timestamp; watching ... exited"
! grep -q ' $' "$tmpdir/w.txt"
ok $? "--watch (text): no line ends with a space"
[ ! -s "$tmpdir/w.err" ] && [ ! -s "$tmpdir/w.err2" ]
ok $? "--watch: nothing on stderr"

# ------------------------------------------ --watch on a captured tree
# A copy of tests/data/proc/4242 that is rewritten while vmamap watches
# it: a region goes away, then the process "exits" (its directory goes)
# or its PID is "reused" (the start time in stat changes).
fake_tree() {
	rm -rf "$tmpdir/fake"
	mkdir -p "$tmpdir/fake"
	cp -R "$srcdir/tests/data/proc/4242" "$tmpdir/fake/"
}

# rewrite FILE SED: change FILE in one step (rename).
rewrite() {
	sed "$2" "$1" > "$1.new" && mv "$1.new" "$1"
}

fake_tree
vm --watch --json -d 0.05 -n 400 --proc-root "$tmpdir/fake" 4242 \
	> "$tmpdir/f.json" 2> "$tmpdir/f.err" &
fw=$!
bg+=("$fw")
wait_for "$tmpdir/f.json" '"event": "start"'
ok $? "captured tree: --watch starts"
rewrite "$tmpdir/fake/4242/maps" '/ \[stack\]$/d'
wait_for "$tmpdir/f.json" '"event": "change"' &&
	jq -se '[.[] | select(.event == "change")] | length == 1 and
		.[0].kind == "removed" and .[0].old.path == "[stack]"' \
		"$tmpdir/f.json" > /dev/null
ok $? "captured tree: the [stack] line dropped from maps is a removed event"
# The polls in between read the same text again: nothing is reported.
# Then the text comes back as it was, then with one byte changed near
# its end (same length): each is one event.
cp "$srcdir/tests/data/proc/4242/maps" "$tmpdir/fake/4242/maps.new" &&
	mv "$tmpdir/fake/4242/maps.new" "$tmpdir/fake/4242/maps"
wait_for "$tmpdir/f.json" '"kind": "added"' &&
	rewrite "$tmpdir/fake/4242/maps" '/ \[stack\]$/s/ rw-p / rwxp /' &&
	wait_for "$tmpdir/f.json" '"kind": "perms"'
jq -se '[.[] | select(.event == "change")] | length == 3 and
	.[1].kind == "added" and .[1].new.path == "[stack]" and
	.[2].kind == "perms" and .[2].new.perms == "rwxp"' \
	"$tmpdir/f.json" > /dev/null
ok $? "captured tree: maps put back, then one byte changed: one event each, none in between"
rewrite "$tmpdir/fake/4242/stat" 's/^\(\([^ ]* \)\{21\}\)[0-9]*/\1777777/'
wait "$fw"
rc=$?
[ "$rc" -eq 3 ]
ok $? "captured tree: a new start time in stat (PID reused) exits 3"
jq -se '.[-1].event == "reused" and .[-1].pid == 4242' "$tmpdir/f.json" > /dev/null &&
	[ "$(wc -l < "$tmpdir/f.err")" -eq 1 ] && grep -q 'reused' "$tmpdir/f.err"
ok $? "captured tree: ... after a reused event, with one line on stderr"
[ "$rc" -eq 3 ] || diag "exit $rc" "$(cat "$tmpdir/f.json" "$tmpdir/f.err")"

fake_tree
vm --watch -d 0.05 -n 400 --proc-root "$tmpdir/fake" 4242 \
	> "$tmpdir/g.txt" 2> "$tmpdir/g.err" &
fw=$!
bg+=("$fw")
wait_for "$tmpdir/g.txt" ' watching '
rm -rf "$tmpdir/fake/4242"
wait "$fw"
ok $? "captured tree: the PID directory gone (process exited) exits 0"
tail -n 1 "$tmpdir/g.txt" | grep -qE '^[0-9:.]{12} pid 4242 exited$' &&
	[ ! -s "$tmpdir/g.err" ]
ok $? "captured tree: ... saying 'pid 4242 exited'"

tap_done
