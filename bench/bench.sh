#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench.sh - vmamap against the kernel's own cost (cat of maps/smaps) and
# against pmap, side by side, on a helper holding N distinct VMAs.
#
# Usage: bench/bench.sh [N...]        (default: 1000 10000 60000)
# Environment: VMAMAP, MANY, RUNONE, PMQ (built by `make bench`), BENCH_REPS
# (default 5), BENCH_CALLGRIND=0 to skip the instruction counts.
# Every command runs BENCH_REPS times, interleaved with the others; the
# median wall time, CPU time (user + system) and peak RSS are printed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
VMAMAP=${VMAMAP:-$here/../src/vmamap}
MANY=${MANY:-$here/many}
RUNONE=${RUNONE:-$here/runone}
PMQ=${PMQ:-$here/pmq}
reps=${BENCH_REPS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 60000)
export LC_ALL=C

for b in "$VMAMAP" "$MANY" "$RUNONE"; do
	[ -x "$b" ] || { echo "bench: $b is not built (run make bench)" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmamap-bench.XXXXXX")
helper= chelper=
cleanup() {
	[ -n "$helper" ] && exec 8>&- 7>&-
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_many N: the helper, its PID in $pid (stdin held open on fd 8);
# and the churning one (see many.c), its PID in $cpid (fd 7).
start_many() {
	mkfifo "$tmp/fifo.$1" "$tmp/cfifo.$1"
	"$MANY" "$1" < "$tmp/fifo.$1" > "$tmp/pid.$1" &
	helper=$!
	exec 8> "$tmp/fifo.$1"
	"$MANY" "$1" churn < "$tmp/cfifo.$1" > "$tmp/cpid.$1" &
	chelper=$!
	exec 7> "$tmp/cfifo.$1"
	for _ in $(seq 200); do
		[ -s "$tmp/pid.$1" ] && [ -s "$tmp/cpid.$1" ] && break
		sleep 0.05
	done
	pid=$(cat "$tmp/pid.$1")
	cpid=$(cat "$tmp/cpid.$1")
}

stop_many() {
	exec 8>&- 7>&-
	wait "$helper" "$chelper" 2> /dev/null
	helper= chelper=
}

# Copies on disk: maps, smaps, a second maps differing in ~300 regions
# (permissions flipped), the JSON snapshots of both, 1M addresses.
make_inputs() {
	cat "/proc/$pid/maps" > "$tmp/a.maps"
	cat "/proc/$pid/smaps" > "$tmp/a.smaps"
	awk -v n="$1" 'BEGIN { srand(7); for (i = 0; i < 300; i++) f[int(rand() * n) + 1] = 1 }
		NR in f { if ($2 == "rw-p") $2 = "r--p"; else if ($2 == "r--p") $2 = "rw-p" }
		{ print }' "$tmp/a.maps" > "$tmp/b.maps"
	"$VMAMAP" --json "$tmp/a.maps" > "$tmp/a.json"
	"$VMAMAP" --json "$tmp/b.maps" > "$tmp/b.json"
	awk 'BEGIN { srand(11) }
		{ split($1, r, "-"); lo[NR] = r[1] }
		END { for (i = 0; i < 1000000; i++)
			printf "%s\n", lo[int(rand() * NR) + 1] }' \
		"$tmp/a.maps" > "$tmp/addrs"
}

# The commands timed: name|floor name|pmap name|command.
commands() {
	cat <<-EOF
	cat maps|||cat /proc/$pid/maps
	cat smaps|||cat /proc/$pid/smaps
	GNU diff a b|||diff $tmp/a.maps $tmp/b.maps
	EOF
	if command -v pmap > /dev/null; then
		cat <<-EOF
		pmap|cat maps||pmap $pid
		pmap -x|cat smaps||pmap -x $pid
		pmap -X|cat smaps||pmap -X $pid
		EOF
	fi
	cat <<-EOF
	vmamap|cat maps|pmap|$VMAMAP $pid
	vmamap -x|cat smaps|pmap -x|$VMAMAP -x $pid
	vmamap --json|cat maps||$VMAMAP --json $pid
	vmamap --summary|cat smaps||$VMAMAP --summary $pid
	vmamap --diff raw|GNU diff a b||$VMAMAP --diff $tmp/a.maps $tmp/b.maps
	vmamap --diff json|vmamap --diff raw||$VMAMAP --diff $tmp/a.json $tmp/b.json
	vmamap --addr - (1M)|||$VMAMAP --addr - $pid
	EOF
	# The live map on a pseudo-terminal: one and eleven refreshes, 1 ms
	# apart; the difference over ten is the cost of one refresh.
	if command -v script > /dev/null; then
		echo "vmamap --live -n 1|||env TERM=xterm script -qec \"$VMAMAP --live -n 1 -d 0.001 $pid\" /dev/null"
		echo "vmamap --live -n 11|||env TERM=xterm script -qec \"$VMAMAP --live -n 11 -d 0.001 $pid\" /dev/null"
		# The same on a map that changes between any two reads.
		echo "vmamap --live -n 1 churn|||env TERM=xterm script -qec \"$VMAMAP --live -n 1 -d 0.001 $cpid\" /dev/null"
		echo "vmamap --live -n 11 churn|||env TERM=xterm script -qec \"$VMAMAP --live -n 11 -d 0.001 $cpid\" /dev/null"
	fi
	# The binary alternative to the maps text (Linux 6.11+).
	if [ -x "$PMQ" ] && "$PMQ" "$pid" > /dev/null 2>&1; then
		echo "PROCMAP_QUERY walk|cat maps||$PMQ $pid"
	fi
}

# run NAME CMD: one timed run appended to $tmp/t.NAME.
run() {
	local name=$1 cmd=$2 in=
	[[ $name == *--addr* ]] && in=$tmp/addrs
	# shellcheck disable=SC2086
	RUNONE_STDIN=$in eval "\"$RUNONE\" $cmd" >> "$tmp/t.${name//[^a-zA-Z0-9]/_}"
}

# median FILE COLUMN
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'
}

report() {
	local n=$1 name floor pm cmd f w c r
	printf '\nN = %s regions (%s runs each, median)\n' "$n" "$reps"
	printf '%-22s %9s %9s %11s %9s %9s\n' command "wall ms" "cpu ms" "maxrss KiB" "vs floor" "vs pmap"
	while IFS='|' read -r name floor pm cmd; do
		f=$tmp/t.${name//[^a-zA-Z0-9]/_}
		w=$(median "$f" 1) c=$(median "$f" 2) r=$(median "$f" 3)
		echo "$n|$name|$w" >> "$tmp/all"
		printf '%-22s %9.1f %9.1f %11s %9s %9s\n' "$name" \
			"$(awk -v v="$w" 'BEGIN { print v / 1000 }')" \
			"$(awk -v v="$c" 'BEGIN { print v / 1000 }')" "$r" \
			"$([ -n "$floor" ] && ratio "$w" "$(median "$tmp/t.${floor//[^a-zA-Z0-9]/_}" 1)")" \
			"$([ -n "$pm" ] && [ -f "$tmp/t.${pm//[^a-zA-Z0-9]/_}" ] && ratio "$w" "$(median "$tmp/t.${pm//[^a-zA-Z0-9]/_}" 1)")"
	done < <(commands)
	f=$tmp/t.vmamap___addr____1M_
	awk -v w="$(median "$f" 1)" 'BEGIN { printf "lookups per second (wall, with parsing): %.2fM\n", 1000000 / (w / 1e6) / 1e6 }'
	refresh
}

# One --live refresh: (eleven refreshes - one) / 10, against cat maps;
# of the still map, then of the churning one (SUFFIX _churn, WHAT).
refresh() {
	refresh_of "" "map unchanged"
	refresh_of _churn "map changed"
}

refresh_of() {
	local one=$tmp/t.vmamap___live__n_1$1 eleven=$tmp/t.vmamap___live__n_11$1
	local cat=$tmp/t.cat_maps
	[ -f "$one" ] && [ -f "$eleven" ] || return 0
	awk -v w1="$(median "$one" 1)" -v w11="$(median "$eleven" 1)" \
		-v c1="$(median "$one" 2)" -v c11="$(median "$eleven" 2)" \
		-v wc="$(median "$cat" 1)" -v cc="$(median "$cat" 2)" -v what="$2" 'BEGIN {
		w = (w11 - w1) / 10; c = (c11 - c1) / 10
		printf "one --live refresh, %s: %.1f ms wall (%.2fx cat maps), %.1f ms cpu (%.2fx)\n",
			what, w / 1000, w / wc, c / 1000, c / cc }'
}

# Instructions per VMA (slope between two sizes) and per lookup.
callgrind() {
	command -v valgrind > /dev/null && [ "${BENCH_CALLGRIND:-1}" != 0 ] || return 0
	local ir a b
	ir() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null |
			sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
	}
	head -n 1000 "$tmp/a.maps" > "$tmp/k1.maps"
	a=$(ir "$VMAMAP" "$tmp/k1.maps") b=$(ir "$VMAMAP" "$tmp/a.maps")
	awk -v a="$a" -v b="$b" -v n="$(wc -l < "$tmp/a.maps")" 'BEGIN {
		printf "instructions per VMA, parse + table: %.0f\n", (b - a) / (n - 1000) }'
	head -n 100000 "$tmp/addrs" > "$tmp/addrs100k"
	a=$(ir "$VMAMAP" --addr - "$tmp/a.maps" < /dev/null)
	b=$(ir "$VMAMAP" --addr - "$tmp/a.maps" < "$tmp/addrs100k")
	awk -v a="$a" -v b="$b" 'BEGIN {
		printf "instructions per address looked up (parse + answer): %.0f\n", (b - a) / 100000 }'
}

echo "vmamap benchmark: $(uname -r), $(nproc) CPUs, $(sed -n 's/^model name.*: //p' /proc/cpuinfo | head -n 1)"
echo "vm.max_map_count = $(cat /proc/sys/vm/max_map_count)"
for n in "${sizes[@]}"; do
	start_many "$n"
	[ -n "$pid" ] || { echo "bench: the helper did not start for N=$n" >&2; exit 1; }
	make_inputs "$n"
	rm -f "$tmp"/t.*
	for _ in $(seq "$reps"); do
		while IFS='|' read -r name _ _ cmd; do
			run "$name" "$cmd"
		done < <(commands)
	done
	report "$n"
	[ "$n" = "${sizes[-1]}" ] && callgrind
	stop_many
done
if [ ${#sizes[@]} -gt 1 ]; then
	printf '\ngrowth from N=%s to N=%s (wall per region, 1.00 = linear):\n' "${sizes[0]}" "${sizes[-1]}"
	awk -F'|' -v lo="${sizes[0]}" -v hi="${sizes[-1]}" '
		$1 == lo { a[$2] = $3 } $1 == hi { b[$2] = $3 }
		END { for (k in b) if (a[k] > 0 && k ~ /^vmamap/)
			printf "  %-22s %.2f\n", k, (b[k] / hi) / (a[k] / lo) }' "$tmp/all" | sort
fi
