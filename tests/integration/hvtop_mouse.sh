#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: the mouse (as the terminal reports it) selects a
# row, sorts by a clicked column header (again: reversed) and switches
# view by its tab, the wheel moves the selection (three rows a notch); F1 helps, F3 searches,
# F6 sorts, F4 filters and F10 quits, as in htop; --no-mouse leaves
# clicks alone.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"

# A left click (press, release) at column X, row Y (from 0), as an xterm
# reports it in its X10 form.
click() {
	xy="$(printf '%b%b' "\\0$(printf '%o' $(( $1 + 33 )))" "\\0$(printf '%o' $(( $2 + 33 )))")"
	tmux -L "$ST_SOCK" send-keys -t main -l "$(printf '\033[M ')$xy$(printf '\033[M#')$xy"
}
# The wheel (X10: button 64 up, 65 down; no release) at column X, row Y.
wheel() {
	xy="$(printf '%b%b' "\\0$(printf '%o' $(( $1 + 33 )))" "\\0$(printf '%o' $(( $2 + 33 )))")"
	b='`'
	[ "$3" = down ] && b=a
	tmux -L "$ST_SOCK" send-keys -t main -l "$(printf '\033[M')$b$xy"
}
line_of() {
	st_screen | grep -n -F -e "$1" | head -n 1 | cut -d: -f1
}
# The detail Enter opens names the selected cell.
detail_of() {
	st_screen | grep -E -e "^Cell [0-9]+ \"$1\"" >/dev/null
}
detail_closed() {
	! detail_of "$1"
}
selected_is() {
	st_keys Enter
	st_until 10 "the detail of $1" detail_of "$1"
	st_keys Escape
	st_until 10 "the detail of $1 to close" detail_closed "$1"
}

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row linux-demo " shut down "
# Click linux-demo's row: Enter then opens its detail.
y=$(( $(line_of " linux-demo ") - 1 ))
click 10 "$y"
st_keys Enter
st_wait "Cell 2 \"linux-demo\""
st_keys Escape
st_wait "T ID- NAME"
# Click the NAME header: sorted by name, then reversed.
hy=$(( $(line_of "T ID- NAME") - 1 ))
click 8 "$hy"
st_wait "sorted by name"
names() {
	st_screen | awk '$2 ~ /^[0-9]+$/ && $3 ~ /^(sim-root|rtos|linux-demo)$/ { printf "%s ", $3 }'
}
[ "$(names)" = "linux-demo rtos sim-root " ] || st_fail "not by name: $(names)"
click 8 "$hy"
st_wait "sorted by name, descending"
st_until 10 "reversed order" sh -c '[ "$1" = "sim-root rtos linux-demo " ]' _ "$(names)"
# F6 picks the sort column from a list, as htop's.
st_keys F6
st_wait "Sort by"
st_keys Down Enter
st_wait "sorted by state"
# F4 filters.
st_keys F4
st_wait "Filter: "
st_keys Escape
# The wheel moves the selection three rows (here: to the last of the
# three) and back up.
first=$(names | awk '{ print $1 }')
last=$(names | awk '{ print $3 }')
click 10 "$(( $(line_of " $first ") - 1 ))"
selected_is "$first"
wheel 10 "$(( hy + 2 ))" down
selected_is "$last"
wheel 10 "$(( hy + 2 ))" up
selected_is "$first"
# F1 is help for the view.
st_keys F1
st_wait "Help: Cells"
st_keys Escape
st_wait_gone "Help: Cells"
# A click on a tab shows its view.
click 40 1
st_wait "Physical memory"
# F3 searches the console view.
st_keys 5
st_wait "hvctl hypervisor"
st_keys F3
st_wait "Search: "
st_keys Escape
st_wait_gone "Search: "
# F10 quits.
st_keys F10
st_exit_ok
st_tmux_stop

# --no-mouse: the same click does nothing.
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells --no-mouse
st_wait_row rtos " running "
click 40 1
sleep 1
st_lacks "Physical memory" || st_fail "a click acted with --no-mouse"
st_keys q
st_exit_ok
