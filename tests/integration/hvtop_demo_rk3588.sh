#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop --demo=rk3588: the RK3588 set of configs/rk3588 on its hvsim
# board: the root cell keeps every CPU but 3, the tick cell runs on CPU 3
# and prints its per-second lines; q stops hvsim and removes the board.
# An unknown board name is refused with the names of the boards there,
# before anything is started.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
export TMPDIR="$ST_TMP"

demo_dir() {
	ls -d "$ST_TMP"/hvtop-demo-* 2>/dev/null | head -n 1
}
demo_gone() {
	[ -z "$(demo_dir)" ] && ! pgrep -f "hvsim .*$ST_TMP/hvtop-demo-" >/dev/null
}

st_hvtop --demo=rk3588 --no-config
st_wait " 0 Dashboard "
st_wait "tick: 1000 Hz from the virtual timer (hvsim), on CPU 3"
st_wait "tick second 1: 1000 timer interrupts"
dir=$(demo_dir)
[ -n "$dir" ] || st_fail "no demo directory in $ST_TMP"
ST_SIMDIR="$dir"
st_until 10 "tick running (hvctl)" st_state_is tick running
st_wait_row rk3588 " running +0-2,4-7 "
st_wait_row tick " running +3 "
# The CPU map beside: CPU 3 belongs to tick, the others to the root.
st_wait "3 [tick"
st_has "0 [rk3588" || st_fail "CPU 0 is not shown as the root's"
st_hvctl cell list | awk '$2 == "tick" && $3 == "running" && $4 == "3" { ok = 1 }
	END { exit !ok }' || st_fail "hvctl does not report tick running on CPU 3"
st_keys q
st_exit_ok
st_until 10 "the demo board to be removed" demo_gone

# An unknown board: status 1, a message naming the boards that exist,
# and nothing left behind.
st_tmux_stop
st_hvtop --demo=nosuch --no-config
st_until 10 "hvtop to refuse --demo=nosuch" test -s "$ST_TMP/rc"
[ "$(cat "$ST_TMP/rc")" = 1 ] || st_fail "--demo=nosuch exited with $(cat "$ST_TMP/rc")"
grep -F "no configs/nosuch/" "$ST_TMP/hvtop.err" >/dev/null &&
	grep -F "boards there: rk3588, sim" "$ST_TMP/hvtop.err" >/dev/null ||
	st_fail "unexpected message for --demo=nosuch: $(cat "$ST_TMP/hvtop.err")"
demo_gone || st_fail "--demo=nosuch left a demo board behind"
