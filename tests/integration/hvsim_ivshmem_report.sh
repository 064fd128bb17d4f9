#!/bin/sh
# SPDX-License-Identifier: MIT
# hvsim reports every ivshmem link's present peers with their State
# registers, interrupt control and doorbell counts in DIR/sysfs/ivshmem
# (PROTOCOL.md §2), as the hypervisor core keeps them: a peer appears when
# its cell is created, its state follows the cell's writes, a shutdown
# resets it to 0, a destroy removes the line; nothing while disabled.
. "$(dirname "$0")/lifecycle-lib.inc"

F=$SIM/sysfs/ivshmem
# line PEER: the file's line for peer PEER of link 0001:00:01.0, or "".
line() { grep "^0001:00:01.0 $1 " "$F" 2>/dev/null; }
# waitfor PEER PATTERN: up to 5 s for the peer's line to match PATTERN.
waitfor() {
	i=0
	while [ $i -lt 50 ]; do
		line "$1" | grep -qE "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

start_hvsim
[ -f "$F" ] && [ ! -s "$F" ] && pass || fail "disabled: $F is not an empty file"
run 0 enable "$CONFIGS/system.json"
# The root cell is peer 0 of its link with rtos.json (00:00.0).
[ "$(cat "$F")" = "0001:00:00.0 0 2 0 0 0 0" ] && pass ||
	fail "enabled: $F shows '$(cat "$F")', not the root's one peer"

run 0 cell create "$CONFIGS/ivshmem-a.json"
# peer 0 of 2, cell 1, state 0, interrupts off, no doorbells.
waitfor 0 '^0001:00:01.0 0 2 1 0 0 0$' && pass ||
	fail "after create: peer 0 line '$(line 0)'"
[ -z "$(line 1)" ] && pass || fail "peer 1 reported before its cell exists"
run 0 cell create "$CONFIGS/ivshmem-b.json"
waitfor 1 '^0001:00:01.0 1 2 2 0 0 0$' && pass ||
	fail "after create: peer 1 line '$(line 1)'"

# a: state 1, interrupts on, then rings b every 100 ms; b: state 2,
# interrupts on, answers each doorbell.
cat > "$TMP/a.guest" <<'G'
#!hvsim-guest
ivshmem 00:01.0 state 1
ivshmem 00:01.0 enable
forever
  sleep 100ms
  ivshmem 00:01.0 ring 1
end
G
cat > "$TMP/b.guest" <<'G'
#!hvsim-guest
ivshmem 00:01.0 state 2
ivshmem 00:01.0 enable
forever
  wait_irq
  ivshmem 00:01.0 ring 0
end
G
run 0 cell load ivshmem-b "$TMP/b.guest"
run 0 cell load ivshmem-a "$TMP/a.guest"
run 0 cell start ivshmem-b
run 0 cell start ivshmem-a
waitfor 0 '^0001:00:01.0 0 2 1 1 1 [1-9][0-9]*$' && pass ||
	fail "running: peer 0 line '$(line 0)' (state 1, interrupts on, doorbells)"
waitfor 1 '^0001:00:01.0 1 2 2 2 1 [1-9][0-9]*$' && pass ||
	fail "running: peer 1 line '$(line 1)' (state 2, interrupts on, doorbells)"
d1=$(line 1 | awk '{print $7}')
sleep 0.6
d2=$(line 1 | awk '{print $7}')
[ "${d2:-0}" -gt "${d1:-0}" ] && pass ||
	fail "peer 1's doorbell count did not rise ($d1 -> $d2)"

# Stop b: its registers are reset.
run 0 cell stop ivshmem-b
waitfor 1 '^0001:00:01.0 1 2 2 0 0 ' && pass ||
	fail "after shutdown: peer 1 line '$(line 1)' (state 0, interrupts off)"
waitfor 0 '^0001:00:01.0 0 2 1 1 ' && pass ||
	fail "after b's shutdown: peer 0 line '$(line 0)'"
run 0 cell destroy ivshmem-b
waitfor 0 '.' && [ -z "$(line 1)" ] && pass ||
	fail "after destroy: peer 1 still reported: '$(line 1)'"
run 0 disable
[ ! -s "$F" ] && pass || fail "disabled again: $F is not empty: $(cat "$F")"
finish
