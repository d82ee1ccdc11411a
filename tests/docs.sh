#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# docs.sh - the man page and the shell completions know every option that
# `vmamap --help` lists, the man page formats without warnings, and the
# completion scripts (bash, zsh, fish) parse and complete.

# shellcheck source=tests/lib.sh disable=SC2154
. "$srcdir/tests/lib.sh"

man=$srcdir/man/vmamap.1
bashc=$srcdir/completions/vmamap
zshc=$srcdir/completions/_vmamap
fishc=$srcdir/completions/vmamap.fish

# ------------------------------------------------------------ --help
help=$("$VMAMAP" --help 2>"$tmpdir/help.err")
ok $? "vmamap --help exits 0"
[ -s "$tmpdir/help.err" ] && diag "--help stderr:" "$(cat "$tmpdir/help.err")"

# Long options anywhere in the text; short options at the start of a help
# line ("  -x, --smaps ...").
longs=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]*' |
	sed 's/-*$//' | sort -u)
shorts=$(printf '%s\n' "$help" | grep -oE '^[[:space:]]+-[a-zA-Z]([,[:space:]]|$)' |
	grep -oE -- '-[a-zA-Z]' | sort -u)
options=$(printf '%s\n%s\n' "$longs" "$shorts" | grep -v '^$')
nopt=$(printf '%s\n' "$options" | grep -c .)
diag "options in --help ($nopt):" "$(printf '%s\n' "$options" | tr '\n' ' ')"
[ "$nopt" -ge 10 ]
ok $? "--help lists at least 10 options (found $nopt)"

# in_roff OPT FILE: OPT appears in roff source as \-\-name or \-x (after a
# font escape such as \fB or not), not as the prefix of a longer name.
in_roff() {
	local pat
	pat=$(printf '%s' "$1" | sed 's/-/\\\\-/g')
	grep -qE -- "$pat([^A-Za-z0-9_\\\\]|\\\\[^-]|\\\\-[^A-Za-z]|\$)" "$2"
}

# in_shell OPT FILE: OPT appears as a word of its own in a shell script.
in_shell() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|\$)" "$2"
}

# in_fish OPT FILE: a "complete" line of FILE has OPT (--name as "-l name",
# -x as "-s x").
in_fish() {
	local flag
	case $1 in
	--*) flag="-l ${1#--}" ;;
	*) flag="-s ${1#-}" ;;
	esac
	grep -E -- "^complete " "$2" | grep -qE -- "(^| )$flag( |\$)"
}

for o in $options; do
	in_roff "$o" "$man"
	ok $? "man/vmamap.1 documents $o"
	in_shell "$o" "$bashc"
	ok $? "completions/vmamap completes $o"
	in_shell "$o" "$zshc"
	ok $? "completions/_vmamap completes $o"
	in_fish "$o" "$fishc"
	ok $? "completions/vmamap.fish completes $o"
done

# ------------------------------------------------------------ man page
if command -v groff >/dev/null 2>&1; then
	out=$(groff -t -z -ww -man "$man" 2>&1)
	[ -z "$out" ]
	ok $? "groff -t -z -ww -man man/vmamap.1 prints nothing"
	[ -n "$out" ] && diag "$out"
else
	skip "groff -t -z -ww -man man/vmamap.1 prints nothing" "groff is not installed"
fi

if man --help 2>&1 | grep -q -e '--warnings'; then
	out=$(MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
	[ -z "$out" ]
	ok $? "man --warnings -l man/vmamap.1 prints no warnings"
	[ -n "$out" ] && diag "$out"
else
	skip "man --warnings -l man/vmamap.1 prints no warnings" "man-db is not installed"
fi

# ------------------------------------------------------------ jq examples
# Every example of the man page marked '.\" jq-test: FILE' runs its jq part
# on that golden document of tests/expected/: exit 0 and some output.
awk -v dir="$tmpdir" '
	/^\.\\" jq-test: / { file = $3; want = 1; next }
	want && /^\.EX/ { n++; out = dir "/example." n; print file > out; inex = 1; next }
	inex && /^\.EE/ { close(out); inex = want = 0; next }
	inex { print > out }' "$man"
# deroff: the roff escapes of the examples as the reader sees them.
deroff() {
	sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\e/\\/g' -e 's/\\&//g'
}
nex=0
for ex in "$tmpdir"/example.*; do
	[ -e "$ex" ] || continue
	nex=$((nex + 1))
	golden=$(head -n 1 "$ex")
	cmd=$(tail -n +2 "$ex" | deroff)
	prog=${cmd#*|}			# what the output of vmamap is piped to
	(cd "$srcdir/tests" && bash -c "$prog" <"expected/$golden") >"$tmpdir/ex.out" 2>&1
	r=$?
	[ $r -eq 0 ] && [ -s "$tmpdir/ex.out" ]
	ok $? "man page example on $golden:$(printf '%s' "$prog" | tr -s ' \n' ' ')"
	[ $r -eq 0 ] || diag "$(head -n 5 "$tmpdir/ex.out")"
done
[ "$nex" -ge 6 ]
ok $? "the man page has at least 6 tested jq examples (found $nex)"

# ------------------------------------------------------------ bash
check "bash -n completions/vmamap" bash -n "$bashc"

# bash_complete WORD...: what _vmamap offers for the last WORD, one per line,
# sorted.
bash_complete() {
	bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=(vmamap "$@")
		COMP_CWORD=$#
		COMP_LINE="vmamap $*"
		COMP_POINT=${#COMP_LINE}
		_vmamap
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$bashc" "$@" 2>"$tmpdir/complete.err" | sort
}

# expect_completion "WANT..." WORD...: the completions are exactly WANT.
expect_completion() {
	local want got
	want=$(printf '%s' "$1" | tr ' ' '\n' | sort)
	shift
	got=$(bash_complete "$@")
	[ "$got" = "$want" ] && ! [ -s "$tmpdir/complete.err" ]
	ok $? "bash completes 'vmamap $*' to: $(printf '%s' "$want" | tr '\n' ' ')"
	if [ "$got" != "$want" ] || [ -s "$tmpdir/complete.err" ]; then
		diag "got: $(printf '%s' "$got" | tr '\n' ' ')"
		[ -s "$tmpdir/complete.err" ] && diag "$(cat "$tmpdir/complete.err")"
	fi
}

out=$(bash --norc --noprofile -c 'source "$1" && complete -p vmamap' _ "$bashc" 2>&1)
[ "$out" = "complete -F _vmamap vmamap" ]
ok $? "completions/vmamap registers: complete -F _vmamap vmamap"

expect_completion "--class" --cla
expect_completion "text" --class te
expect_completion "text,data" --class text,da
expect_completion "start size rss" --sort ""
expect_completion "rss" -S r
expect_completion "always" --color = al
expect_completion "--color=auto --color=always" --color=a
expect_completion "--diff" --dif
expect_completion "--delay" --del
expect_completion "" --watch -d ""
expect_completion "--format" --form
expect_completion "json" --format j
expect_completion "heap" --all --sort he
expect_completion "pid" --who-maps x -S pi

# ------------------------------------------------------------ zsh
head -n 1 "$zshc" | grep -qx '#compdef vmamap'
ok $? "completions/_vmamap starts with #compdef vmamap"
if command -v zsh >/dev/null 2>&1; then
	check "zsh -n completions/_vmamap" zsh -n "$zshc"
else
	skip "zsh -n completions/_vmamap" "zsh is not installed"
fi

# ------------------------------------------------------------ fish
if command -v fish >/dev/null 2>&1; then
	check "fish --no-execute completions/vmamap.fish" fish --no-execute "$fishc"
	# fish_complete LINE: what fish offers for LINE, the candidates only.
	fish_complete() {
		fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$fishc" "$1" 2>&1 |
			cut -f1 | sort | tr '\n' ' '
	}
	for t in "vmamap --form|--format " "vmamap --format o|openmetrics " \
		"vmamap --all --sort hea|heap " "vmamap --class text,da|text,data " \
		"vmamap --proc-root $srcdir/tests/data/proc --pid 424|4242 "; do
		got=$(fish_complete "${t%%|*}")
		[ "$got" = "${t#*|}" ]
		ok $? "fish completes '${t%%|*}' to: ${t#*|}(got: $got)"
	done
else
	skip "fish --no-execute completions/vmamap.fish" "fish is not installed"
fi

tap_done
