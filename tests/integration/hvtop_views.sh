#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: every view shows what the simulated board really
# has (checked against hvctl), counters move, Enter opens the detail,
# help lists the view's keys, Esc and q do what they say.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
# Cells: both cells with the states and CPUs hvctl reports.
st_wait "Hypervisor memory"
st_expect_state rtos running
st_expect_state linux-demo "shut down"
st_wait_row rtos " 1 +- "
st_wait_row linux-demo " 2-3 +- "
st_wait_row sim-root " 0,4-7 "
# The CPU strip: CPU 1 is rtos (ID 1), CPUs 2-3 linux-demo (ID 2).
st_wait "CPUs   0 01220000"

# A counter that moves, bracketed by hvctl's reading before and after.
exits_on_screen() {
	st_row rtos | awk '{ print $NF }'
}
before=$(st_cell_exits rtos)
screen_at_least() {
	v=$(exits_on_screen)
	[ -n "$v" ] && [ "$v" -gt "$1" ]
}
st_until 10 "rtos exits on screen to pass $before" screen_at_least "$before"
seen=$(exits_on_screen)
after=$(st_cell_exits rtos)
[ "$seen" -le "$after" ] || st_fail "screen shows $seen exits, hvctl only $after"

# Detail: counters by reason, the CPU column, config regions.
st_keys Down
st_keys Enter
st_wait "Cell 1 \"rtos\""
st_wait "cpu1/s"
st_wait "hypercall"
st_wait "0x7f000000"
st_wait "IRQ chips: 1"
# The config's words are the JSON format's (configs/README.md), not hvtop's own.
st_wait "flags: passive_commreg virtual_console_permitted"
st_keys C
st_wait "COUNTER (CPU 1"
st_keys Escape
st_wait "T ID- NAME"

# CPUs: CPU 1 belongs to rtos and runs, CPU 2 is parked in linux-demo.
st_keys 2
st_wait "CPU- T OWNER"
cpu_row() {
	st_screen | awk -v c="$1" '$1 == c && $2 ~ /^[0-9a-z]$/ { print; exit }'
}
cpu_is() {
	cpu_row "$1" | grep -E -e "$2" >/dev/null
}
st_until 10 "CPU 1 owned by rtos" cpu_is 1 "rtos +running"
st_until 10 "CPU 2 parked in linux-demo" cpu_is 2 "linux-demo +parked"

# Memory map: rtos's RAM, the hypervisor, the ivshmem sections.
st_keys 3
st_wait "Physical memory, one row per region"
st_wait "0x7f000000    rtos"
st_wait "0x7fc00000    hypervisor"
st_wait "sim-root, rtos"
st_keys '>' '>' '>'
st_wait "Physical memory, 256 MiB per row"
st_keys '<' '<' '<'
st_wait "one row per region"

# ivshmem: the root/rtos link with both peers and their states.
st_keys 4
st_wait "1 ivshmem link"
st_wait "00:00.0"
st_wait "peer 0  sim-root"
st_wait "peer 1  rtos"
st_expect_line() {
	st_screen | grep -E -e "$1" >/dev/null
}
st_until 10 "rtos peer running" st_expect_line "peer 1  rtos +cell 1 +running"

# Console: the guest's own words, and its ticks arriving.
st_keys 5
st_wait "hypervisor"
st_wait "[rtos] kernel 1.0 starting on CPU 1"
st_wait "[rtos] tick 2"
st_wait "FOLLOW"
# The cell's own console.
st_keys ']' ']'
st_wait "[rtos] scheduler running at 1 Hz"

# Search: the match scrolls into view and following stops.
st_keys /
st_wait "Search: "
st_type "scheduler"
st_keys Enter
st_wait "match at line"
st_wait "SCROLLED BACK"
# Not the word of the global pause (p), which the title shows.
st_lacks "PAUSED" || st_fail "the console's own state reads like the global pause"
st_keys F
st_wait "FOLLOW"
# Save this console to a file; the file has what the guest printed.
st_keys w
st_wait "Save console"
st_keys C-u
st_type "$ST_TMP/rtos.log"
st_keys Enter
st_wait "saved"
grep -F "[rtos] kernel 1.0 starting on CPU 1" "$ST_TMP/rtos.log" >/dev/null ||
	st_fail "the saved console lacks the guest's first line"

# Help for the console view, then back.
st_keys '?'
st_wait "Help: Console"
st_wait "Search the console text"
st_keys Escape
st_wait_gone "Help: Console"

# Tab goes on to the event log, round to the first view, the dashboard,
# then to cells.
st_keys Tab
st_wait "TIME     KIND     EVENT"
st_keys Tab
st_wait "CPUs owned by:"
st_keys Tab
st_wait "CPUs   0 01220000"
st_wait "T ID- NAME"

# A guest that touches memory it does not own: its CPU fails, and the
# strip, the FAILED column and hvctl say so.
st_hvctl cell load linux-demo configs/sim/crash.guest >/dev/null || st_fail "load crash"
st_hvctl cell start linux-demo >/dev/null || st_fail "start crash"
failed_is() {
	st_hvctl cell list | awk -v n=linux-demo 'substr($0, 9, 24) ~ "^" n " " { print substr($0, 75) }' |
		grep -E "^ *$1 *$" >/dev/null
}
st_until 10 "hvctl to list CPU 2 of linux-demo as failed" failed_is 2
st_wait_row linux-demo " 2-3 +2 "
st_wait "CPUs   0 01!20000"
st_keys q
st_exit_ok
