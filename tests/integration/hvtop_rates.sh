#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: rates mean something. A guest makes exits in bursts
# once a second (100 SMC calls and a timer wake-up: about 101 exits/s
# over any whole interval); with a 2 s refresh every rate shown, also
# right after a view switch or a Ctrl-L refresh, is the steady rate and
# not one over half a second (0 or nearly twice it). Then the detail
# graph: a line with one mark per sample (not a solid block of filled
# bars), scaled to its largest sample and labelled; a flat series (a
# cell with no exits) is one flat line.
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

# The EXITS/S column of rtos's row in the cells view. A whole 2 s
# interval holds two bursts, or one or three when a burst falls on its
# edge: 50 to 151/s. Under a second (what a quick refresh measured) holds
# none or one: 0, or up to 200/s.
rate() {
	st_row rtos | awk '{ for (i = 1; i <= NF; i++) if ($i == "MiB" || $i == "KiB") { print $(i + 1); exit } }'
}
rate_near() {
	r=$(rate)
	[ -n "$r" ] && [ "$r" != "-" ] && awk -v r="$r" 'BEGIN { exit !(r >= 40 && r <= 170) }'
}
# Steady state first: two whole intervals with the guest running.
st_until 15 "a steady rate (about 101/s)" rate_near

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
	rate_near || st_fail "rate after a quick refresh is '$r', not a whole interval's (switch $i)"
	i=$((i + 1))
done
st_keys q
st_exit_ok
st_tmux_stop

# The detail graph is a line: one mark per sample, none below it (the
# old graph filled every column from the floor to the sample, a solid
# block for a steady rate), scaled to the largest sample and labelled.
cat >"$ST_TMP/flat.guest" <<'GUEST'
#!hvsim-guest
forever
  sleep 10ms
end
GUEST
st_hvctl cell shutdown rtos >/dev/null 2>&1
st_hvctl cell load rtos "$ST_TMP/flat.guest" >/dev/null || st_fail "load the steady guest"
st_hvctl cell start rtos >/dev/null || st_fail "start the steady guest"
st_hvctl cell create configs/sim/linux-demo.json >/dev/null || st_fail "create linux-demo"
# --ascii: marks and the old solid block both show in a capture.
st_hvtop -c "sim:$ST_SIMDIR" -d 1 --no-config --view cells --ascii
st_expect_state rtos running
st_expect_state linux-demo "shut down"

# The graph's six rows under its title: the samples it says it shows,
# the marks per column, the rows with marks.
graph() {
	st_screen | awk '
		/VM exits per second, last/ { g = 6; n = $0; sub(/.*last /, "", n); sub(/ .*/, "", n); next }
		g > 0 {
			g--
			sub(/^[^|]*\|/, "")
			if ($0 ~ /[^ ]/)
				rows++
			for (i = 1; i <= length($0); i++)
				if (substr($0, i, 1) != " ") {
					col[i]++
					marks++
				}
		}
		END {
			most = 0
			for (i in col)
				if (col[i] > most)
					most = col[i]
			printf "%d %d %d %d\n", n, marks, most, rows
		}'
}
samples_at_least() {
	[ "$(graph | cut -d" " -f1)" -ge "$1" ]
}

# rtos, exits steadily: one mark per sample, one per column.
st_keys Down
st_wait_row rtos "running"
st_keys Enter
st_wait "Cell 1 \"rtos\""
st_until 20 "6 samples in rtos's graph" samples_at_least 6
set -- $(graph)
[ "$3" = 1 ] || st_fail "$3 marks in a column of the graph: filled bars, not a line"
[ "$2" = "$1" ] || st_fail "$2 marks for $1 samples"
st_screen | grep -E -e "^ *max [0-9.]+ *\|" >/dev/null || st_fail "no maximum label on the graph"
st_screen | grep -E -e "last [0-9]+ samples \(every 1.0 s\), 0 to [0-9.]+" >/dev/null ||
	st_fail "no scale in the graph's title"

# linux-demo, shut down, makes no exits: a flat series, one flat line.
st_keys Escape
st_wait "T ID^ NAME"
st_keys Down
st_wait_row linux-demo "shut down"
st_keys Enter
st_wait "Cell 2 \"linux-demo\""
st_until 20 "4 samples in linux-demo's graph" samples_at_least 4
set -- $(graph)
[ "$4" = 1 ] || st_fail "a flat rate drawn on $4 graph rows, not as one flat line"
[ "$2" = "$1" ] || st_fail "$2 marks for $1 samples of a flat rate"
st_keys q
st_exit_ok
