#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: a session recorded with hvtop -b --json on hvsim
# (rtos created, started, stopped, destroyed) replays in the full UI:
# the recorded states in order, REPLAY and the recorded time in the
# title, pause and step, speed, actions refused as a replay; a malformed
# line refuses the file naming it and the line; a cut-off last line is
# left out with a warning.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
REC="$ST_TMP/session.json"

"$ST_BUILD/hvtop" -b --json -d 0.5 -c "sim:$ST_SIMDIR" >"$REC" 2>"$ST_TMP/rec.err" &
REC_PID=$!
# Stopped with hvsim if the test fails half-way.
ST_SIM_PID="$ST_SIM_PID $REC_PID"

rec_lines() {
	wc -l <"$REC"
}
rec_reached() {
	[ "$(rec_lines)" -ge "$1" ]
}
# Let the recorder write three more snapshots (1.5 s) of the state now.
rec_hold() {
	st_want=$(( $(rec_lines) + 3 ))
	st_until 20 "the recorder to write $st_want snapshots" rec_reached "$st_want"
}
rec_hold
st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
rec_hold
st_hvctl cell load rtos configs/sim/rtos.guest >/dev/null || st_fail "load rtos"
st_hvctl cell start rtos >/dev/null || st_fail "start rtos"
rec_hold
st_hvctl cell shutdown rtos >/dev/null || st_fail "stop rtos"
rec_hold
st_hvctl cell destroy rtos >/dev/null || st_fail "destroy rtos"
rec_hold
kill "$REC_PID"
wait "$REC_PID"
ST_SIM_PID=$(echo "$ST_SIM_PID" | sed "s/ $REC_PID//")
grep -q '"name":"rtos","state":"running"' "$REC" || st_fail "the recording lacks rtos running"
N=$(rec_lines)
LAST_T=$(tail -n 1 "$REC" | sed 's/.*"time":\([0-9]*\),.*/\1/')
LAST_WHEN=$(date -d "@$LAST_T" '+%Y-%m-%d %H:%M:%S')

# rtos's state in the cells table now: "absent", "shut down", "running".
rtos_state() {
	st_row rtos | grep -o -E 'running|shut down|failed' | head -n 1 | grep . ||
		echo absent
}

# The replay at the recorded pace: every state rtos went through, in order.
st_hvtop --no-config --view cells --replay "$REC"
st_wait "REPLAY $REC"
seen=""
last=""
deadline=$(( $(date +%s) + 30 * ST_SLOW ))
while :; do
	screen=$(st_screen)
	s=$(rtos_state)
	if [ "$s" != "$last" ]; then
		seen="$seen${seen:+ > }$s"
		last=$s
	fi
	echo "$screen" | grep -q "end of the replay ($N snapshots)" && break
	[ "$(date +%s)" -ge "$deadline" ] && st_fail "the replay did not end; saw: $seen"
	sleep 0.05
done
[ "$seen" = "absent > shut down > running > shut down > absent" ] ||
	st_fail "replayed states out of order: $seen"
# The title: REPLAY, the position and the recorded time, not the wall clock.
st_wait "$N/$N  $LAST_WHEN"
st_has "READ-ONLY" || st_fail "a replay is not marked read-only"
# Actions are refused, saying why.
st_keys x
st_wait "read-only (this is a replay of $REC): \"stop\" is not available"
st_keys S
st_wait "\"start\" is not available"
# The event log holds the recorded changes at their recorded times.
RTOS_T=$(grep -m 1 '"name":"rtos"' "$REC" | sed 's/.*"time":\([0-9]*\),.*/\1/')
st_keys 6
st_wait "rtos"
st_screen | grep -E "$(date -d "@$RTOS_T" '+%H:%M:%S') .*rtos" >/dev/null ||
	st_fail "the event log does not show rtos created at the recorded time"
st_keys q
st_exit_ok
st_tmux_stop

# Pause and step: each '.' shows the next snapshot; '-' doubles the pace.
st_hvtop --no-config --view cells --replay "$REC"
st_keys p
st_wait "replay paused (p resumes, . steps)"
pos=$(st_screen | head -n 1 | grep -o -E "PAUSED  [0-9]+/$N" | grep -o -E '[0-9]+/' | tr -d /)
[ -n "$pos" ] || st_fail "no position in the title"
st_keys .
st_wait "PAUSED  $((pos + 1))/$N"
st_wait "snapshot $((pos + 1)) of $N (p resumes)"
st_keys .
st_wait "PAUSED  $((pos + 2))/$N"
sleep 1
st_has "PAUSED  $((pos + 2))/$N" || st_fail "a paused replay moved on"
st_keys -
st_wait "replaying at 2 times the recorded pace"
st_wait "x2"
st_keys p
st_wait "$N/$N  x2  $LAST_WHEN"
st_keys q
st_exit_ok
st_tmux_stop

# A malformed line refuses the whole file, naming it and the line.
BAD="$ST_TMP/bad.json"
{ head -n 2 "$REC"; echo '{"schema_version":1,"enabled":tru'; tail -n +3 "$REC"; } >"$BAD"
st_hvtop --no-config --replay "$BAD"
st_until 10 "hvtop to refuse $BAD" test -s "$ST_TMP/rc"
[ "$(cat "$ST_TMP/rc")" = 1 ] || st_fail "a malformed recording gave status $(cat "$ST_TMP/rc")"
grep -F "hvtop: $BAD:3: not JSON" "$ST_TMP/hvtop.err" >/dev/null ||
	st_fail "no message naming $BAD line 3: $(cat "$ST_TMP/hvtop.err")"
st_tmux_stop
{ head -n 3 "$REC"; echo '{"schema_version":1,"enabled":true,"num_cpus":8,"cells":[{"id":0,"name":"x","state":"asleep"}]}'; } >"$BAD"
st_hvtop --no-config --replay "$BAD"
st_until 10 "hvtop to refuse $BAD" test -s "$ST_TMP/rc"
grep -F "hvtop: $BAD:4: cells[0]: state \"asleep\" is not a cell state" "$ST_TMP/hvtop.err" \
	>/dev/null || st_fail "no message for the bad state: $(cat "$ST_TMP/hvtop.err")"
st_tmux_stop

# A recording cut off mid-line (the recorder killed): the rest replays.
CUT="$ST_TMP/cut.json"
head -c $(( $(head -n 4 "$REC" | wc -c) + 100 )) "$REC" >"$CUT"
st_hvtop --no-config --view cells --replay "$CUT"
st_wait "$CUT:5: the last snapshot is cut off (truncated file); replaying the 4 before it"
st_wait "REPLAY $CUT"
st_keys q
st_exit_ok
