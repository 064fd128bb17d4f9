#!/bin/sh
# SPDX-License-Identifier: MIT
# dist/hvctl-prometheus-textfile (run by hvctl-prometheus.timer): writes
# hvctl.prom into a textfile-collector directory whole, lint-clean, and
# leaves the old file and no temporary one behind when hvctl fails.
. "$(dirname "$0")/lifecycle-lib.inc"

SCRIPT=$ROOT/dist/hvctl-prometheus-textfile
TF=$TMP/textfile
mkdir "$TF"
export HVCTL="$HVCTL"

start_hvsim
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell load rtos "$CONFIGS/rtos.guest"
run 0 cell start rtos

if "$SCRIPT" "$TF" 2>"$ERR"; then pass; else
	fail "hvctl-prometheus-textfile failed"
	cat "$ERR" >&2
fi
[ "$(ls -A "$TF")" = hvctl.prom ] && pass || fail "textfile dir holds: $(ls -A "$TF")"
expect_in "$TF/hvctl.prom" 'hvctl_cell_state{cell="rtos",id="1",state="running"} 1' "hvctl.prom"
expect_in "$TF/hvctl.prom" '# TYPE hvctl_cell_vmexits_total counter' "hvctl.prom"
[ "$(stat -c %a "$TF/hvctl.prom")" = 644 ] && pass || fail "hvctl.prom is not 0644"
if promtool check metrics <"$TF/hvctl.prom" >"$OUT" 2>&1; then pass; else
	fail "promtool check metrics hvctl.prom:"
	cat "$OUT" >&2
fi

# hvctl fails (no such board): the old file stays as it was, no leftovers.
cp "$TF/hvctl.prom" "$TMP/before.prom"
if HVCTL_OPTS="-c sim:$TMP/no-board" "$SCRIPT" "$TF" 2>"$ERR"; then
	fail "hvctl-prometheus-textfile succeeded without a board"
else
	pass
fi
cmp -s "$TF/hvctl.prom" "$TMP/before.prom" && pass || fail "a failed run changed hvctl.prom"
[ "$(ls -A "$TF")" = hvctl.prom ] && pass || fail "a failed run left: $(ls -A "$TF")"

# A second run replaces the file (a new inode: renamed, not rewritten).
ino1=$(stat -c %i "$TF/hvctl.prom")
"$SCRIPT" "$TF" && pass || fail "second run"
ino2=$(stat -c %i "$TF/hvctl.prom")
[ "$ino1" != "$ino2" ] && pass || fail "hvctl.prom was rewritten in place"

finish
