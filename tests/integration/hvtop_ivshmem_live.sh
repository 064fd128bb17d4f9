#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: the ivshmem view shows, live, what the hypervisor
# reports of each peer of a link (hvsim's sysfs/ivshmem): the State
# register of both peers changing as a cell starts and stops, interrupts
# and doorbells received, and a peer leaving the link with its cell.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/ivshmem-a.json >/dev/null || st_fail "create ivshmem-a"
st_hvctl cell create configs/sim/ivshmem-b.json >/dev/null || st_fail "create ivshmem-b"
# a: State 1, rings b every 100 ms; b: State 2, rings a back.
cat > "$ST_TMP/a.guest" <<'G'
#!hvsim-guest
ivshmem 00:01.0 state 1
ivshmem 00:01.0 enable
forever
  sleep 100ms
  ivshmem 00:01.0 ring 1
end
G
cat > "$ST_TMP/b.guest" <<'G'
#!hvsim-guest
ivshmem 00:01.0 state 2
ivshmem 00:01.0 enable
forever
  wait_irq
  ivshmem 00:01.0 ring 0
end
G
st_hvctl cell load ivshmem-a "$ST_TMP/a.guest" >/dev/null || st_fail "load ivshmem-a"
st_hvctl cell load ivshmem-b "$ST_TMP/b.guest" >/dev/null || st_fail "load ivshmem-b"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.3 --no-config --view ivshmem
st_wait "2 ivshmem links"
st_wait "peer 1  ivshmem-b"

# report PEER-NAME: the report line under that peer of link 00:01.0.
report() {
	st_screen | awk -v n="$1" '
		/^([0-9a-f]+:)?00:01\.0 / { link = 1 } /^([0-9a-f]+:)?00:00\.0 / { link = 0 }
		link && want { print; exit }
		link && $1 == "peer" && $3 == n { want = 1 }'
}
report_is() {
	report "$1" | grep -E -e "$2" >/dev/null
}

# Created, not started: both on the link, State 0, no interrupts.
st_until 10 "ivshmem-a at state 0" report_is ivshmem-a "ivshmem state 0 +interrupts off"
st_until 10 "ivshmem-b at state 0" report_is ivshmem-b "ivshmem state 0 +interrupts off"

st_hvctl cell start ivshmem-b >/dev/null || st_fail "start ivshmem-b"
st_until 10 "ivshmem-b at state 2" report_is ivshmem-b "ivshmem state 2 +interrupts on"
report_is ivshmem-a "ivshmem state 0 " || st_fail "ivshmem-a changed before it started: $(report ivshmem-a)"
st_hvctl cell start ivshmem-a >/dev/null || st_fail "start ivshmem-a"
st_until 10 "ivshmem-a at state 1" report_is ivshmem-a "ivshmem state 1 +interrupts on"
# Doorbells flow both ways, and the count on screen moves.
bells() { report "$1" | awk '{ print $NF }'; }
st_until 10 "doorbells to ivshmem-b" report_is ivshmem-b "doorbells received [1-9]"
b1=$(bells ivshmem-b)
more_bells() { [ "$(bells ivshmem-b)" -gt "$b1" ]; }
st_until 10 "ivshmem-b's doorbells to pass $b1" more_bells
st_until 10 "doorbells to ivshmem-a" report_is ivshmem-a "doorbells received [1-9]"

# b stops: its State and interrupts go back to 0, a keeps its own.
st_hvctl cell stop ivshmem-b >/dev/null || st_fail "stop ivshmem-b"
st_until 10 "stopped ivshmem-b at state 0" report_is ivshmem-b "ivshmem state 0 +interrupts off"
report_is ivshmem-a "ivshmem state 1 " || st_fail "ivshmem-a lost its state: $(report ivshmem-a)"
# ... and starts again.
st_hvctl cell load ivshmem-b "$ST_TMP/b.guest" >/dev/null || st_fail "reload ivshmem-b"
st_hvctl cell start ivshmem-b >/dev/null || st_fail "restart ivshmem-b"
st_until 10 "restarted ivshmem-b at state 2" report_is ivshmem-b "ivshmem state 2 +interrupts on"

# a goes: it leaves the link, b stays on it.
st_hvctl cell destroy ivshmem-a >/dev/null || st_fail "destroy ivshmem-a"
st_wait_gone "peer 0  ivshmem-a"
st_wait "1 of 2 peers"
report_is ivshmem-b "ivshmem state 2 " || st_fail "ivshmem-b after a left: $(report ivshmem-b)"
st_hvctl cell destroy ivshmem-b >/dev/null || st_fail "destroy ivshmem-b"
st_wait "1 ivshmem link"
st_keys q
st_exit_ok
