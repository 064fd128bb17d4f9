#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# hvctl config diff CELL FILE on hvsim: the running config (by name or
# ID) against JSON and .cell files; field-level lines in the format's
# words; exit 0 the same, 1 different, 2 trouble, as diff(1).
. "$(dirname "$0")/lifecycle-lib.inc" "$1"
start_hvsim
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"

# The file it was created from: the same (the ID the driver gave and the
# region names are not differences), by name and by ID, JSON and .cell.
run 0 config diff rtos "$CONFIGS/rtos.json"
[ -s "$OUT" ] && fail "output for equal configs: $(cat "$OUT")" || pass
run 0 config diff 1 "$CONFIGS/rtos.json"
run 0 config compile -o "$TMP/rtos.cell" "$CONFIGS/rtos.json"
run 0 config diff rtos "$TMP/rtos.cell"
sed 's/"name": "ram"/"name": "memory"/' "$CONFIGS/rtos.json" >"$TMP/renamed.json"
run 0 config diff rtos "$TMP/renamed.json"

# Changed fields, one line each, PATH: RUNNING -> FILE.
sed -e 's/"size": "1M"/"size": "2M"/' -e 's/"passive_commreg", //' \
	-e 's/"cpu_set": "1"/"cpu_set": "1-2"/' "$CONFIGS/rtos.json" >"$TMP/changed.json"
run 1 config diff rtos "$TMP/changed.json"
expect_in "$OUT" "--- cell 1 \"rtos\" as it runs"
expect_in "$OUT" "+++ $TMP/changed.json"
expect_in "$OUT" "cpu_set: 1 -> 1-2"
expect_in "$OUT" "flags: passive_commreg,virtual_console_permitted -> virtual_console_permitted"
expect_in "$OUT" "memory_regions[0].size (ram): 1M -> 2M"
[ "$(wc -l <"$OUT")" -eq 5 ] && pass || fail "expected 2 header and 3 change lines: $(cat "$OUT")"
# Another cell's config: the name, and a region only one of them has.
run 1 config diff rtos "$CONFIGS/linux-demo.json"
expect_in "$OUT" "name: rtos -> linux-demo"
expect_in "$OUT" "memory_regions[5]: {\"phys_start\":\"0x7fafc000\""
expect_in "$OUT" "-> (absent)"
# The root cell against the system config recorded at enable.
run 0 config diff 0 "$CONFIGS/system.json"
sed 's/"name": "sim-root"/"name": "other-root"/' "$CONFIGS/system.json" >"$TMP/system.json"
run 1 config diff 0 "$TMP/system.json"
expect_in "$OUT" "root_cell.name: sim-root -> other-root"

# Trouble is 2, with a message naming what.
run 2 config diff nosuch "$CONFIGS/rtos.json"
expect_in "$ERR" "config diff 'nosuch': no such cell"
run 2 config diff rtos "$TMP/missing.json"
expect_in "$ERR" "$TMP/missing.json"
echo '{ "type": "cell", ' >"$TMP/bad.json"
run 2 config diff rtos "$TMP/bad.json"
expect_in "$ERR" "$TMP/bad.json"
run 2 config diff rtos "$CONFIGS/system.json"
expect_in "$ERR" "is a system config, the running one a cell config"
run 2 config diff rtos
expect_in "$ERR" "a cell and a file are needed"
stop_hvsim
run 2 config diff rtos "$CONFIGS/rtos.json"
finish
