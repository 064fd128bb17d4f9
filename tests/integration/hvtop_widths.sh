#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop widths (issue 11 item 6): numeric columns keep their width and
# the name gets what is left, so a long cell name is cut with a '>' mark
# at 80x24 and shown whole at 200x60; addresses are as wide as the
# board's address space needs: the sim board (RAM ends below 4 GiB) gets
# 8 hex digits in the memory map and the detail view, the RK3588 demo
# board (MMIO windows up to 0xa_413fffff) 10.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
export TMPDIR="$ST_TMP"

# A 31-character name, the longest the cell descriptor holds.
long=a-very-long-cell-name-for-width
sed "s/\"name\": \"rtos\"/\"name\": \"$long\"/" configs/sim/rtos.json >"$ST_TMP/long.json"

st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create "$ST_TMP/long.json" >/dev/null || st_fail "create $long"

# A table row (T, ID, NAME) with the name cut and marked.
cut_name() {
	st_screen | grep -E -e "^[0-9!] +[0-9]+ a-very-[a-z-]*> " >/dev/null
}
whole_name() {
	st_screen | grep -E -e "^[0-9!] +[0-9]+ $long " >/dev/null
}

ST_COLS=80 ST_ROWS=24 st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
st_wait " 0 Dashboard "
# The dashboard's cell table: cut and marked, the full name nowhere.
st_until 10 "the long name cut with '>' on the dashboard" cut_name
whole_name && st_fail "the full name fits at 80 columns on the dashboard?"
# The CPU bar of CPU 1 names its owner cut with the mark too.
# (once the rate is there to take room from it).
bar_cut() {
	st_screen | grep -E -e "1 \[a-very-[a-z-]*> +0/s\]" >/dev/null
}
st_until 10 "CPU 1's bar to mark the cut owner name" bar_cut
st_keys 1
st_wait "T ID"
st_until 10 "the long name cut with '>' in the cells view" cut_name
whole_name && st_fail "the full name fits at 80 columns in the cells view?"
# The numbers beside it keep their columns: MEMORY shows the whole size.
st_screen | grep -E -e "a-very-[a-z-]*> .* 1\.1 MiB" >/dev/null ||
	st_fail "the memory column of $long is not whole at 80 columns"

# Memory map: 8 hex digits on a board whose memory ends below 4 GiB.
st_keys 3
st_wait "0x7f000000 "
st_lacks "0x000000007f000000" || st_fail "16-digit addresses on the sim board"
# Detail: the config's regions in the same width.
st_keys 1
st_wait "T ID"
st_keys Down
st_keys Enter
st_wait "COUNTER (all CPUs)"
st_keys End
st_wait "PHYS       VIRT"
st_wait "0x7f000000 0x00000000 1 MiB"
st_keys q
st_exit_ok

# 200x60: the name has room and is shown whole, without a mark.
st_tmux_stop
ST_COLS=200 ST_ROWS=60 st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait "T ID"
st_until 10 "the whole name at 200 columns" whole_name
cut_name && st_fail "the name is cut at 200 columns"
st_keys q
st_exit_ok

# The RK3588 board: 40-bit addresses, 10 hex digits, in the memory map
# and the detail view alike.
st_tmux_stop
ST_COLS=200 ST_ROWS=60 st_hvtop --demo=rk3588 --no-config
st_wait " 0 Dashboard "
st_wait "tick second 1:" 20
st_keys 3
st_wait "0x000a800000 "
st_lacks "0x000000000a800000" || st_fail "16-digit addresses on the rk3588 board"
st_has "0x0a800000 " && st_fail "8-digit addresses on the rk3588 board"
st_keys 1
st_wait "T ID"
st_keys Down
st_keys Enter
st_wait "Cell 1 \"tick\""
st_keys End
st_wait "PHYS         VIRT"
st_wait "0x000b000000 0x0000000000"
st_keys q
st_exit_ok
