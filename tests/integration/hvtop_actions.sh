#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: create (file selector, preview, confirm), load,
# start, stop and destroy through the keys, each confirmation also
# cancelled first; after every step hvctl must agree with the screen.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
CFG="$ST_SRC/configs/sim"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait "Hypervisor memory"
st_wait_row sim-root " running "

# Create, cancelled in the file selector: nothing changes.
st_keys n
st_wait "Create: choose a cell config"
st_wait "File: $CFG"
st_keys Escape
st_wait "create cancelled; nothing changed"
[ "$(st_cell_state rtos)" = absent ] || st_fail "rtos exists after a cancelled create"

# Create, cancelled at the preview.
st_keys n
st_wait "File: $CFG"
st_fsel_pick "$CFG" rtos.json
st_wait "Create cell?"
st_wait "It takes from the root cell:"
st_wait "CPUs 1"
st_wait "memory 0x7f000000-0x7f0fffff 1 MiB"
st_keys Right Enter
st_wait "create cancelled; nothing changed"
[ "$(st_cell_state rtos)" = absent ] || st_fail "rtos exists after a cancelled preview"

# Create for real (the preview's default button is Create).
st_keys n
st_wait "File: $CFG"
st_fsel_pick "$CFG" rtos.json
st_wait "Create cell?"
st_keys Enter
st_wait "created cell \"rtos\" with ID 1"
st_expect_state rtos "shut down"
st_wait "CPUs   0 01000000"

# A second rtos: the preview warns (Cancel the default), chosen anyway
# the hypervisor refuses with the library's explanation, and nothing
# changes.
st_keys n
st_wait "File: $CFG"
st_fsel_pick "$CFG" rtos.json
st_wait "! a cell named \"rtos\" exists already"
st_wait "! CPU 1 belongs to cell \"rtos\", not to the root cell"
st_wait "Create will fail"
st_keys Left Enter
st_wait "creating cell \"rtos\" failed:"
[ "$(st_hvctl cell list | grep -c ' rtos ')" = 1 ] || st_fail "a second rtos appeared"
st_expect_state rtos "shut down"

# Load the guest through the file selector and the address prompt.
st_keys End L
st_wait "Load: choose an image"
st_fsel_pick "$CFG" rtos.guest
st_wait "Address: 0x0"
st_keys Enter
st_wait "loaded"
st_wait "into cell \"rtos\"; S starts it"

# Start: no confirmation needed.
st_keys S
st_wait "cell \"rtos\" started"
st_expect_state rtos running

# Stop, cancelled (the safe default button), then confirmed.
st_keys x
st_wait "Stop cell?"
st_wait "Stop cell 1 \"rtos\" (running)?"
# It names what else it affects: the ivshmem link to the root cell.
st_wait "It cuts ivshmem 0001:00:00.0 to sim-root."
st_keys Enter
st_wait "stop cell \"rtos\" cancelled; nothing changed"
st_expect_state rtos running
st_keys x
st_wait "Stop cell?"
st_keys Left Enter
st_wait "cell \"rtos\" stopped"
st_expect_state rtos "shut down"

# A refusal is explained and changes nothing: the root cell cannot stop.
st_keys Home x
st_wait "the root cell cannot be stopped"
st_expect_state sim-root running

# Destroy, cancelled with Esc, then confirmed; the dialog names what it owns.
st_keys End D
st_wait "Destroy cell 1 \"rtos\" (shut down)?"
st_wait "It owns CPUs 1 and 1.1 MiB of memory."
st_wait "It cuts ivshmem 0001:00:00.0 to sim-root."
st_keys Escape
st_wait "destroy cell \"rtos\" cancelled; nothing changed"
st_expect_state rtos "shut down"
st_keys D
st_wait "Destroy cell?"
st_keys Left Enter
st_wait "cell \"rtos\" destroyed"
st_until 10 "hvctl to lose rtos" st_state_is rtos absent
st_until 10 "rtos to leave the table" sh -c "! tmux -L '$ST_SOCK' capture-pane -p -t main | grep -q ' rtos  '"
st_wait "CPUs   0 00000000"

# Disable, cancelled; then confirmed: the screen says so, hvctl too.
st_keys X
st_wait "Disable hypervisor?"
st_keys Enter
st_wait "disable cancelled; nothing changed"
st_keys X
st_wait "Disable hypervisor?"
st_keys Left Enter
st_wait "The hypervisor is disabled."
# hvctl lists no cell at all while the hypervisor is disabled.
[ -z "$(st_hvctl cell list)" ] || st_fail "hvctl still lists cells after disable"

# Enable again through the file selector.
st_keys E
st_wait "Enable: choose a system config"
st_fsel_pick "$CFG" system.json
st_wait "Enable the hypervisor with $CFG/system.json?"
st_keys Left Enter
st_wait "hypervisor enabled with $CFG/system.json"
st_expect_state sim-root running
st_keys q
st_exit_ok
