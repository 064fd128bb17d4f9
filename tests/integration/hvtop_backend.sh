#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: the backend goes away (hvsim killed) and comes back
# (a new hvsim on the same directory): hvtop says so, keeps running,
# reconnects by itself and shows the new board's state, not the old.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
st_wait_row rtos " shut down "

st_sim_stop
st_wait "DISCONNECTED"
# The last state stays on screen, marked stale (hvtop_stale.sh).
st_wait "stale since"
st_wait_row rtos " shut down "
# Still alive and answering keys while the backend is gone.
st_keys 5
st_wait "--- backend lost"
st_keys 1

# A fresh board: disabled first, then enabled with another cell.
st_sim
st_wait "The hypervisor is disabled."
st_wait_gone "DISCONNECTED"
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable again"
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"
st_expect_state linux-demo "shut down"
st_lacks " rtos " || st_fail "a cell of the old board is still shown"
st_keys 5
st_wait "--- backend reachable again ---"
st_keys q
st_exit_ok
