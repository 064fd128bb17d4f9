#!/bin/sh
# SPDX-License-Identifier: MIT
# ivshmem across a cell boundary, end to end against hvsim: a link's shared
# memory is the same in every peer's config, a peer with an empty
# state-table slot is refused, and once peer 0 is destroyed and a new cell
# sits on its old RAM, peer 1's State-register write leaves that cell's
# memory untouched (the new cell reads it back through its own mapping).
. "$(dirname "$0")/lifecycle-lib.inc"

start_hvsim
run 0 enable "$CONFIGS/system.json"

# Peer 0 with its state table inside its own RAM (at 0x7e0ff000).
sed -e '/"name": "shm-state"/s/"phys_start": "0x7fb00000"/"phys_start": "0x7e0ff000"/' \
	-e 's/"name": "ivshmem-a"/"name": "evil-a"/' \
	"$CONFIGS/ivshmem-a.json" > "$TMP/evil-a.json"
grep -q '"phys_start": "0x7e0ff000"' "$TMP/evil-a.json" && pass ||
	fail "evil-a.json: the state table was not moved"
# Peer 1 with an empty state-table slot.
sed -e '/"name": "shm-state"/,/}/c\
		{ "name": "shm-state" },' \
	-e 's/"name": "ivshmem-b"/"name": "empty-b"/' \
	"$CONFIGS/ivshmem-b.json" > "$TMP/empty-b.json"

run 0 cell create "$TMP/evil-a.json"
run 1 cell create "$TMP/empty-b.json"
expect_in "$ERR" "the state table (memory region 2) is empty" "empty-b refusal"
# A peer whose state table is elsewhere than the link's.
run 1 cell create "$CONFIGS/ivshmem-b.json"
expect_in "$ERR" "is not the link's" "ivshmem-b refusal"
expect_in "$ERR" "every peer must list the same shared memory" \
	"ivshmem-b refusal"
run 0 cell list
expect_not_in "$OUT" "empty-b" "cell list"
expect_not_in "$OUT" "ivshmem-b" "cell list"

# The scenario: a link of ivshmem-a (peer 0) and ivshmem-b (peer 1) ...
run 0 cell destroy evil-a
run 0 cell create "$CONFIGS/ivshmem-a.json"
run 0 cell create "$CONFIGS/ivshmem-b.json"
# ... peer 0 goes, and a new cell takes its RAM (0x7e000000, 1 MiB) ...
run 0 cell destroy ivshmem-a
cat > "$TMP/newcell.json" <<'EOF'
{
	"type": "cell", "architecture": "arm64", "revision": 14,
	"name": "newcell",
	"flags": ["virtual_console_permitted", "passive_commreg"],
	"cpu_set": "4", "cpu_reset_address": 0,
	"memory_regions": [
		{ "name": "ram", "phys_start": "0x7e000000", "virt_start": 0,
		  "size": "1M",
		  "flags": ["read", "write", "execute", "loadable"] },
		{ "name": "comm", "virt_start": "0x80000000", "size": "4K",
		  "flags": ["read", "write", "comm_region"] }
	]
}
EOF
run 0 cell create "$TMP/newcell.json"
# The new cell: a script that reads back the words where peer 0 once had
# its state table, and a marker there.
printf 'MARK' > "$TMP/mark"
cat > "$TMP/newcell.guest" <<'EOF'
#!hvsim-guest
read 0xff000
print word0 $ret
read 0xff004
print word1 $ret
EOF
run 0 cell load newcell "$TMP/newcell.guest" "$TMP/mark" -a 0xff000
# ... then peer 1 writes its State register ...
printf '#!hvsim-guest\nivshmem 00:01.0 state 0x1234\nprint state written\n' \
	> "$TMP/b.guest"
run 0 cell load ivshmem-b "$TMP/b.guest"
run 0 cell start ivshmem-b
sleep 0.3
run 0 console --cell ivshmem-b
expect_in "$OUT" "state written" "ivshmem-b console"
# ... and the new cell finds its memory as it was loaded: "MARK" as a
# little-endian word, and zero after it (not 0x1234 = 4660).
run 0 cell start newcell
sleep 0.3
run 0 console --cell newcell
expect_in "$OUT" "word0 1263681869" "newcell console"
expect_in "$OUT" "word1 0" "newcell console"
expect_not_in "$OUT" "4660" "newcell console"
run 0 cell list
awk '$2 == "ivshmem-b" && $3 == "running" { ok = 1 } END { exit !ok }' \
	"$OUT" && pass || fail "ivshmem-b is not running: $(cat "$OUT")"
# The new cell may not take the link's memory while ivshmem-b uses it.
sed -e 's/"phys_start": "0x7e000000"/"phys_start": "0x7fb00000"/' \
	-e 's/"size": "1M"/"size": "4K"/' -e 's/"newcell"/"thief"/' \
	-e 's/"cpu_set": "4"/"cpu_set": "6"/' \
	"$TMP/newcell.json" > "$TMP/thief.json"
run 1 cell create "$TMP/thief.json"
expect_in "$ERR" "overlaps" "thief refusal"

run 0 cell destroy newcell
run 0 cell destroy ivshmem-b
run 0 disable
finish
