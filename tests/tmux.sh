# SPDX-License-Identifier: GPL-2.0-or-later
# tmux.sh - drive vmamap --live in a detached tmux session of a fixed size
# on a private server (source it after lib.sh): send-keys types,
# capture-pane reads the screen.  Every wait polls the screen with a
# timeout; nothing sleeps for long.  The session is "t"; kill the server
# with "tm kill-server" when done.

sock=vmamaptest-$$
tm() {
	tmux -L "$sock" -f /dev/null "$@"
}

# screen: the text of the pane, one line per row.
screen() {
	tm capture-pane -p -t t 2>/dev/null
}

# wait_for ERE [SECONDS]: poll the screen until a line matches (default
# 10 s); on a timeout the screen goes to the log.
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	diag "timed out waiting for /$1/; the screen:" "$(screen)"
	return 1
}

# keys KEY...: tmux key names (Enter, Escape, ...) or single characters.
keys() {
	tm send-keys -t t "$@"
}

# text TEXT: literal text.
text() {
	tm send-keys -t t -l "$1"
}

# run ARGS...: start vmamap in the pane's shell, which says EXIT=status
# when it ends.
run() {
	text "clear; '$VMAMAP' $*; echo EXIT=\$?"
	keys Enter
}

# row_re HEX: a regex for the pane line of the region starting at HEX
# (zero-padded on screen).
row_re() {
	printf '^. 0*%s-' "$1"
}

# go HEX: "a", the address, Enter.
go() {
	keys a
	text "$1"
	keys Enter
}

# jump HEX: go to HEX, then wait until the status line names it.
jump() {
	go "$1"
	wait_for "@$1\$" 5
}

# tmux_session COLUMNS LINES: a session running a bare shell (prompt
# "$ "), ready for keys.
tmux_session() {
	tm new-session -d -s t -x "$1" -y "$2" "PS1='$ ' bash --norc --noprofile" &&
		wait_for '^\$' 5
}
