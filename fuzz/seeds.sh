#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# seeds.sh - (re)make the seed corpora tests/fuzz/TARGET/ from the golden
# inputs under tests/data (and the JSON documents under tests/expected for
# the snapshot loader).  Run from the top of the source tree after adding
# a golden input; commit what changes.
set -eu
cd "$(dirname "$0")/.."
out=tests/fuzz

# name FILE: a seed name for FILE: its path under tests/ with '/' as '-'.
name() {
	local p=${1#tests/}

	p=${p#data/}
	echo "${p//\//-}"
}

rm -rf "$out"/{maps,snapshot,addr,diff}
mkdir -p "$out"/{maps,snapshot,addr,diff}

inputs=$(git ls-files tests/data | grep -E '\.(maps|smaps|json)$|/(maps|smaps|smaps_rollup)$')
for f in $inputs; do
	cp "$f" "$out/maps/$(name "$f")"
	# The diff of a good map with itself.
	case $f in
	tests/data/bad/*) ;;
	*) cp "$f" "$out/diff/self-$(name "$f")" ;;
	esac
done
for f in $(git ls-files 'tests/data/*.json' 'tests/expected/*.json'); do
	cp "$f" "$out/snapshot/$(name "$f")"
done

# Each query of addrs.txt alone (the built-in map), then against a map.
i=0
while IFS= read -r q; do
	i=$((i + 1))
	printf '%s' "$q" >"$out/addr/q$i"
	for m in mapper.maps bad/torn.maps snap-min.json; do
		{ printf '%s\n' "$q"; cat "tests/data/$m"; } >"$out/addr/q$i-${m##*/}"
	done
done <tests/data/addrs.txt

# The golden diff pairs: old, a line "%%", new.
pair() {
	{ cat "tests/data/$2"; printf '%%%%\n'; cat "tests/data/$3"; } >"$out/diff/$1"
}
pair classic diff/classic-before.maps diff/classic-after.maps
pair classic-collapsed diff/classic-before-collapsed.maps diff/classic-after-collapsed.maps
pair classic-mixed diff/classic-before.maps diff/classic-after-collapsed.maps
pair kinds diff/kinds-old.maps diff/kinds-new.maps
pair memory diff/memory-old.smaps diff/memory-new.smaps
pair torn mapper.maps bad/torn.maps
pair snapshot snap-pid.json proc/4242/smaps
