#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: zoomed in, the memory map's rows are exactly the
# stated size apart ("256 MiB per row": rows of one region start 256 MiB
# apart, not spread evenly over it), and a region with more rows than are
# shown says how much is left out.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
st_keys 3
st_wait "Physical memory, one row per region"
st_wait "0x40000000    sim-root"

# Each row that continues a region (no owner of its own) must start one
# row's size after the row above it.
rows_apart() {
	st_screen | awk -v bpr="$1" '
		function hex(s,   i, v, c) {
			v = 0
			s = tolower(substr(s, 3))
			for (i = 1; i <= length(s); i++) {
				c = index("0123456789abcdef", substr(s, i, 1)) - 1
				v = v * 16 + c
			}
			return v
		}
		$1 ~ /^0x[0-9a-f]+$/ {
			a = hex($1)
			rest = $0
			sub(/^0x[0-9a-f]+ *:? */, "", rest)
			if (have && (rest == "" || rest ~ /^\.\.\. /)) {
				n++
				if (a - prev != bpr) {
					printf "row %s is %d bytes after the one above\n", $1, a - prev
					bad = 1
				}
			}
			prev = a
			have = 1
			next
		}
		{ have = 0 }
		END { if (!n) { print "no continuation rows"; bad = 1 } exit bad }'
}

st_keys '>' '>' '>'
st_wait "Physical memory, 256 MiB per row"
# sim-root's 1008 MiB of RAM at 0x40000000: four rows 256 MiB apart.
st_wait "0x50000000"
st_wait "0x60000000"
st_wait "0x70000000"
# The 880 MiB gap below it, capped at three rows: what is left says so.
st_wait "0x19001000 :"
st_wait "0x29001000 :"
st_wait "... 112.0 MiB more not shown"
rows_apart 268435456 >"$ST_TMP/apart" || st_fail "$(cat "$ST_TMP/apart")"

# One step further in (128 MiB per row): the same holds.
st_keys '>'
st_wait "Physical memory, 128 MiB per row"
st_wait "0x48000000"
rows_apart 134217728 >"$ST_TMP/apart" || st_fail "$(cat "$ST_TMP/apart")"
st_keys q
st_exit_ok
