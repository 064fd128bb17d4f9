#!/bin/sh
# SPDX-License-Identifier: MIT
# One snapshot schema: hvctl cell list --json, hvctl cell stats --json
# (all cells, one cell with per-CPU counters, without rates) and hvtop -b
# --json are validated against doc/snapshot-schema.json, and documents
# that break it are refused, so the validation can fail.
. "$(dirname "$0")/lifecycle-lib.inc"

SCHEMA=$ROOT/doc/snapshot-schema.json
HVTOP=$BUILD/hvtop
# Debian's python3 is the one scripts/deps.sh gives python3-jsonschema; a
# python3 earlier in PATH (pyenv, a venv) may lack it.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

# validate FILE WHAT [lines]: every document of FILE (the whole file, or
# each line) against the schema; prints the first error.
validate() {
	"$PYTHON" - "$SCHEMA" "$1" "${3:-whole}" <<'PY'
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
text = open(sys.argv[2], encoding="utf-8").read()
docs = [l for l in text.splitlines() if l.strip()] if sys.argv[3] == "lines" else [text]
if not docs:
    sys.exit("no document")
for d in docs:
    err = jsonschema.exceptions.best_match(validator.iter_errors(json.loads(d)))
    if err is not None:
        sys.exit("%s: %s" % ("/".join(str(p) for p in err.absolute_path), err.message))
PY
}

expect_valid() {
	if validate "$1" "$2" "${3:-whole}" 2>"$TMP/why"; then
		pass
	else
		fail "$2 does not follow doc/snapshot-schema.json: $(cat "$TMP/why")"
	fi
}

expect_invalid() {
	if validate "$1" "$2" 2>/dev/null; then
		fail "$2 was accepted by the schema"
	else
		pass
	fi
}

"$PYTHON" -c 'import jsonschema' 2>/dev/null || {
	echo "snapshot_schema.sh: python3-jsonschema is missing (scripts/deps.sh installs it)" >&2
	exit 1
}

start_hvsim
# Disabled: no cells, still a snapshot.
run 0 cell list --json && expect_valid "$OUT" "cell list --json (disabled)"
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell load rtos "$CONFIGS/rtos.guest"
run 0 cell start rtos

run 0 cell list --json && expect_valid "$OUT" "cell list --json"
cp "$OUT" "$TMP/list.json"
expect_in "$OUT" '"schema_version": 1' "cell list --json"
expect_in "$OUT" '"memory_bytes": 1048576' "cell list --json (rtos owns 1 MiB)"
# hvsim reports the ivshmem link of the root (peer 0) and rtos (peer 1).
"$PYTHON" - "$OUT" <<'PY' 2>"$TMP/why" && pass || fail "cell list --json ivshmem: $(cat "$TMP/why")"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((p["domain"], p["bdf"], p["peer"], p["cell_id"], p["max_peers"])
             for p in d["ivshmem"])
want = [(1, "00:00.0", 0, 0, 2), (1, "00:00.0", 1, 1, 2)]
if got != want:
    sys.exit("peers %s, expected %s" % (got, want))
PY
run 0 cell stats --json -i 0.2 && expect_valid "$OUT" "cell stats --json"
cp "$OUT" "$TMP/stats.json"
run 0 cell stats --json -i 0.2 rtos && expect_valid "$OUT" "cell stats --json rtos"
expect_in "$OUT" '"per_cpu"' "cell stats --json rtos"
run 0 cell stats --json -i 0 && expect_valid "$OUT" "cell stats --json -i 0"

if "$HVTOP" -b -n 2 -d 0.3 --json -c "$HVCTL_URI" >"$TMP/hvtop.json" 2>"$ERR"; then
	pass
	expect_valid "$TMP/hvtop.json" "hvtop -b --json" lines
	expect_in "$TMP/hvtop.json" '"schema_version":1' "hvtop -b --json"
else
	fail "hvtop -b --json failed: $(cat "$ERR")"
fi

# The same members in both tools: hvtop's cells carry every member
# cell list writes (both read configs).
"$PYTHON" - "$TMP/list.json" "$TMP/hvtop.json" <<'PY' 2>"$TMP/why" && pass || fail "hvtop and hvctl differ: $(cat "$TMP/why")"
import json, sys
a = json.load(open(sys.argv[1]))
b = json.loads(open(sys.argv[2]).read().splitlines()[-1])
ka = set(a["cells"][0]); kb = set(b["cells"][0])
if not ka <= kb:
    sys.exit("hvtop lacks %s" % sorted(ka - kb))
PY

# Documents that break the schema are refused.
sed 's/"schema_version": 1/"schema_version": 2/' "$TMP/list.json" >"$TMP/bad1"
expect_invalid "$TMP/bad1" "schema_version 2"
sed 's/"enabled"/"enabled_typo"/' "$TMP/list.json" >"$TMP/bad2"
expect_invalid "$TMP/bad2" "a renamed member"
sed 's/"state": "running"/"state": "sleeping"/' "$TMP/list.json" >"$TMP/bad3"
expect_invalid "$TMP/bad3" "an unknown state"
sed 's/"size_pages"/"x"/; s/"size": \([0-9]*\)/"size_pages": \1/' "$TMP/list.json" >"$TMP/bad4"
expect_invalid "$TMP/bad4" "hvtop's old pool members"
sed 's/"interval": [0-9.e-]*/"interval": 0.2, "extra": 1/' "$TMP/stats.json" >"$TMP/bad5"
expect_invalid "$TMP/bad5" "an undocumented member"
sed 's/"doorbells": [0-9]*/"doorbells": -1/' "$TMP/list.json" >"$TMP/bad6"
cmp -s "$TMP/list.json" "$TMP/bad6" && fail "bad6: no doorbells member to break" ||
	expect_invalid "$TMP/bad6" "a negative doorbell count"
sed 's/"bdf": "00:00.0"/"bdf": "0:0"/' "$TMP/list.json" >"$TMP/bad7"
expect_invalid "$TMP/bad7" "a malformed ivshmem BDF"

finish
