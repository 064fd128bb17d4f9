#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop batch mode: -b -n N prints N snapshots (text or --json) that match
# what hvctl reports; bad arguments and an unreachable backend fail with
# a message; without a terminal the interactive modes refuse at once.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running
HVTOP="$ST_BUILD/hvtop"
OUT="$ST_TMP/out"

# Text: two snapshots, a header each, rows with hvctl's states and CPUs.
"$HVTOP" -b -n 2 -d 0.3 -c "sim:$ST_SIMDIR" > "$OUT" || st_fail "batch text failed"
[ "$(grep -c '^hvtop - sim:' "$OUT")" = 2 ] || st_fail "not two snapshots: $(cat "$OUT")"
grep -E '^ +1 rtos +running +1 +- ' "$OUT" >/dev/null || st_fail "rtos row missing: $(cat "$OUT")"
grep -E '^ +0 sim-root +running +0,2-7 ' "$OUT" >/dev/null || st_fail "root row wrong: $(cat "$OUT")"
# The second snapshot has a rate, and the exit count is no more than hvctl's after.
rate=$(awk '$2 == "rtos" { r = $(NF - 1) } END { print r }' "$OUT")
exits=$(awk '$2 == "rtos" { e = $NF } END { print e }' "$OUT")
[ "$rate" != "-" ] || st_fail "no rate in the second snapshot"
[ "$exits" -le "$(st_cell_exits rtos)" ] || st_fail "batch shows more exits than hvctl"
[ "$exits" -gt 0 ] || st_fail "rtos has not exited once"

# JSON: one object per line with the same facts.
"$HVTOP" -b -n 2 -d 0.3 --json -c "sim:$ST_SIMDIR" > "$OUT" || st_fail "batch json failed"
[ "$(wc -l < "$OUT")" = 2 ] || st_fail "not two JSON lines"
tail -n 1 "$OUT" | grep -F '"name":"rtos","state":"running","cpus":[1]' >/dev/null ||
	st_fail "rtos missing from JSON: $(tail -n 1 "$OUT")"
tail -n 1 "$OUT" | grep -E '"rates":\{"vmexits_total":[0-9]' >/dev/null || st_fail "no rate in JSON"
tail -n 1 "$OUT" | grep -F '"enabled":true' >/dev/null || st_fail "JSON lacks enabled"

# A state change shows in the next batch run.
st_hvctl cell shutdown rtos >/dev/null || st_fail "shutdown"
"$HVTOP" -b -n 1 -c "sim:$ST_SIMDIR" | grep -E '^ +1 rtos +shut down ' >/dev/null ||
	st_fail "batch does not show rtos shut down"

# Errors: usage, an unreachable backend, no terminal.
"$HVTOP" -b -n 0 >/dev/null 2>"$OUT" && st_fail "-n 0 accepted"
grep -F -- '-n: "0" is not a positive count' "$OUT" >/dev/null || st_fail "bad -n message: $(cat "$OUT")"
"$HVTOP" -b -d 99 >/dev/null 2>"$OUT" && st_fail "-d 99 accepted"
grep -F -- '-d: "99" is not a number of seconds' "$OUT" >/dev/null || st_fail "bad -d message"
"$HVTOP" --json >/dev/null 2>"$OUT" && st_fail "--json without -b accepted"
"$HVTOP" -b -n 1 -c "sim:$ST_TMP/nowhere" >/dev/null 2>"$OUT" && st_fail "unreachable backend gave status 0"
grep -F "sim:$ST_TMP/nowhere" "$OUT" >/dev/null || st_fail "the message does not name the backend: $(cat "$OUT")"
"$HVTOP" -c "sim:$ST_SIMDIR" </dev/null >"$OUT" 2>&1 && st_fail "interactive mode without a terminal"
grep -F "needs a terminal" "$OUT" >/dev/null || st_fail "no terminal message: $(cat "$OUT")"
# The demo must refuse at once (not hang) without a terminal.
st_until 10 "hvtop --demo to refuse" sh -c "! '$HVTOP' --demo </dev/null >'$OUT' 2>&1"
grep -F -- "--demo needs a terminal" "$OUT" >/dev/null || st_fail "demo message: $(cat "$OUT")"
ls "$ST_TMP" | grep -q hvtop-demo && st_fail "the refused demo left a directory"
exit 0
