#!/bin/sh
# SPDX-License-Identifier: MIT
# Refused operations: exit 1, the operation, the cell and the reason on
# stderr, and nothing changed. Usage errors and unreadable input: exit 2.
. "$(dirname "$0")/lifecycle-lib.inc"

start_hvsim

# refused EXPLANATION CMD...: exit 1, message, and an unchanged state.
refused() {
	text=$1
	shift
	state_of > "$TMP/before" 2>/dev/null
	run 1 "$@"
	expect_in "$ERR" "$text" "hvctl $* stderr"
	state_of > "$TMP/after" 2>/dev/null
	if cmp -s "$TMP/before" "$TMP/after"; then
		pass
	else
		fail "hvctl $* was refused but changed the state"
		diff "$TMP/before" "$TMP/after" >&2
	fi
}

refused "hvctl: cell create rtos: the hypervisor is not enabled (Invalid argument)" \
	cell create "$CONFIGS/rtos.json"
refused "hvctl: disable: the hypervisor is not enabled" disable
run 0 enable "$CONFIGS/system.json"
refused "hvctl: enable $CONFIGS/system.json: the hypervisor is already enabled (Device or resource busy)" \
	enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell create "$CONFIGS/linux-demo.json"

# A cell on CPU 3, which linux-demo owns.
sed -e 's/"name": "rtos"/"name": "rtos-b"/' -e 's/"cpu_set": "1"/"cpu_set": "3"/' \
	"$CONFIGS/rtos.json" > "$TMP/conflict.json"
refused "hvctl: cell create rtos-b: CPU 3 is owned by cell 'linux-demo' (Device or resource busy)" \
	cell create "$TMP/conflict.json"
sed -e 's/"name": "rtos"/"name": "far"/' -e 's/"cpu_set": "1"/"cpu_set": "9"/' \
	"$CONFIGS/rtos.json" > "$TMP/far.json"
refused "CPU 9 does not exist on this system" cell create "$TMP/far.json"
refused "hvctl: cell create rtos: a cell named 'rtos' already exists (id 1) (File exists)" \
	cell create "$CONFIGS/rtos.json"
refused "hvctl: cell start foo: no cell 'foo' (No such file or directory)" cell start foo
refused "hvctl: cell destroy 9: no cell with ID 9" cell destroy 9
refused "the root cell" cell destroy 0
refused "the root cell" cell load sim-root -s x
refused "is outside every memory region of cell 'rtos'" \
	cell load rtos "$CONFIGS/rtos.guest" -a 0x40000000
refused "not loadable" cell load rtos -s abc -a 0x7faf0000
refused "the comm region, which is the hypervisor's page and never loaded" \
	cell load rtos -s abc -a 0x80000000
refused "runs past the end of region 0 'ram'" cell load rtos -s abcdef -a 0xffffe

# Usage errors and unreadable input change nothing either (exit 2).
state_of > "$TMP/before"
run 2 cell create "$TMP/missing.json"
expect_in "$ERR" "missing.json" "missing config"
printf '{ "type": "cell", "name": ' > "$TMP/broken.json"
run 2 cell create "$TMP/broken.json"
expect_in "$ERR" "broken.json" "broken config"
run 2 cell create "$CONFIGS/system.json"
expect_in "$ERR" "is a system config, not a cell config" "system as cell"
run 2 enable "$CONFIGS/rtos.json"
expect_in "$ERR" "is a cell config, not a system config" "cell as system"
run 2 cell load rtos
run 2 cell load rtos "$TMP/no-such-image"
expect_in "$ERR" "no-such-image" "missing image"
run 2 cell load rtos -s x -a nonsense
run 2 cell start
run 2 cell start a-name-that-is-much-longer-than-31
run 2 cell frobnicate
run 2 cell stats -i -3
run 2 -c bogus:uri cell list
expect_in "$ERR" "bogus:uri" "bad URI"
state_of > "$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass || fail "a usage error changed the state"

# jailhouse:DIR is read-only without HVCTL_DEVICE.
run 1 -c "jailhouse:$SIM/sysfs" cell destroy rtos
expect_in "$ERR" "read-only" "jailhouse:DIR control"
run 0 -c "jailhouse:$SIM/sysfs" cell list
expect_in "$OUT" "linux-demo" "jailhouse:DIR list"

# A cell that denies the shutdown request: every stop, load and destroy
# is refused naming it, on stderr and on the hypervisor console, and the
# others can still be changed meanwhile.
run 0 cell destroy rtos
sed -e 's/"name": "rtos"/"name": "stubborn"/' \
	-e 's/"passive_commreg", //' "$CONFIGS/rtos.json" > "$TMP/stubborn.json"
printf '#!hvsim-guest\non_shutdown deny\nforever\n  sleep 10ms\nend\n' \
	> "$TMP/stubborn.guest"
run 0 cell create "$TMP/stubborn.json"
run 0 cell load stubborn "$TMP/stubborn.guest"
run 0 cell start stubborn
refused "hvctl: cell destroy stubborn: cell 'stubborn' refused shutdown" \
	cell destroy stubborn
refused "hvctl: cell stop stubborn: cell 'stubborn' refused shutdown" \
	cell stop stubborn
run 0 console
expect_in "$OUT" "Cell 'stubborn' refused shutdown" "hypervisor console"
run 0 cell destroy linux-demo
run 0 cell list
expect_in "$OUT" "stubborn" "the stubborn cell after its refusals"

finish
