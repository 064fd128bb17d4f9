#!/bin/sh
# SPDX-License-Identifier: MIT
# Machine-readable output: cell list --json, cell stats --json and
# --prometheus, checked for the documented members and metric names.
. "$(dirname "$0")/lifecycle-lib.inc"

start_hvsim
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell load rtos "$CONFIGS/rtos.guest"
run 0 cell start rtos

json_check() {
	# $1 file, $2 python-ish path checks via a tiny json-c free parser:
	# we only look for members by name, which the schema guarantees.
	for m in $2; do
		expect_in "$1" "\"$m\":" "$3"
	done
}

run 0 cell list --json
json_check "$OUT" "enabled pools mem remap size used cells id name state root cpus cpus_list failed_cpus failed_list config" "cell list --json"
expect_in "$OUT" '"name": "rtos"' "cell list --json"
expect_in "$OUT" '"config": "sysfs"' "cell list --json"

run 0 cell stats --json -i 0.2
json_check "$OUT" "interval counter_names cells counters rates vmexits_total vmexits_mmio" "cell stats --json"
run 0 cell stats --json -i 0.2 rtos
json_check "$OUT" "per_cpu cpu failed" "cell stats --json rtos"
run 0 cell stats --json -i 0
expect_in "$OUT" '"interval": null' "cell stats --json -i 0"
expect_in "$OUT" '"rates": null' "cell stats --json -i 0"

run 0 cell stats --prometheus
for m in hvctl_enabled hvctl_pool_bytes hvctl_cell_state hvctl_cell_cpus \
	 hvctl_cell_cpus_failed hvctl_cell_vmexits_total hvctl_cell_vmexits_all_total; do
	expect_in "$OUT" "# HELP $m " "prometheus"
	expect_in "$OUT" "# TYPE $m " "prometheus"
done
expect_in "$OUT" 'hvctl_cell_vmexits_total{cell="rtos",id="1",reason="mmio"}' "prometheus"
expect_in "$OUT" 'hvctl_pool_bytes{pool="mem",kind="used"}' "prometheus"
expect_in "$OUT" 'hvctl_cell_state{cell="rtos",id="1",state="running"} 1' "prometheus"
# Every sample line: name{labels} value, names prefixed hvctl_.
if grep -v '^#' "$OUT" | grep -qv '^hvctl_[a-z_]*\({[^}]*}\)\{0,1\} [0-9][0-9.e+]*$'; then
	fail "prometheus lines not in the exposition format"
	grep -v '^#' "$OUT" | grep -v '^hvctl_[a-z_]*\({[^}]*}\)\{0,1\} [0-9][0-9.e+]*$' >&2
else
	pass
fi
# The pools in bytes (Prometheus' base unit): whole 4 KiB pages.
if awk '/^hvctl_pool_bytes/ { n++; if ($2 % 4096) bad = 1 }
	END { exit bad || n != 4 }' "$OUT"; then
	pass
else
	fail "hvctl_pool_bytes: not four byte counts of whole pages"
	grep '^hvctl_pool_bytes' "$OUT" >&2
fi
# promtool (Debian's prometheus package) lints names, units, types and
# _total suffixes of counters.
promtool_check() {
	if ! command -v promtool >/dev/null 2>&1; then
		fail "promtool is missing (make deps installs prometheus)"
		return
	fi
	if promtool check metrics <"$1" >"$TMP/promtool" 2>&1; then
		pass
	else
		fail "promtool check metrics ($2):"
		sed 's/^/  /' "$TMP/promtool" >&2
	fi
}
promtool_check "$OUT" "all cells"
run 0 cell stats --prometheus rtos
expect_in "$OUT" 'hvctl_cpu_vmexits_total{cpu="1",cell="rtos",id="1",reason="mmio"}' "prometheus rtos"
promtool_check "$OUT" "one cell"
run 2 cell stats --prometheus --json

finish
