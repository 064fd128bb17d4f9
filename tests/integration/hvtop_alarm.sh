#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: a cell that fails while another view is shown turns
# the title's count red ("1 FAILED") with the reason from the cell's
# failure record (CPU, fault, address); the row is marked, the detail
# lists the reason, and the status line no longer says "started". With
# no failure record (upstream's driver) the reason is the hypervisor
# console's line.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"
st_hvctl cell load linux-demo configs/sim/crash.guest >/dev/null || st_fail "load crash"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
st_wait "CPUs owned by:"
st_wait_row linux-demo " shut down "
# Start it from hvtop, so the status line says "started", then watch
# another view: the memory map.
st_keys End S
st_wait "started"
st_keys 3
st_wait "Physical memory"

# The title counts it in red, with CPU, fault and address.
st_wait " 1 FAILED "
st_wait " 1 FAILED  linux-demo: CPU 2: data-abort at"
title_red() {
	tmux -L "$ST_SOCK" capture-pane -p -e -t main | head -n 1 |
		grep -E -e '\[[0-9;]*(31|41|91|101)[;m][^[]* 1 FAILED ' >/dev/null
}
st_until 10 "the FAILED count in red" title_red
# hvsim's record is what hvtop shows.
grep -qx "2 data-abort 0x7fc00000" "$ST_SIMDIR/sysfs/cells/2/failure" ||
	st_fail "hvsim's failure record: $(cat "$ST_SIMDIR/sysfs/cells/2/failure")"
# The snapshot carries it for scripts too.
st_hvctl --json cell list 2>/dev/null | grep -F '"failure":"2 data-abort 0x7fc00000"' >/dev/null ||
	"$ST_BUILD/hvtop" -c "sim:$ST_SIMDIR" -b -n 1 --json --no-config |
	grep -F '"failure":"2 data-abort 0x7fc00000"' >/dev/null ||
	st_fail "no failure record in the JSON snapshot"
# The status line does not say "started" beside a failed row.
st_lacks "started" || st_fail "the status line still says started"
st_wait "cell \"linux-demo\" runs on with 1 CPU FAILED: CPU 2: data-abort at 0x7fc00000"

# The row is marked and the detail gives the reason.
st_keys 1
st_until 10 "linux-demo's row marked" st_row_matches linux-demo "^! +2 linux-demo "
st_keys Enter
st_wait "Cell 2 \"linux-demo\""
st_wait "FAILED CPU 2: data-abort at 0x7fc00000"
st_keys Escape

# rtos fails by a trap (guest "fault"): no address, and now 2 FAILED.
cat > "$ST_TMP/fault.guest" <<'G'
#!hvsim-guest
print [f] about to trap
fault
G
st_hvctl cell shutdown rtos >/dev/null 2>&1
st_hvctl cell load rtos "$ST_TMP/fault.guest" >/dev/null || st_fail "load fault.guest"
st_hvctl cell start rtos >/dev/null || st_fail "start fault.guest"
st_wait " 2 FAILED "
st_until 10 "rtos's row marked" st_row_matches rtos "^! +1 rtos "
grep -qx "1 unhandled-trap -" "$ST_SIMDIR/sysfs/cells/1/failure" ||
	st_fail "rtos's failure record: $(cat "$ST_SIMDIR/sysfs/cells/1/failure")"
st_keys q
st_exit_ok
st_tmux_stop

# Without the record (as on upstream's driver, where the attribute does
# not exist), the hypervisor console's reason line stands in.
rm -f "$ST_SIMDIR/sysfs/cells/1/failure" "$ST_SIMDIR/sysfs/cells/2/failure"
[ ! -e "$ST_SIMDIR/sysfs/cells/2/failure" ] || st_fail "cannot remove the failure records"
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait " 2 FAILED  rtos: Unhandled trap (exception c>"
st_keys End Enter
st_wait "Cell 2 \"linux-demo\""
st_wait "FAILED Unhandled data write at 0x7fc00000 (4 bytes) by CPU 2"
st_keys q
st_exit_ok
