#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test for bugs seen (issue 11 item 10): the CPUs view's
# header names each column once and the owner's ID shows once (as its
# tag); the detail's per-CPU counter heading has no padding inside the
# bracket; a new console search does not start with the last query; the
# ivshmem view writes a PCI address as the detail does, tells a destroyed
# peer from one never configured and names "no protocol" as such; JSON
# rates have two decimals; the clock stops while paused (item 8); a
# value too wide for its column is cut with a mark (item 6).
# (The errno text in brackets is hvtop_events.sh's.)
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running

st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cpus
st_wait "CPU- T OWNER"
header() {
	st_screen | grep -E "^CPU- T OWNER"
}
header | grep -E 'CPU STATE +CELL STATE' >/dev/null || st_fail "header: $(header)"
[ "$(header | grep -o 'CELL' | wc -l)" -eq 1 ] || st_fail "CELL twice in the header: $(header)"
row_ok() {
	st_screen | grep -E '^ +1 1 rtos +running +running ' >/dev/null
}
st_until 10 "CPU 1's row without a second ID" row_ok

st_keys 1 Down Enter
st_wait "Cell 1 \"rtos\""
st_keys C
st_wait "COUNTER (CPU 1)"
st_lacks "COUNTER (CPU 1 " || st_fail "padding inside the bracket"
st_keys q
st_exit_ok

# A second console search starts empty: the new query is what is typed,
# not appended to the last one.
st_tmux_stop
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view console
st_wait "[rtos] tick"
st_keys /
st_type "scheduler"
st_keys Enter
st_wait "match at line"
st_keys /
st_wait "Search: "
st_lacks "Search: scheduler" || st_fail "the search prompt starts with the last query"
st_type "kernel 1.0"
st_keys Enter
st_lacks "not found" || st_fail "the second query was appended to the first"
st_wait "match at line"
st_keys q
st_exit_ok

# The ivshmem link's PCI address is written as the cell detail writes it.
st_tmux_stop
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row rtos " running "
st_keys Down Enter
st_wait "Cell 1 \"rtos\""
detail_bdf() {
	st_screen | grep -o -E '[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]' | head -n 1
}
has_bdf() {
	[ -n "$(detail_bdf)" ]
}
st_until 10 "a PCI address in the detail" has_bdf
bdf=$(detail_bdf)
st_keys 4
st_wait "ivshmem link"
st_wait "$bdf"
# A peer destroyed: the link says who is missing, not that only one
# peer is configured; the protocol is named as one.
st_wait "2 of 2 peers present"
st_hvctl cell shutdown rtos >/dev/null 2>&1
st_hvctl cell destroy rtos >/dev/null || st_fail "destroy rtos"
st_wait "1 of 2 peers present: no one to talk to until another is created"
st_lacks "only one peer is configured" || st_fail "a destroyed peer read as not configured"
st_lacks "undefined" || st_fail "protocol 0 shown as a value"
st_keys q
st_exit_ok

# Rates in the JSON snapshots have two decimals, not every digit of a double.
"$ST_BUILD/hvtop" -c "sim:$ST_SIMDIR" -b -n 2 -d 0.5 --json --no-config >"$ST_TMP/snaps.json" ||
	st_fail "hvtop -b --json"
grep -F '"rates":{' "$ST_TMP/snaps.json" >/dev/null || st_fail "no rates in the second snapshot"
if grep -E '"vmexits_[a-z_]+":[0-9]+\.[0-9]{3,}' "$ST_TMP/snaps.json" >/dev/null; then
	st_fail "a rate with more than two decimals: $(grep -o -E '"vmexits_[a-z_]+":[0-9]+\.[0-9]{3,}' "$ST_TMP/snaps.json" | head -n 1)"
fi
grep -E '"vmexits_total":[0-9]+\.[0-9]{2}[,}]' "$ST_TMP/snaps.json" >/dev/null ||
	st_fail "no two-decimal total rate"

# While paused the title's clock stops (item 8).
st_tmux_stop
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait "every 0.5s"
st_keys p
st_wait "PAUSED"
clock() {
	st_screen | head -n 1 | grep -o -E '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$'
}
c1=$(clock)
sleep 2
# A redraw while paused (a key) must still show the same time.
st_keys Down
sleep 0.5
c2=$(clock)
[ -n "$c1" ] && [ "$c1" = "$c2" ] || st_fail "the clock moved while paused: $c1 -> $c2"
st_keys p
st_wait_gone "PAUSED"
st_keys q
st_exit_ok

# A value wider than its column is cut with a mark, never from the left
# ("018.1 MiB" for 1018.1 MiB); sizes up to 1023.9 MiB fit (item 6).
st_tmux_stop
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells
st_wait_row sim-root " running "
# The root keeps just over 1000 MiB of the sim board's 1 GiB here.
mem=$(st_row sim-root | grep -o -E '[0-9.]+ [KMG]iB')
echo "$mem" | grep -E '^1[0-9]{3}\.[0-9] MiB$' >/dev/null ||
	st_fail "sim-root's memory reads \"$mem\""
st_keys q
st_exit_ok
