#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: the mouse (as the terminal reports it) selects a
# row, sorts by a clicked column header (again: reversed) and switches
# view by its tab; F6 sorts and F4 filters, as in htop; --no-mouse
# leaves clicks alone.
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
line_of() {
	st_screen | grep -n -F -e "$1" | head -n 1 | cut -d: -f1
}
selected_is() {
	tmux -L "$ST_SOCK" capture-pane -p -e -t main | grep -E -e "$1" | grep -q -e "$(printf '\033')\\[[0-9;]*7m"
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
# A click on a tab shows its view.
click 40 1
st_wait "Physical memory"
st_keys q
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
