#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: the dashboard is the first view, at 80x24, 120x40
# and 200x60: pool gauges, one bar per CPU named after its owner with a
# legend, the cell rows (with exit-rate sparklines where the width
# allows) and the latest console lines; the other views are one key away.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"

# The bar of CPU N: "  N [OWNER ... RATE]".
bar_is() {
	st_screen | grep -E -e "(^| )$1 \\[$2 " >/dev/null
}

dashboard_at() {
	ST_COLS=$1 ST_ROWS=$2
	export ST_COLS ST_ROWS
	st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
	# Opens on the dashboard, with the other views' tabs beside it.
	st_wait " 0 Dashboard "
	st_wait " 1 Cells "
	st_wait "Hypervisor memory ["
	st_wait "Remap pool        ["
	# A bar per CPU with its owner, the same as the cell rows say.
	st_until 10 "CPU 0 bar of sim-root" bar_is 0 sim-root
	st_until 10 "CPU 1 bar of rtos" bar_is 1 rtos
	st_until 10 "CPU 2 bar of linux-demo" bar_is 2 linux-demo
	st_until 10 "CPU 7 bar of sim-root" bar_is 7 sim-root
	st_wait "CPUs owned by: 0 sim-root  1 rtos  2 linux-demo  . free  ! failed"
	st_expect_state rtos running
	st_expect_state linux-demo "shut down"
	st_wait_row sim-root " 0,4-7 "
	# The latest console lines, the guest's among them.
	st_wait "CONSOLE (latest"
	st_wait "[rtos] tick"
	# The rtos row's rate history grows as refreshes come.
	if [ "$1" -ge 120 ]; then
		st_wait "EXITS/S HISTORY"
		st_wait_row rtos "[_.:=+*#-]{4,}\$"
	else
		# 80 columns: the sparklines are the first to go.
		st_lacks "HISTORY" || st_fail "sparklines at 80 columns"
	fi
	# The Cells view one key away, and back.
	st_keys 1
	st_wait "CPUs   0 01220000"
	st_lacks "CONSOLE (latest" || st_fail "the dashboard's console in the cells view"
	st_keys 0
	st_wait "CPUs owned by:"
	st_keys q
	st_exit_ok
	st_tmux_stop
}

dashboard_at 80 24
dashboard_at 120 40
dashboard_at 200 60

exit 0
