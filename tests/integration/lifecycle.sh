#!/bin/sh
# SPDX-License-Identifier: MIT
# The whole cell lifecycle through hvctl against hvsim: enable, create,
# load and start the demo cells with their guest images, list, stats,
# console, destroy, disable.
. "$(dirname "$0")/lifecycle-lib.inc"

start_hvsim

run 0 cell list && [ ! -s "$OUT" ] && pass || fail "cell list before enable is not empty"
run 0 enable "$CONFIGS/system.json"
run 0 cell list
expect_in "$OUT" "sim-root" "cell list"

# rtos: one CPU, guest at address 0.
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell load rtos "$CONFIGS/rtos.guest" -a 0
run 0 cell start rtos
# linux-demo: two CPUs; its stub goes to the loader region at 0.
run 0 cell create "$CONFIGS/linux-demo.json"
run 0 cell load linux-demo "$CONFIGS/linux-demo.guest"
run 0 cell start linux-demo

run 0 cell list
cat "$OUT" > "$TMP/list"
# ID Name State Assigned Failed, as upstream's columns.
awk '$2 == "rtos" && $3 == "running" && $4 == "1" { ok = 1 } END { exit !ok }' \
	"$TMP/list" && pass || fail "rtos is not running on CPU 1: $(cat "$TMP/list")"
awk '$2 == "linux-demo" && $3 == "running" && $4 == "2-3" { ok = 1 } END { exit !ok }' \
	"$TMP/list" && pass || fail "linux-demo is not running on CPUs 2-3"
awk '$2 == "sim-root" && $4 == "0,4-7" { ok = 1 } END { exit !ok }' \
	"$TMP/list" && pass || fail "the root cell does not own exactly 0,4-7"
head -1 "$TMP/list" | grep -q '^ID      Name                    State             Assigned CPUs           Failed CPUs' \
	&& pass || fail "cell list header differs from upstream's"

# Counters grow between two calls (guests run all the time).
# rtos exits about once a second (its tick line), so poll for up to 5 s
# rather than assume the next exit falls inside one short interval.
run 0 cell stats -i 0 --json rtos
total1=$(sed -n 's/.*"vmexits_total": \([0-9][0-9]*\).*/\1/p' "$OUT" | head -1)
tries=0
while :; do
	sleep 0.25
	"$HVCTL" cell stats -i 0 --json rtos >"$OUT" 2>"$ERR" || break
	total2=$(sed -n 's/.*"vmexits_total": \([0-9][0-9]*\).*/\1/p' "$OUT" | head -1)
	tries=$((tries + 1))
	[ -n "$total2" ] && [ -n "$total1" ] && [ "$total2" -gt "$total1" ] && break
	[ "$tries" -ge 20 ] && break
done
if [ -n "$total1" ] && [ -n "$total2" ] && [ "$total2" -gt "$total1" ]; then
	pass
else
	fail "rtos vmexits_total did not grow: '$total1' then '$total2'"
fi
# The text form with rates over a short interval.
run 0 cell stats -i 0.3
expect_in "$OUT" 'Cell 1 "rtos" (running, CPUs 1), rates over' "cell stats"
expect_in "$OUT" "vmexits_hypercall" "cell stats"
run 0 cell stats -i 0.3 linux-demo
expect_in "$OUT" 'CPU 3 of "linux-demo"' "cell stats linux-demo"

# Console: the hypervisor's, and each cell's own.
run 0 console
expect_in "$OUT" "rtos" "console"
run 0 console --cell rtos
[ -s "$OUT" ] && pass || fail "console --cell rtos is empty"
run 0 console -C 2
[ -s "$OUT" ] && pass || fail "console --cell 2 (linux-demo) is empty"

# Shutdown keeps the CPUs, destroy gives them back.
run 0 cell shutdown rtos
run 0 cell list
awk '$2 == "rtos" && $3 == "shut" && $4 == "down" && $5 == "1" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "rtos is not 'shut down' on CPU 1"
run 0 cell stop linux-demo
run 0 cell destroy rtos
run 0 cell destroy 2
run 0 cell list
awk '$2 == "sim-root" && $4 == "0-7" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "CPUs did not return to the root cell"
[ "$(wc -l < "$OUT")" -eq 2 ] && pass || fail "cells left after destroy"

# .cell files work as well as JSON.
"$HVCTL" config compile "$CONFIGS/rtos.json" -o "$TMP/rtos.cell" 2>"$ERR" && pass || fail "compile rtos"
run 0 cell create "$TMP/rtos.cell"
run 0 cell load 1 -s "hello" -a 0x100 "$CONFIGS/rtos.guest"
run 0 cell destroy rtos

run 0 disable
run 0 cell list
[ ! -s "$OUT" ] && pass || fail "cells listed after disable"
run 0 cell list --json
expect_in "$OUT" '"enabled": false' "cell list --json after disable"

finish
