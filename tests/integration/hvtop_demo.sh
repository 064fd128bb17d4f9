#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop --demo: starts hvsim next to itself, enables the board, creates,
# loads and starts the demo cells, opens the dashboard (where their
# rows and start-up lines show side by side); and removes
# everything on quit and on SIGTERM.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
export TMPDIR="$ST_TMP"

demo_dir() {
	ls -d "$ST_TMP"/hvtop-demo-* 2>/dev/null | head -n 1
}
demo_gone() {
	[ -z "$(demo_dir)" ] && ! pgrep -f "hvsim .*$ST_TMP/hvtop-demo-" >/dev/null
}

st_hvtop --demo --no-config
st_wait "[rtos] kernel 1.0 starting on CPU 1"
st_wait " 0 Dashboard "
st_wait "CPUs owned by:"
dir=$(demo_dir)
[ -n "$dir" ] || st_fail "no demo directory in $ST_TMP"
ST_SIMDIR="$dir"
for c in rtos linux-demo ivshmem-a ivshmem-b; do
	st_until 10 "$c running (hvctl)" st_state_is "$c" running
done
st_wait "[ivshmem-a] received: pong"
st_wait_row ivshmem-b " running "
st_keys 1
st_expect_state rtos running
st_keys q
st_exit_ok
st_until 10 "the demo board to be removed" demo_gone

# demo_killed SIGNAL STATUS: hvtop --demo killed by SIGNAL exits with
# STATUS and removes the board, as on quit.
demo_killed() {
	st_tmux_stop
	st_hvtop --demo --no-config
	st_wait "[rtos] tick 1"
	pid=$(pgrep -f "$ST_BUILD/hvtop --demo" | head -n 1)
	[ -n "$pid" ] || st_fail "hvtop not found"
	kill -"$1" "$pid"
	st_until 10 "hvtop to exit on SIG$1" test -s "$ST_TMP/rc"
	[ "$(cat "$ST_TMP/rc")" = "$2" ] || st_fail "status $(cat "$ST_TMP/rc") after SIG$1"
	st_until 10 "the demo board to be removed after SIG$1" demo_gone
}

# SIGTERM to hvtop cleans up the same way; SIGHUP (the terminal went
# away) too.
demo_killed TERM 143
demo_killed HUP 129
