#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: rates mean something. A guest makes exits in bursts
# once a second (100 SMC calls and a timer wake-up: about 101 exits/s
# over any whole interval); with a 2 s refresh every rate shown, also
# right after a view switch or a Ctrl-L refresh, is the steady rate and
# not one over half a second (0 or nearly twice it). Then a guest with a
# flat rate (a wake-up every 10 ms: about 95/s over each 1 s interval):
# the detail graph draws it as a flat line on one row, scaled to its
# maximum and labelled, not a solid block.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
cat >"$ST_TMP/burst.guest" <<'GUEST'
#!hvsim-guest
forever
  sleep 1s
  repeat 100
    smc
  end
end
GUEST
st_hvctl cell load rtos "$ST_TMP/burst.guest" >/dev/null || st_fail "load rtos"
st_hvctl cell start rtos >/dev/null || st_fail "start rtos"

st_hvtop -c "sim:$ST_SIMDIR" -d 2 --no-config --view cells
st_expect_state rtos running

# The EXITS/S column of rtos's row in the cells view.
rate() {
	st_row rtos | awk '{ for (i = 1; i <= NF; i++) if ($i == "MiB" || $i == "KiB") { print $(i + 1); exit } }'
}
rate_near() {
	r=$(rate)
	[ -n "$r" ] && [ "$r" != "-" ] && awk -v r="$r" 'BEGIN { exit !(r >= 70 && r <= 135) }'
}
# Steady state first: two whole intervals with the guest running.
st_until 15 "a steady rate of about 101/s" rate_near

# View switches and Ctrl-L, a third of a second apart: each reading is
# the steady rate.
i=0
while [ $i -lt 12 ]; do
	case $((i % 3)) in
	0) st_keys 2 1 ;;
	1) st_keys 0 1 ;;
	2) st_keys C-l ;;
	esac
	sleep 0.3
	st_wait "EXITS/S"
	r=$(rate)
	rate_near || st_fail "rate after a quick refresh is '$r', not about 101/s (switch $i)"
	i=$((i + 1))
done
st_keys q
st_exit_ok
st_tmux_stop

# A flat series: the detail graph is one line on one row.
cat >"$ST_TMP/flat.guest" <<'GUEST'
#!hvsim-guest
forever
  sleep 10ms
end
GUEST
st_hvctl cell shutdown rtos >/dev/null 2>&1
st_hvctl cell load rtos "$ST_TMP/flat.guest" >/dev/null || st_fail "load the flat guest"
st_hvctl cell start rtos >/dev/null || st_fail "start the flat guest"
# --ascii: marks and the old solid block both show in a capture.
st_hvtop -c "sim:$ST_SIMDIR" -d 1 --no-config --view cells --ascii
st_expect_state rtos running
st_keys Down
st_wait_row rtos "running"
# rtos is the selected row (ID order: sim-root, rtos): open its detail.
st_keys Enter
st_wait "Cell 1 \"rtos\""
st_wait "VM exits per second, last 6 samples" 20
# The six graph rows under the title: marks (anything right of the
# axis) on exactly one of them, and the scale's maximum on the top row.
graph_rows() {
	st_screen | awk '
		/VM exits per second, last/ { g = 6; next }
		g > 0 { g--; sub(/^[^|]*\|/, ""); if ($0 ~ /[^ ]/) n++ }
		END { print n + 0 }'
}
n=$(graph_rows)
[ "$n" = 1 ] || st_fail "a flat rate drawn on $n graph rows, not as one flat line"
st_screen | grep -E -e "^ *max [0-9.]+ *\|" >/dev/null || st_fail "no maximum label on the graph"
st_keys q
st_exit_ok
