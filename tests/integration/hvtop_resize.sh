#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: resizing below 80x24 shows the "too small" screen
# (which still quits on q), and growing back restores the live view;
# a dialog open across a resize is rebuilt and still works.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait "Hypervisor memory"
st_wait_row linux-demo " shut down "

tmux -L "$ST_SOCK" resize-window -t main -x 70 -y 20
st_wait "Terminal too small: 70x20"
st_wait "hvtop needs at least 80x24."
st_lacks "Hypervisor memory" || st_fail "the view is drawn into a too small terminal"
# Keys other than quit do nothing here.
st_keys D
tmux -L "$ST_SOCK" resize-window -t main -x 80 -y 23
st_wait "Terminal too small: 80x23"

tmux -L "$ST_SOCK" resize-window -t main -x 80 -y 24
st_wait "Hypervisor memory"
st_wait_row linux-demo " shut down "
st_lacks "Destroy cell?" || st_fail "a key typed on the too-small screen acted"
# The state shown still follows the backend after the resizes.
st_hvctl cell destroy linux-demo >/dev/null || st_fail "destroy"
st_wait "CPUs   0 00000000"

# A dialog survives a resize: open, shrink, grow, answer.
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create again"
st_wait_row linux-demo " shut down "
st_keys End x
st_wait "Stop cell?"
tmux -L "$ST_SOCK" resize-window -t main -x 100 -y 30
st_wait "Stop cell 1 \"linux-demo\""
st_keys Escape
st_wait "stop cell \"linux-demo\" cancelled"

# Too small while a dialog is open: the dialog waits, and still works
# (and still defaults to Cancel) when there is room again.
st_keys x
st_wait "Stop cell?"
tmux -L "$ST_SOCK" resize-window -t main -x 60 -y 15
st_wait "Terminal too small: 60x15"
tmux -L "$ST_SOCK" resize-window -t main -x 90 -y 30
st_wait "Stop cell 1 \"linux-demo\""
st_keys Left Enter
st_wait "cell \"linux-demo\" stopped"
st_expect_state linux-demo "shut down"

# q quits from the too-small screen too.
tmux -L "$ST_SOCK" resize-window -t main -x 40 -y 10
st_wait "Terminal too small: 40x10"
st_keys q
st_exit_ok
