#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: J writes a cell's running config (cells/<id>/config)
# as JSON; compiled again it gives the same bytes the hypervisor holds.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row rtos " running "
st_keys Down J
st_wait "Export running config"
st_wait "rtos-running.json"
st_keys C-u
st_type "$ST_TMP/rtos-running.json"
st_keys Enter
st_wait "wrote the running config of cell 1 to $ST_TMP/rtos-running.json"
grep -F '"name": "rtos"' "$ST_TMP/rtos-running.json" >/dev/null ||
	st_fail "no rtos config in the file"
"$ST_BUILD/hvctl" config compile -o "$ST_TMP/rtos.cell" "$ST_TMP/rtos-running.json" >/dev/null ||
	st_fail "the exported config does not compile"
cmp "$ST_TMP/rtos.cell" "$ST_SIMDIR/sysfs/cells/1/config" ||
	st_fail "the exported config compiles to other bytes than the running one"
# The same key in the detail.
st_keys Enter
st_wait "Cell 1 \"rtos\""
st_keys J
st_wait "Export running config"
st_keys Escape
st_keys q
st_exit_ok
