#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: the event log view (6) keeps, with the time seen,
# a refused create with its full reason (gone from the status line after
# 15 s, and longer than one screen line), the cells created, started and
# failing, and stays for the session; console lines show their time
# with t.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
DIR="$ST_TMP/cfg"
mkdir -p "$DIR" "$XDG_CONFIG_HOME/hvtop"
sed -e 's/"name": "rtos"/"name": "rtos-copy"/' -e 's/"cpu_set": "1"/"cpu_set": "4"/' \
	"$ST_SRC/configs/sim/rtos.json" >"$DIR/rtos-copy.json"
printf '{ "config_dir": "%s" }\n' "$DIR" >"$XDG_CONFIG_HOME/hvtop/config.json"

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5
st_wait_row rtos "shut down"
st_keys 6
st_wait " 5 Console   6 Events"
st_wait "Nothing has happened yet."

# A create the hypervisor refuses.
st_keys 1 n
st_wait "File: $DIR"
st_fsel_pick "$DIR" rtos-copy.json
st_wait "Create will fail"
st_keys Left Enter
st_wait "creating cell \"rtos-copy\" failed:"
# The status line shows it whole, or cut with a mark.
status_line() {
	st_screen | tail -n 2 | head -n 1
}
status_line | grep -E -e 'busy\)$|>$' >/dev/null ||
	st_fail "status line cut without a mark: $(status_line)"
# The library's whole message, as hvctl gives it.
why=$(st_hvctl cell create "$DIR/rtos-copy.json" 2>&1 >/dev/null | sed -n 1p)
[ -n "$why" ] || st_fail "hvctl did not refuse the create"
st_keys 6
st_wait "error    creating cell \"rtos-copy\" failed:"
# The full reason: the entry's lines, joined, hold the reason's last
# words too (it is longer than a line).
tail_words=$(printf '%s' "$why" | awk '{ print $(NF-1), $NF }')
log_text() {
	st_screen | cut -c19- | tr '\n' ' ' | tr -s ' '
}
log_has_tail() {
	log_text | grep -F -e "$tail_words" >/dev/null
}
st_until 10 "the reason's end (\"$tail_words\") in the log" log_has_tail
st_screen | grep -E '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] error ' >/dev/null ||
	st_fail "the refusal has no time"

# Lifecycle changes and a failure, timestamped.
st_hvctl cell load rtos configs/sim/crash.guest >/dev/null || st_fail "load crash"
st_hvctl cell start rtos >/dev/null || st_fail "start"
st_wait "change   cell \"rtos\" (ID 1): shut down -> running"
st_wait "FAILED   cell \"rtos\" FAILED: CPU 1: data-abort at 0x7fc00000"
st_wait "change   cell \"rtos\" (ID 1): running -> failed"
st_hvctl cell destroy rtos >/dev/null || st_fail "destroy"
st_wait "change   cell \"rtos\" (ID 1) destroyed"

# Console lines can show when they came (t), and stop again.
st_keys 5
st_wait "[crash] touching 0x7fc00000"
stamped() {
	st_screen | grep -E '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] \[crash\] touching' >/dev/null
}
st_lacks_stamp() {
	! stamped
}
st_keys t
st_until 10 "a timestamp before the console line" stamped
st_keys t
st_until 10 "the timestamps to go" st_lacks_stamp
st_wait "[crash] touching 0x7fc00000"
st_keys q
st_exit_ok
