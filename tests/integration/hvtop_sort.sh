#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: a numeric column sorts largest first when it is
# chosen (IDs, names and states ascending), and the header shows the
# sort column and its direction with an arrow ('^' and 'v' with --ascii)
# whether the column was chosen by key, by F6 or by a click on the
# header, or from F6's list of columns; I (or a second click, or the
# current column chosen again from the list) turns it round. Cells and
# CPUs views.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"

# A left click (press, release) at column X, row Y (from 0), as an xterm
# reports it.
click() {
	xy="$(printf '%b%b' "\\0$(printf '%o' $(( $1 + 33 )))" "\\0$(printf '%o' $(( $2 + 33 )))")"
	tmux -L "$ST_SOCK" send-keys -t main -l "$(printf '\033[M ')$xy$(printf '\033[M#')$xy"
}
header() {
	st_screen | grep -E -e "^T +ID"
}
header_has() {
	header | grep -F -e "$1" >/dev/null
}
names() {
	st_screen | awk '$2 ~ /^[0-9]+$/ && $3 ~ /^(sim-root|rtos|linux-demo)$/ { printf "%s ", $3 }'
}
order_is() {
	[ "$(names)" = "$1" ]
}
# st_sorted TITLE ORDER: the header marks TITLE and the rows are in ORDER.
st_sorted() {
	st_until 10 "header '$1'" header_has "$1"
	st_until 10 "order '$2' (have '$(names)')" order_is "$2"
}

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells --ascii
st_wait_row linux-demo " shut down "
st_wait_row rtos " running "
# By ID, ascending, from the start.
st_sorted "T ID^ NAME" "sim-root rtos linux-demo "
# s: the next column. Names and states ascending.
st_keys s
st_wait "sorted by name, ascending"
st_sorted " NAME^ " "linux-demo rtos sim-root "
st_keys s
st_wait "sorted by state, ascending"
st_sorted " STATE^ " "sim-root rtos linux-demo "
# Numbers largest first: CPUs (root 5, linux-demo 2, rtos 1).
st_keys s
st_wait "sorted by cpus, descending"
st_sorted " CPUSv " "sim-root linux-demo rtos "
# Memory (root 890 MiB, linux-demo 128 MiB, rtos 1.1 MiB).
st_keys s
st_wait "sorted by memory, descending"
st_sorted " MEMORYv " "sim-root linux-demo rtos "
# F6, htop's sort key, lists the columns with the current one marked;
# Esc leaves it as it was.
st_keys F6
st_wait "Sort by"
st_wait " MEMORY       descending"
st_keys Escape
st_wait_gone "Sort by"
header_has " MEMORYv " || st_fail "Esc in the sort list changed the sort: $(header)"
# From the list: the exit rate, largest first (the root's many exits,
# the rtos ticks, the stopped linux-demo none).
st_keys F6
st_wait "Sort by"
st_keys Down Enter
st_wait_gone "Sort by"
st_wait "sorted by rate, descending"
st_sorted " EXITS/Sv " "sim-root rtos linux-demo "
# I turns it round.
st_keys I
st_wait "sorted by rate, ascending"
st_sorted " EXITS/S^ " "linux-demo rtos sim-root "
# A click on the EXITS header: that column, largest first.
hy=$(( $(st_screen | grep -n -E -e "^T +ID" | head -n 1 | cut -d: -f1) - 1 ))
# EXITS is the last column, right-aligned: its title ends the line.
hx=$(header | awk '/ EXITS *$/ { sub(/ *$/, ""); print length($0) - 2 }')
[ -n "$hx" ] || st_fail "no EXITS header: $(header)"
click "$hx" "$hy"
st_wait "sorted by total, descending"
st_sorted " EXITSv" "sim-root rtos linux-demo "
# A click on an entry of the list: NAME, ascending.
st_keys F6
st_wait "Sort by"
ny=$(st_screen | grep -n -E -e "^ NAME( |$)" | head -n 1 | cut -d: -f1)
[ -n "$ny" ] || st_fail "no NAME entry in the sort list"
click 3 $((ny - 1))
st_wait "sorted by name, ascending"
st_wait_gone "Sort by"
st_sorted " NAME^ " "linux-demo rtos sim-root "
# Back to EXITS by click, then a click on NAME: ascending; again: descending.
click "$hx" "$hy"
st_wait "sorted by total, descending"
click 8 "$hy"
st_wait "sorted by name, ascending"
st_sorted " NAME^ " "linux-demo rtos sim-root "
click 8 "$hy"
st_wait "sorted by name, descending"
st_sorted " NAMEv " "sim-root rtos linux-demo "

# The CPUs view: CPU numbers ascending, the rate largest first.
st_keys 2
st_wait "CPU^ T OWNER"
st_keys s s s
st_wait "sorted by rate, descending"
st_wait " EXITS/Sv "
# Its F6 list has the CPUs table's columns; choosing the current one
# again turns it round.
st_keys F6
st_wait "Sort by"
st_wait " OWNER"
st_wait " EXITS/S      descending"
st_keys Enter
st_wait "sorted by rate, ascending"
st_wait " EXITS/S^ "
st_keys q
st_exit_ok
st_tmux_stop

# Without --ascii the arrow is the terminal's (tmux shows the line-drawing
# set's '-' and '.' for up and down in a capture).
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait "T ID- NAME"
st_keys s s s s s
st_wait "sorted by rate, descending"
st_wait " EXITS/S. "
st_keys q
st_exit_ok
