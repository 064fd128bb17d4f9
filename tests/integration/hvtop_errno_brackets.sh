#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test (issue 11, item 10): a refused call's errno text is
# put in brackets after the library's message, as hvctl puts it, on the
# status line and in the event log; never glued to the message.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
DIR="$ST_TMP/cfg"
mkdir -p "$DIR" "$XDG_CONFIG_HOME/hvtop"
cp "$ST_SRC/configs/sim/rtos.json" "$DIR/rtos-again.json"
printf '{ "config_dir": "%s" }\n' "$DIR" >"$XDG_CONFIG_HOME/hvtop/config.json"
# What hvctl says for the same refusal: "... (File exists)".
why=$(st_hvctl cell create "$DIR/rtos-again.json" 2>&1 >/dev/null | sed -n 1p)
printf '%s\n' "$why" | grep -F '(File exists)' >/dev/null ||
	st_fail "hvctl's refusal has no bracketed errno: $why"

ST_COLS=220 st_hvtop -c "sim:$ST_SIMDIR" -d 0.5
st_wait_row rtos "shut down"
st_keys n
st_wait "File: $DIR"
st_fsel_pick "$DIR" rtos-again.json
st_wait "Create will fail"
st_keys Left Enter
st_wait "creating cell \"rtos\" failed:"
status=$(st_screen | tail -n 2 | head -n 1)
printf '%s\n' "$status" | grep -F '(File exists)' >/dev/null ||
	st_fail "status line has no bracketed errno: $status"
# Glued: the errno text straight after the message, without "(".
printf '%s\n' "$status" | grep -E '[^(]File exists' >/dev/null &&
	st_fail "errno glued to the message on the status line: $status"
st_keys 6
st_wait "error    creating cell \"rtos\" failed:"
log=$(st_screen | grep -A3 'error    creating cell "rtos" failed:' | cut -c19- |
	tr '\n' ' ' | tr -s ' ')
printf '%s\n' "$log" | grep -F '(File exists)' >/dev/null ||
	st_fail "event log has no bracketed errno: $log"
printf '%s\n' "$log" | grep -E '[^(]File exists' >/dev/null &&
	st_fail "errno glued to the message in the event log: $log"
[ "$(st_cell_state rtos)" = "shut down" ] || st_fail "rtos changed"
st_keys q
st_exit_ok
