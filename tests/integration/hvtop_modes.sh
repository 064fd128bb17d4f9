#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: --no-color and NO_COLOR draw without colour escapes
# (attributes only), --readonly hides the actions and refuses them with
# the reason while the system stays as it is, --ascii draws no
# alternate-charset lines, and a bad settings file is reported, used as
# defaults and not overwritten.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running

# Colour escapes in the pane: SGR 30-37/40-47/90-97/38;5/48;5.
has_colour() {
	tmux -L "$ST_SOCK" capture-pane -e -p -t main |
		grep -E '\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5|48;5)(;[0-9;]*)?m' >/dev/null
}
has_bold() {
	tmux -L "$ST_SOCK" capture-pane -e -p -t main | grep -E '\[([0-9;]*;)?1(;[0-9;]*)?m' >/dev/null
}

# With colour, as a baseline (tmux runs a colour terminal).
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
st_wait_row rtos " running "
st_until 5 "colour in the default theme" has_colour
st_keys q
st_exit_ok
st_tmux_stop

# -C: no colour at all, the states still told apart by attributes.
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config -C
st_wait_row rtos " running "
has_colour && st_fail "colour escapes with --no-color"
has_bold || st_fail "no attributes at all with --no-color"
st_keys q
st_exit_ok
st_tmux_stop

# NO_COLOR in the environment does the same.
st_tmux "NO_COLOR=1 '$ST_BUILD/hvtop' -c 'sim:$ST_SIMDIR' -d 0.5 --no-config"
st_wait_row rtos " running "
has_colour && st_fail "colour escapes with NO_COLOR set"
st_keys q
st_exit_ok
st_tmux_stop

# A terminal without colours: monochrome by itself.
st_tmux "TERM=vt100 '$ST_BUILD/hvtop' -c 'sim:$ST_SIMDIR' -d 0.5 --no-config"
st_wait_row rtos " running "
has_colour && st_fail "colour escapes on a vt100"
has_bold || st_fail "no attributes on a vt100"
st_keys q
st_exit_ok
st_tmux_stop

# --readonly: no action keys in the bar, refusals name the reason.
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --readonly
st_wait_row rtos " running "
st_wait "READ-ONLY"
st_lacks "DDestroy" || st_fail "Destroy offered in read-only mode"
st_lacks "xStop" || st_fail "Stop offered in read-only mode"
st_keys End D
st_wait "read-only (started with --readonly): \"destroy\" is not available"
st_keys x
st_wait "\"stop\" is not available"
st_keys n
st_wait "\"create\" is not available"
st_lacks "Destroy cell?" || st_fail "a dialog opened in read-only mode"
[ "$(st_cell_state rtos)" = running ] || st_fail "rtos changed in read-only mode"
st_keys '?'
st_wait "Read-only: started with --readonly."
st_lacks "Destroy the selected cell" || st_fail "help lists destroy in read-only mode"
st_keys Escape q
st_exit_ok
st_tmux_stop

# --ascii: plain characters for lines. In monochrome the memory map's
# owner bar is a vertical line: '|' here, where the line-drawing
# character would show as the VT100 charset's 'x' in tmux's capture.
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --ascii -C
st_wait_row rtos " running "
st_keys 3
st_wait "0x7f000000 || rtos"
st_keys q
st_exit_ok
st_tmux_stop

# A broken settings file: reported by name, defaults used, left alone.
mkdir -p "$XDG_CONFIG_HOME/hvtop"
printf '{ "refresh_seconds": 0.01 }' > "$XDG_CONFIG_HOME/hvtop/config.json"
st_hvtop -c "sim:$ST_SIMDIR"
st_wait "config.json: refresh_seconds: 0.01 is out of range"
st_wait "every 2.0s"
st_keys '+' q
st_exit_ok
[ "$(cat "$XDG_CONFIG_HOME/hvtop/config.json")" = '{ "refresh_seconds": 0.01 }' ] ||
	st_fail "the broken settings file was overwritten"

# A good one is written back atomically with the change made by keys.
rm "$XDG_CONFIG_HOME/hvtop/config.json"
st_tmux_stop
st_hvtop -c "sim:$ST_SIMDIR"
st_wait "every 2.0s"
st_keys '+'
st_wait "refresh every 3.0 s"
st_keys q
st_exit_ok
grep -q '"refresh_seconds": 3.0' "$XDG_CONFIG_HOME/hvtop/config.json" ||
	st_fail "the refresh interval was not saved"
