#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: d compares the selected cell's running config with a
# config file chosen in the selector (cells view and detail) and shows
# the fields that differ, the same lines hvctl config diff prints; a file
# with the same config says so.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
CHANGED="$ST_TMP/changed.json"
sed -e 's/"size": "1M"/"size": "2M"/' -e 's/"passive_commreg", //' \
	-e 's/"cpu_set": "1"/"cpu_set": "1-2"/' "$ST_SRC/configs/sim/rtos.json" >"$CHANGED"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row rtos " running "
st_keys Down d
st_wait "Diff the running config with: choose a config"
st_keys C-u
st_type "$CHANGED"
st_keys Enter
st_wait "Running config of \"rtos\" vs $CHANGED"
st_wait "3 fields differ (PATH: RUNNING -> FILE):"
# Every line hvctl config diff prints is on the screen.
st_hvctl config diff rtos "$CHANGED" >"$ST_TMP/cli.out"
[ $? -eq 1 ] || st_fail "hvctl config diff did not exit 1"
tail -n +3 "$ST_TMP/cli.out" | while IFS= read -r line; do
	st_has "$line" || st_fail "\"$line\" (hvctl config diff) is not on the screen"
done
st_has "cpu_set: 1 -> 1-2" || st_fail "no cpu_set line"
st_has "memory_regions[0].size (ram): 1M -> 2M" || st_fail "no size line"
st_keys Enter
st_wait_gone "Running config of"

# The file it was created from: no difference. From the detail, too.
st_keys Enter
st_wait "Cell 1 \"rtos\""
st_keys d
st_wait "Diff the running config with: choose a config"
st_keys C-u
st_type "$ST_SRC/configs/sim/rtos.json"
st_keys Enter
st_wait "No difference: cell \"rtos\" runs what the file holds."
st_keys Enter
# A system config for a cell: refused, saying why.
st_keys d
st_wait "Diff the running config with: choose a config"
st_keys C-u
st_type "$ST_SRC/configs/sim/system.json"
st_keys Enter
st_wait "system.json is a system config; cell \"rtos\" runs a cell config"
st_keys q
st_exit_ok
