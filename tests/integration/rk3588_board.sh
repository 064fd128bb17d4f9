#!/bin/sh
# SPDX-License-Identifier: MIT
# The RK3588 set (configs/rk3588) on its hvsim board: config check of the
# system config with its cells (the board file is no cell config), enable,
# then create, load, start and destroy of the tick cell on its A55 core,
# whose guest script takes 1000 timer interrupts a second and prints a
# line a second, like the tick inmate.
. "$(dirname "$0")/lifecycle-lib.inc"

RK=$ROOT/configs/rk3588

run 0 config check "$RK/system.json" "$RK/tick.json"
expect_in "$OUT" "0 findings" "config check"
# board.json is a board description: check refuses it as a config.
"$HVCTL" config check "$RK/board.json" >/dev/null 2>&1 &&
	fail "config check accepted the board file" || pass

start_hvsim "$RK/board.json"
run 0 enable "$RK/system.json"
run 0 cell list
awk '$2 == "rk3588" && $3 == "running" && $4 == "0-7" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "root cell rk3588 is not running on 0-7: $(cat "$OUT")"
run 0 console
expect_in "$OUT" "Activating hypervisor" "hypervisor console"

run 0 cell create "$RK/tick.json"
run 0 cell list
awk '$2 == "tick" && $3 == "shut" && $4 == "down" && $5 == "3" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "tick is not created on CPU 3: $(cat "$OUT")"
awk '$2 == "rk3588" && $4 == "0-2,4-7" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "the root did not give CPU 3 away: $(cat "$OUT")"
run 0 cell load tick "$RK/tick.guest"
run 0 cell start tick

# Two tick lines: the cell runs and its timer wakes it every second.
i=0
while [ $i -lt 600 ]; do
	"$HVCTL" console --cell tick >"$OUT" 2>/dev/null
	grep -q "^tick second 2:" "$OUT" && break
	sleep 0.1
	i=$((i + 1))
done
expect_in "$OUT" "tick: 1000 Hz from the virtual timer (hvsim), on CPU 3" "tick console"
expect_in "$OUT" "tick second 2: 1000 timer interrupts" "tick console"
run 0 cell stats tick --json
irqs=$(sed -n 's/.*"vmexits_virt_irq": *\([0-9]*\).*/\1/p' "$OUT" | head -n 1)
[ "${irqs:-0}" -ge 2000 ] && pass || fail "tick took ${irqs:-no} timer interrupts, expected 2000 or more"

run 0 cell destroy tick
run 0 cell list
expect_not_in "$OUT" "tick" "cell list after destroy"
awk '$2 == "rk3588" && $4 == "0-7" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "CPU 3 is not back in the root: $(cat "$OUT")"
run 0 disable
finish
