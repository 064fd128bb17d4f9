#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop console test: a guest prints faster than the 2 KiB ring can be
# read. hvtop must show the loss as marked lines, never drop it silently:
# what it kept plus what it says was lost adds up to what the guest
# wrote. Escape sequences from a guest never reach the terminal.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create"

guest="$ST_TMP/flood.guest"
{
	echo '#!hvsim-guest'
	echo 'repeat 300'
	echo '  print flood line $n: 0123456789012345678901234567890123456789012345678901234567890123456789'
	echo 'end'
	printf 'print evil \033[2J\033]0;owned\007<B=x></B>bold done\n'
	echo 'print flood done'
} > "$guest"
# What the guest writes: each line and its newline.
total=0
n=1
while [ $n -le 300 ]; do
	total=$((total + $(printf 'flood line %d: 0123456789012345678901234567890123456789012345678901234567890123456789' $n | wc -c) + 1))
	n=$((n + 1))
done
total=$((total + $(printf 'evil \033[2J\033]0;owned\007<B=x></B>bold done' | wc -c) + 1 + 11))

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view console
st_wait "FOLLOW"
st_keys ']' ']'
st_wait " linux-demo "
st_hvctl cell load linux-demo "$guest" >/dev/null || st_fail "load"
st_hvctl cell start linux-demo >/dev/null || st_fail "start"
st_wait "flood done"
st_wait "bytes of console output lost ---"
# Sanitised: the text is there, the control sequences are not.
st_wait "evil <B=x></B>bold done"
tmux -L "$ST_SOCK" capture-pane -e -p -t main | grep -F "owned" >/dev/null &&
	st_fail "an OSC title sequence reached the screen"

st_keys w
st_wait "Save console"
st_keys C-u
st_type "$ST_TMP/flood.log"
st_keys Enter
st_wait "saved"
kept=$(awk '!/^--- [0-9]+ bytes? of console output lost ---$/ { n += length($0) + 1 } END { print n + 0 }' "$ST_TMP/flood.log")
lost=$(awk '/^--- [0-9]+ bytes? of console output lost ---$/ { n += $2 } END { print n + 0 }' "$ST_TMP/flood.log")
markers=$(grep -c '^--- [0-9]* bytes\? of console output lost ---$' "$ST_TMP/flood.log")
# Escape sequences were dropped from what was kept: add them back.
dropped=$(printf '\033[2J\033]0;owned\007' | wc -c)
grep -qF "evil <B=x></B>bold done" "$ST_TMP/flood.log" && kept=$((kept + dropped))
[ "$markers" -ge 1 ] || st_fail "no loss marked in the saved console"
lo=$((kept + lost - markers))
hi=$((kept + lost))
[ "$total" -ge "$lo" ] && [ "$total" -le "$hi" ] ||
	st_fail "kept $kept + lost $lost (markers $markers) does not account for the $total bytes written"
st_keys q
st_exit_ok
