#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test (issue 8): the create preview runs the library's
# checker, so for a copy of rtos.json with another name and CPU it shows,
# as a "!" line, that the copy's RAM is the running rtos's, says Create
# will fail with Cancel the default; chosen anyway, the hypervisor
# refuses the create and nothing changes.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
DIR="$ST_TMP/cfg"
mkdir -p "$DIR" "$XDG_CONFIG_HOME/hvtop"
sed -e 's/"name": "rtos"/"name": "rtos-copy"/' -e 's/"cpu_set": "1"/"cpu_set": "4"/' \
	"$ST_SRC/configs/sim/rtos.json" >"$DIR/rtos-copy.json"
# The file selector opens where the last config came from.
printf '{ "config_dir": "%s" }\n' "$DIR" >"$XDG_CONFIG_HOME/hvtop/config.json"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5
st_wait "Hypervisor memory"
st_wait_row rtos "shut down"

st_keys n
st_wait "File: $DIR"
st_fsel_pick "$DIR" rtos-copy.json
st_wait "Create cell?"
st_wait '! memory_regions[0] ("ram", phys 0x7f000000-0x7f0fffff) overlaps'
# With blocking findings it says Create will fail, and Cancel is the
# default: Enter changes nothing.
st_wait "Create will fail: the hypervisor refuses a cell with these conflicts."
st_keys Enter
st_wait "create cancelled; nothing changed"
[ "$(st_cell_state rtos-copy)" = absent ] || st_fail "Enter created rtos-copy"
# Chosen anyway, the hypervisor refuses it.
st_keys n
st_wait "File: $DIR"
st_fsel_pick "$DIR" rtos-copy.json
st_wait "Create will fail"
st_keys Left Enter
st_wait "creating cell \"rtos-copy\" failed:"
[ "$(st_cell_state rtos-copy)" = absent ] || st_fail "rtos-copy was created"
st_expect_state rtos "shut down"
st_keys q
st_exit_ok
