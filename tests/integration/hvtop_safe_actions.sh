#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test, safe actions (issue 11 item 5): file selectors list
# only what fits (configs to create, images to load); starting a cell
# hvtop saw created and never loaded asks first, Cancel the default;
# loading into a running cell asks first, Cancel the default; R creates,
# loads and starts the cell destroyed last, and a step that fails stops
# and says which; --demo=rk3588 offers configs/rk3588 to create from.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
CFG="$ST_SRC/configs/sim"
# The image comes from a directory of its own, so that it can go away.
IMGDIR="$ST_TMP/images"
mkdir -p "$IMGDIR"
cp "$CFG/rtos.guest" "$IMGDIR/rtos.guest"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row sim-root " running "

# The create selector lists configs, not guest images or other files.
st_keys n
st_wait "File: $CFG"
st_wait "rtos.json"
st_lacks "rtos.guest" || st_fail "the create selector lists an image"
st_lacks "crash.guest" || st_fail "the create selector lists an image"
st_has "profiles/" || st_fail "the create selector hides directories"
st_keys Escape
st_wait "create cancelled; nothing changed"

# A cell created while hvtop watches, never loaded: S asks, Cancel first.
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
st_wait_row rtos " shut down "
st_keys End S
st_wait "Start an empty cell?"
st_wait "Start cell 1 \"rtos\"? It may never have been loaded:"
st_wait "hvtop has seen no image loaded into it since it was created at"
st_keys Enter
st_wait "start cell \"rtos\" cancelled; nothing changed"
[ "$(st_cell_state rtos)" = "shut down" ] || st_fail "rtos started after a cancel"

# The load selector lists images, not configs.
st_keys L
st_wait "Load: choose an image"
st_wait "File: $CFG"
st_wait "rtos.guest"
st_lacks "rtos.json" || st_fail "the load selector lists a config"
st_lacks "system.json" || st_fail "the load selector lists a config"
# The image from its own directory, typed.
st_keys C-u
st_type "$IMGDIR/rtos.guest"
st_keys Enter
st_wait "Address: 0x0"
st_keys Enter
st_wait "into cell \"rtos\"; S starts it"
# Loaded: S starts at once.
st_keys S
st_wait "cell \"rtos\" started"
st_expect_state rtos running

# Loading into the running cell stops it: asked first, Cancel the default.
st_keys L
st_wait "Load into a running cell?"
st_wait "Load an image into cell 1 \"rtos\" (running)?"
st_wait "Loading stops it first: its CPUs 1 are parked"
st_wait "It cuts ivshmem 0001:00:00.0 to sim-root."
st_keys Enter
st_wait "load into cell \"rtos\" cancelled; it keeps running"
st_expect_state rtos running
st_keys L
st_wait "Load into a running cell?"
st_keys Left Enter
st_wait "Load: choose an image"
st_keys Escape
st_wait "load cancelled; nothing changed"
st_expect_state rtos running

# Destroyed (from another tool), R brings it back: create, load, start.
st_hvctl cell destroy rtos >/dev/null || st_fail "destroy rtos"
st_until 10 "rtos to leave the table" sh -c "! tmux -L '$ST_SOCK' capture-pane -p -t main | grep -q ' rtos  '"
st_keys R
st_wait "Re-create cell?"
st_wait "Re-create cell \"rtos\", destroyed at"
st_wait "1. create it from the config it ran with (CPUs 1, 1 MiB)"
st_wait "2. load $IMGDIR/rtos.guest at 0x0"
st_wait "3. start it"
st_keys Enter
st_wait "re-created cell \"rtos\" with ID 1: created from its config, loaded $IMGDIR/rtos.guest at 0x0, started"
st_expect_state rtos running
# The event log says what it did, step by step.
st_keys 6
st_wait "re-creating cell \"rtos\": created with ID 1 from its config"
st_wait "re-created cell \"rtos\" with ID 1: created from its config, loaded"
st_keys 1

# Again, with the image gone: the load step fails, says so, and stops.
st_hvctl cell destroy rtos >/dev/null || st_fail "destroy rtos"
st_until 10 "rtos to leave the table" sh -c "! tmux -L '$ST_SOCK' capture-pane -p -t main | grep -q ' rtos  '"
rm "$IMGDIR/rtos.guest"
st_keys R
st_wait "Re-create cell?"
st_keys Enter
st_wait "step 2 of 3 (load) failed: $IMGDIR/rtos.guest: No such file or directory"
st_expect_state rtos "shut down"
# The whole message in the event log.
st_keys 6
st_wait "cell \"rtos\" was created (ID 1) and is left shut down"
st_keys 1
# Nothing left to re-create.
st_hvctl cell destroy rtos >/dev/null || st_fail "destroy rtos"
st_until 10 "rtos to leave the table" sh -c "! tmux -L '$ST_SOCK' capture-pane -p -t main | grep -q ' rtos  '"
st_keys R
st_wait "Re-create cell \"rtos\", destroyed at"
st_wait "2. (no image: hvtop loaded none into it; it stays shut down)"
st_keys Escape
st_wait "re-create cell \"rtos\" cancelled; nothing changed"
st_keys q
st_exit_ok
st_tmux_stop

# --demo=rk3588: the new-cell selector opens on the RK3588 configs.
export TMPDIR="$ST_TMP"
st_hvtop --demo=rk3588 --no-config
st_wait "tick second 1"
st_keys n
st_wait "Create: choose a cell config"
st_wait "File: $ST_SRC/configs/rk3588"
st_wait "tick.json"
st_lacks "rtos.json" || st_fail "the rk3588 demo offers configs/sim"
st_keys Escape q
st_exit_ok
