#!/bin/sh
# SPDX-License-Identifier: MIT
# Backend trouble and concurrency: no hvsim (exit 3), hvsim killed in the
# middle of a command (exit 3, clear message), a restarted hvsim picked up,
# two clients at once.
. "$(dirname "$0")/lifecycle-lib.inc"

# Nothing running yet.
run 3 cell list
expect_in "$ERR" "hvctl: cell list: hvsim at $SIM is not running" "no hvsim"
run 3 enable "$CONFIGS/system.json"
run 3 console

start_hvsim
run 0 enable "$CONFIGS/system.json"

# Two clients at once: creates from two processes, while a third lists.
( "$HVCTL" cell create "$CONFIGS/rtos.json" > "$TMP/c1.out" 2>&1; echo $? > "$TMP/c1.rc" ) &
P1=$!
( "$HVCTL" cell create "$CONFIGS/linux-demo.json" > "$TMP/c2.out" 2>&1; echo $? > "$TMP/c2.rc" ) &
P2=$!
( i=0; while [ $i -lt 20 ]; do "$HVCTL" cell list >/dev/null 2>&1 || exit 1; i=$((i + 1)); done; echo 0 > "$TMP/c3.rc" ) &
P3=$!
# Not a bare wait: hvsim is one of our jobs too.
wait $P1 $P2 $P3
[ "$(cat "$TMP/c1.rc")" = 0 ] && pass || fail "concurrent create rtos: $(cat "$TMP/c1.out")"
[ "$(cat "$TMP/c2.rc")" = 0 ] && pass || fail "concurrent create linux-demo: $(cat "$TMP/c2.out")"
[ "$(cat "$TMP/c3.rc" 2>/dev/null)" = 0 ] && pass || fail "concurrent cell list failed"
run 0 cell list
expect_in "$OUT" "rtos" "list after concurrent creates"
expect_in "$OUT" "linux-demo" "list after concurrent creates"
# The same create from two clients: exactly one wins, the other is told why.
( "$HVCTL" cell create "$CONFIGS/ivshmem-a.json" > "$TMP/d1.out" 2>&1; echo $? > "$TMP/d1.rc" ) &
P1=$!
( "$HVCTL" cell create "$CONFIGS/ivshmem-a.json" > "$TMP/d2.out" 2>&1; echo $? > "$TMP/d2.rc" ) &
P2=$!
wait $P1 $P2
rcs="$(cat "$TMP/d1.rc") $(cat "$TMP/d2.rc")"
case "$rcs" in
"0 1"|"1 0") pass ;;
*) fail "racing creates of one config exited '$rcs'" ;;
esac
cat "$TMP/d1.out" "$TMP/d2.out" > "$TMP/d.out"
expect_in "$TMP/d.out" "a cell named 'ivshmem-a' already exists" "racing create"

# hvsim killed while a command waits between its two samples.
"$HVCTL" cell stats -i 2 > "$TMP/stats.out" 2> "$TMP/stats.err" &
STATS_PID=$!
sleep 0.5
stop_hvsim KILL
wait $STATS_PID
rc=$?
[ $rc -eq 3 ] && pass || fail "cell stats with hvsim killed exited $rc, expected 3"
expect_in "$TMP/stats.err" "hvsim at $SIM is not running" "stats after kill"
run 3 cell list
expect_in "$ERR" "is not running" "list after kill"

# A follower waits through the outage instead of failing.
"$HVCTL" console -f > "$TMP/follow.out" 2> "$TMP/follow.err" &
FOLLOW_PID=$!

# Restarted: picked up, a fresh power-on.
start_hvsim
run 0 cell list
[ ! -s "$OUT" ] && pass || fail "a restarted hvsim shows cells"
run 0 enable "$CONFIGS/system.json"
run 0 cell list
expect_in "$OUT" "sim-root" "list after restart"
i=0
while ! grep -q . "$TMP/follow.out" && [ $i -lt 60 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $FOLLOW_PID
wait $FOLLOW_PID
rc=$?
[ $rc -eq 0 ] && pass || fail "console -f exited $rc after SIGTERM"
[ -s "$TMP/follow.out" ] && pass || fail "console -f printed nothing after hvsim came back"
expect_in "$TMP/follow.err" "waiting for it" "console -f during the outage"

finish
