#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test (issue 11, item 2): one of linux-demo's two CPUs
# fails (a store to memory the cell does not own) while the other runs
# on, so the cell stays running; that still raises the alarm: the
# title's failure count in red, the row marked, and the reason (CPU,
# fault, address) on the row's line in the title and in the detail view.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"
cat > "$ST_TMP/half.guest" <<'G'
#!hvsim-guest
cpu_on 3 second
forever
  sleep 1s
end
second:
sleep 5ms
write 0x7fc00000 1
G
st_hvctl cell load linux-demo "$ST_TMP/half.guest" >/dev/null || st_fail "load half.guest"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row linux-demo " shut down "
st_hvctl cell start linux-demo >/dev/null || st_fail "start"
st_until 10 "CPU 3 failed in hvsim" grep -qx 3 "$ST_SIMDIR/sysfs/cells/1/cpus_failed_list"
[ "$(st_cell_state linux-demo)" = running ] || st_fail "linux-demo is not running"
# The title counts it in red, with CPU, fault and address.
st_wait " 1 FAILED  linux-demo: CPU 3: data-abort at"
title_red() {
	tmux -L "$ST_SOCK" capture-pane -p -e -t main | head -n 1 |
		grep -E -e '\[[0-9;]*(31|41|91|101)[;m][^[]* 1 FAILED ' >/dev/null
}
st_until 10 "the FAILED count in red" title_red
# The row is marked while its state stays running, its failed CPU listed.
st_until 10 "linux-demo's row marked" st_row_matches linux-demo "^! +1 linux-demo +running +2-3 +3 "
# The CPU strip marks CPU 3.
st_wait "CPUs   0 001!0000"
st_wait "cell \"linux-demo\" runs on with 1 CPU FAILED: CPU 3: data-abort at 0x7fc00000"
# The detail gives the reason.
st_keys End Enter
st_wait "Cell 1 \"linux-demo\""
st_wait "FAILED CPU 3: data-abort at 0x7fc00000"
[ "$(st_cell_state linux-demo)" = running ] || st_fail "linux-demo stopped running"
st_keys Escape q
st_exit_ok
