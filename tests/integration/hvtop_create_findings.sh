#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test (issue 11, item 5): at 80x24 the create preview of a
# config that collides with the running rtos (its CPU, RAM, IRQ and
# ivshmem device) shows the findings wrapped inside the dialog (the end
# of a finding longer than the dialog is on screen), each conflict once
# (the CPU is not reported both by the preview and by the checker), and
# names the running cell as cell "rtos", never by its sysfs path.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
DIR="$ST_TMP/cfg"
mkdir -p "$DIR" "$XDG_CONFIG_HOME/hvtop"
sed -e 's/"name": "rtos"/"name": "twin"/' "$ST_SRC/configs/sim/rtos.json" >"$DIR/twin.json"
printf '{ "config_dir": "%s" }\n' "$DIR" >"$XDG_CONFIG_HOME/hvtop/config.json"

ST_COLS=80 ST_ROWS=24 st_hvtop -c "sim:$ST_SIMDIR" -d 0.5
st_wait_row rtos running
st_keys n
st_wait "File: $DIR"
st_fsel_pick "$DIR" twin.json
st_wait "Create cell?"
st_wait "Create will fail"
# The dialog's text: the part between its side borders.
dialog() {
	st_screen | sed -n 's/^..x\(.*\)x.\{0,3\}$/\1/p' | sed 's/ *$//'
}
text=$(dialog | tr '\n' ' ' | tr -s ' ')
# Wrapped: the RAM overlap's message is longer than the dialog; its last
# words are on screen.
printf '%s\n' "$text" | grep -F 'overlaps cell "rtos": memory_regions[0]' >/dev/null ||
	st_fail "the RAM overlap is not shown naming cell \"rtos\": $text"
printf '%s\n' "$text" | grep -F 'where both regions are rootshared' >/dev/null ||
	st_fail "a long finding is cut, not wrapped: $text"
printf '%s\n' "$text" | grep -F 'IRQ 144 is also claimed by cell "rtos"' >/dev/null ||
	st_fail "the IRQ conflict is missing or not named by cell: $text"
# Cells by name, not by their config's sysfs path.
st_lacks 'cells/1/config'
# The CPU conflict once.
n=$(printf '%s\n' "$text" | grep -o 'CPU 1 [a-z]' | wc -l)
[ "$n" -eq 1 ] || st_fail "the CPU 1 conflict is shown $n times: $text"
# Cancel is still the default.
st_keys Enter
st_wait "create cancelled; nothing changed"
[ "$(st_cell_state twin)" = absent ] || st_fail "twin was created"
st_keys q
st_exit_ok
