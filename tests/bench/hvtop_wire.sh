#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop's wire cost: bytes per second it writes to a 120x40 terminal,
# recorded with script(1) in tmux over 20 s after a 3 s start, on the
# simulated board with rtos running (ticking once a second), for the
# dashboard and the cells view at the default interval. Figures only.
#
#   sh tests/bench/hvtop_wire.sh [BUILD] [SECONDS]
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "${1:-build}"
SECS=${2:-20}
command -v script >/dev/null || st_fail "script(1) is not installed"
st_sim
st_rtos_running

size_of() {
	wc -c <"$1" | tr -d ' '
}

wire() {
	out="$ST_TMP/wire-$1.out"
	st_tmux "script -q -f -c \"'$ST_BUILD/hvtop' -c 'sim:$ST_SIMDIR' --no-config --view $1\" '$out'"
	st_wait "rtos"
	sleep 3
	a=$(size_of "$out")
	sleep "$SECS"
	b=$(size_of "$out")
	st_tmux_stop
	echo $(( (b - a) / SECS ))
}

dash=$(wire dashboard)
cells=$(wire cells)
printf 'hvtop on the wire, 120x40, default interval, %s s:\n' "$SECS"
printf '  dashboard: %6d B/s  (target < 400; htop 584 measured the same way)\n' "$dash"
printf '  cells:     %6d B/s\n' "$cells"
