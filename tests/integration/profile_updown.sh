#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot profiles against hvsim: hvctl up reaches the declared state, down
# reverses it, a failing health check leaves the board exactly as it was
# (cell list byte-identical), and --dry-run finds a CPU clash without a
# board.
. "$(dirname "$0")/lifecycle-lib.inc"

P=$ROOT/tests/fixtures/profiles

# --dry-run needs no board: point it at one that does not exist.
HVCTL_URI=sim:$TMP/no-board run 0 up --dry-run "$P/up-ok.json"
expect_in "$OUT" "3 cells, 0 findings" "dry-run up-ok"
HVCTL_URI=sim:$TMP/no-board run 0 up -n "$ROOT/configs/sim/profiles/demo.json"
HVCTL_URI=sim:$TMP/no-board run 1 up --dry-run "$P/cpu-clash.json"
expect_in "$OUT" "CPU 1 is also claimed by" "dry-run cpu-clash"
expect_in "$OUT" "clash.json" "dry-run cpu-clash"
expect_in "$OUT" "1 finding" "dry-run cpu-clash"
# Images are checked against their cell's memory; names must be unique.
printf '{ "profile": 1, "system": "%s", "cells": [ { "config": "%s", "images": [ { "string": "x", "address": "0x200000" } ] }, { "config": "%s", "start": false } ] }\n' \
	"$ROOT/configs/sim/system.json" "$ROOT/configs/sim/rtos.json" "$ROOT/configs/sim/rtos.json" >"$TMP/image.json"
run 1 up -n "$TMP/image.json"
expect_in "$OUT" "cells[0].images[0]: cells[0].images[0].string (0x2 bytes at 0x200000) is outside every memory region of cell 'rtos'" "image outside"
expect_in "$OUT" "cells[1]: cell name 'rtos' is also the name of cells[0]" "duplicate name"
# The QEMU example, with an image in place of the inmate it names.
mkdir -p "$TMP/qemu/profiles"
cp "$ROOT"/configs/qemu/*.json "$TMP/qemu/"
cp "$ROOT/configs/qemu/profiles/inmate-demo.json" "$TMP/qemu/profiles/"
head -c 4096 /dev/zero >"$TMP/qemu/profiles/inmate.bin"
HVCTL_URI=sim:$TMP/no-board run 0 up -n "$TMP/qemu/profiles/inmate-demo.json"
expect_in "$OUT" "1 cell, 0 findings" "dry-run of the QEMU example"
run 2 up --dry-run "$P/no-such-profile.json"
expect_in "$ERR" "no-such-profile.json" "missing profile"
run 2 down --dry-run "$P/up-ok.json"

# A malformed profile is refused with the member it is about.
printf '{ "profile": 1, "system": "%s", "cells": [ { "config": "%s", "helth": {} } ] }\n' \
	"$ROOT/configs/sim/system.json" "$ROOT/configs/sim/rtos.json" >"$TMP/typo.json"
run 2 up -n "$TMP/typo.json"
expect_in "$ERR" 'cells[0]: unknown member "helth"' "typo"
printf '{ "profile": 1, "system": "%s", "cells": [ { "config": "%s", "start": false, "health": { "timeout": 1 } } ] }\n' \
	"$ROOT/configs/sim/system.json" "$ROOT/configs/sim/rtos.json" >"$TMP/nostart.json"
run 2 up -n "$TMP/nostart.json"
expect_in "$ERR" "cells[0].health: a cell that is not started has no health check" "health without start"
printf '{ "profile": 1, "system": "%s", "cells": [ { "config": "%s", "images": [ { "string": "a\\u0000b" } ] } ] }\n' \
	"$ROOT/configs/sim/system.json" "$ROOT/configs/sim/rtos.json" >"$TMP/nul.json"
run 2 up -n "$TMP/nul.json"
expect_in "$ERR" "cells[0].images[0].string: the string contains a NUL character" "NUL in a string image"
printf '{ "profile": 1, "system": "%s" }\n' "$ROOT/configs/sim/rtos.json" >"$TMP/notsys.json"
run 2 up -n "$TMP/notsys.json"
expect_in "$ERR" "system: " "cell config as system"
expect_in "$ERR" "is a cell config, expected a system config" "cell config as system"

start_hvsim

# From disabled to the declared state and back.
run 0 up "$P/up-ok.json"
expect_in "$OUT" "up: start cell 'spare'" "up progress"
expect_in "$OUT" "up: 3 cells running as declared" "up progress"
run 0 cell list
awk 'NR > 1 { print $2, $3 }' "$OUT" >"$TMP/states"
printf 'sim-root running\nrtos running\nlinux-demo running\nspare running\n' >"$TMP/want"
if cmp -s "$TMP/states" "$TMP/want"; then pass; else
	fail "cell list after up is not the declared state"
	cat "$OUT" >&2
fi
run 0 cell list --json
expect_in "$OUT" '"cpus_list": "0,4-5,7"' "root CPUs after up"
# up again: every cell exists already, nothing changes.
state_of >"$TMP/before"
run 1 up "$P/up-ok.json"
expect_in "$ERR" "cell 'rtos' (cells[0]) already exists" "up twice"
state_of >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass || fail "a refused up changed the board"
run 0 down "$P/up-ok.json"
expect_in "$OUT" "down: destroy cell 'spare'" "down progress"
expect_in "$OUT" "down: disable the hypervisor" "down progress"
run 0 cell list --json
expect_in "$OUT" '"enabled": false' "disabled after down"
run 0 down "$P/up-ok.json"
expect_in "$OUT" "disabled already" "down twice"

# check_rollback PROFILE WHAT REASON: up fails on the third cell and the
# cell list (text and JSON) is byte-identical to before.
check_rollback() {
	"$HVCTL" cell list >"$TMP/list-before"
	state_of >"$TMP/json-before"
	run 1 up "$1"
	expect_in "$ERR" "health check of cell 'spare' failed: $3" "$2"
	expect_in "$ERR" "rolled back: destroyed cell 'spare', destroyed cell 'linux-demo', destroyed cell 'rtos'" "$2"
	"$HVCTL" cell list >"$TMP/list-after"
	state_of >"$TMP/json-after"
	if cmp -s "$TMP/list-before" "$TMP/list-after" &&
	   cmp -s "$TMP/json-before" "$TMP/json-after"; then
		pass
	else
		fail "$2: the board differs from before the failed up"
		diff "$TMP/list-before" "$TMP/list-after" >&2
		diff "$TMP/json-before" "$TMP/json-after" >&2
	fi
}

# From disabled: the failed up also disables again.
check_rollback "$P/third-silent.json" "silent third cell, from disabled" \
	'no console line containing "[spare] never printed" within 1 s'
expect_in "$ERR" "disabled the hypervisor" "rollback from disabled"
run 0 cell list --json
expect_in "$OUT" '"enabled": false' "rollback from disabled"

# From an enabled board with a cell of its own: that one stays as it was,
# and the hypervisor stays enabled.
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/ivshmem-a.json"
check_rollback "$P/third-silent.json" "silent third cell, from enabled" \
	'no console line containing'
expect_not_in "$ERR" "disabled the hypervisor" "rollback from enabled"
check_rollback "$P/third-crashes.json" "faulting third cell" \
	"the cell is in state 'failed'"
run 0 cell list
expect_in "$OUT" "ivshmem-a" "foreign cell kept"
# Another system config than the one running: refused before any change.
sed 's/"name": "sim-root"/"name": "other-root"/' "$CONFIGS/system.json" >"$TMP/other-system.json"
printf '{ "profile": 1, "system": "%s" }\n' "$TMP/other-system.json" >"$TMP/other.json"
state_of >"$TMP/before"
run 1 up "$TMP/other.json"
expect_in "$ERR" "runs with another system config" "other system"
state_of >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass || fail "a refused up changed the board"
# down disables, taking the foreign cell with it.
run 0 down "$P/up-ok.json"
run 0 cell list --json
expect_in "$OUT" '"enabled": false' "down with a foreign cell"

# The shipped example for the simulated board comes up and goes down.
run 0 up -q "$ROOT/configs/sim/profiles/demo.json"
[ -s "$OUT" ] && fail "up -q printed progress" || pass
run 0 cell list
expect_in "$OUT" "linux-demo" "demo profile"
run 0 down -q "$ROOT/configs/sim/profiles/demo.json"

# Binary .cell configs serve as well as JSON (as installed on a board).
mkdir "$TMP/bin"
run 0 config compile -d "$TMP/bin" "$CONFIGS/system.json" "$CONFIGS/rtos.json"
cp "$CONFIGS/rtos.guest" "$TMP/bin/"
printf '{ "profile": 1, "system": "system.cell", "cells": [ { "config": "rtos.cell", "images": [ { "file": "rtos.guest" } ], "health": { "timeout": 5, "console": "[rtos] scheduler running" } } ] }\n' \
	>"$TMP/bin/board.json"
run 0 up -n "$TMP/bin/board.json"
run 0 up "$TMP/bin/board.json"
run 0 cell list
expect_in "$OUT" "rtos" ".cell profile"
run 0 down "$TMP/bin/board.json"

# The RK3588 example on hvsim's RK3588 board.
RK=$ROOT/configs/rk3588
HVCTL_URI=sim:$TMP/no-board run 0 up -n "$RK/profiles/tick.json"
expect_in "$OUT" "1 cell, 0 findings" "dry-run of the RK3588 example"
stop_hvsim
start_hvsim "$RK/board.json"
run 0 up "$RK/profiles/tick.json"
expect_in "$OUT" "cell 'tick': healthy" "RK3588 example"
run 0 cell list
expect_in "$OUT" "tick" "RK3588 example"
run 0 down "$RK/profiles/tick.json"
run 0 cell list --json
expect_in "$OUT" '"enabled": false' "RK3588 example down"

finish
