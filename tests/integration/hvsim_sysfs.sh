#!/bin/sh
# SPDX-License-Identifier: MIT
# hvsim's sysfs tree through a whole demo: formats of every file, CPU
# directories moving, counters and consoles, a failing guest, the console
# file's permission rule, and %*pb masks wider than 32 CPUs.
#   sh tests/integration/hvsim_sysfs.sh BUILD
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HVSIM=$BUILD/hvsim
HVCTL=$BUILD/hvctl
CFG=$ROOT/configs/sim
TMP=$(mktemp -d /tmp/hvsim-sysfs.XXXXXX)
P=""
fails=0

cleanup() {
	[ -n "$P" ] && kill -9 "$P" 2>/dev/null
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

check() {
	desc=$1
	shift
	if "$@"; then
		echo "ok   $desc"
	else
		echo "FAIL $desc"
		fails=$((fails + 1))
	fi
}

is() {	# is FILE EXPECTED: the file holds exactly EXPECTED and a newline
	[ "$(cat "$S/$1" 2>/dev/null)" = "$2" ] && [ "$(tail -c 1 "$S/$1" | od -An -c | tr -d ' ')" = '\n' ]
}

start() {	# start DIR [BOARD]
	D=$1
	S=$D/sysfs
	if [ $# -gt 1 ]; then
		"$HVSIM" --board "$2" "$D" 2>>"$TMP/hvsim.err" &
	else
		"$HVSIM" "$D" 2>>"$TMP/hvsim.err" &
	fi
	P=$!
	i=0
	while [ ! -S "$D/control.sock" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

stop() {
	kill -TERM "$P"
	wait "$P"
	P=""
}

hv() { "$HVCTL" -c "sim:$D" "$@" >>"$TMP/hvctl.out" 2>&1; }

for b in "$HVSIM" "$HVCTL"; do
	[ -x "$b" ] || { echo "hvsim_sysfs: $b missing"; exit 1; }
done

start "$TMP/d"
check "enable" hv enable "$CFG/system.json"
check "enabled" is enabled 1
check "pool size is a page count" grep -Eqx '[1-9][0-9]*' "$S/mem_pool_size"
check "root name" is cells/0/name sim-root
check "root state" is cells/0/state running
check "root mask, 8 CPUs" is cells/0/cpus_assigned ff
check "root list" is cells/0/cpus_assigned_list 0-7
check "no failed CPUs" is cells/0/cpus_failed 00
check "empty failed list" is cells/0/cpus_failed_list ""
check "banner in console" grep -q "hvctl hypervisor" "$S/console"

for c in rtos linux-demo ivshmem-a ivshmem-b; do
	check "create $c" hv cell create "$CFG/$c.json"
	check "load $c" hv cell load "$c" "$CFG/$c.guest"
	check "start $c" hv cell start "$c"
done
check "rtos mask" is cells/1/cpus_assigned 02
check "linux-demo mask" is cells/2/cpus_assigned 0c
check "linux-demo list" is cells/2/cpus_assigned_list 2-3
check "root mask after creates" is cells/0/cpus_assigned c1
check "root list after creates" is cells/0/cpus_assigned_list "0,6-7"
check "cpu2 moved to linux-demo" test -d "$S/cells/2/statistics/cpu2"
check "cpu2 gone from root" test ! -e "$S/cells/0/statistics/cpu2"
check "rtos running" is cells/1/state running
for f in vmexits_total vmexits_mmio vmexits_management vmexits_hypercall \
	vmexits_maintenance vmexits_virt_irq vmexits_virt_sgi vmexits_psci \
	vmexits_smccc; do
	check "cells/1/statistics/$f" grep -Eqx '[0-9]+' "$S/cells/1/statistics/$f"
	check "cells/1/statistics/cpu1/$f" grep -Eqx '[0-9]+' "$S/cells/1/statistics/cpu1/$f"
done
check "no stray files in a CPU dir" test "$(ls "$S/cells/1/statistics/cpu1" | wc -l)" = 9
"$HVCTL" config compile "$CFG/rtos.json" -o "$TMP/rtos.cell" 2>/dev/null
check "config file is the cell's config" test "$(stat -c %s "$S/cells/1/config")" = "$(stat -c %s "$TMP/rtos.cell")"
check "config file names the cell" test "$(dd if="$S/cells/1/config" bs=1 skip=8 count=4 2>/dev/null)" = rtos
t1=$(cat "$S/cells/1/statistics/vmexits_total")
sleep 2.5
t2=$(cat "$S/cells/1/statistics/vmexits_total")
check "rtos counters grow ($t1 -> $t2)" test "$t2" -gt "$t1"
check "rtos console has its ticks" grep -q "\[rtos\] tick 2" "$S/cells/1/console"
check "rtos console has only rtos" test -z "$(grep -v '^\[rtos\]' "$S/cells/1/console")"
check "ivshmem-b got a ping" grep -q "received: ping 1 from ivshmem-a" "$S/cells/4/console"
check "ivshmem-a got the pong" grep -q "received: pong 1 from ivshmem-b" "$S/cells/3/console"
check "hypervisor console has all" grep -q "Welcome to the linux-demo cell" "$S/console"
check "linux-demo second CPU counted PSCI" test "$(cat "$S/cells/2/statistics/vmexits_psci")" -ge 2

# A guest touching memory it does not own.
check "destroy rtos" hv cell destroy rtos
check "cells/1 gone" test ! -e "$S/cells/1"
check "cpu1 back in root" test -d "$S/cells/0/statistics/cpu1"
check "recreate rtos" hv cell create "$CFG/rtos.json"
check "load crash.guest" hv cell load rtos "$CFG/crash.guest"
check "start it" hv cell start rtos
sleep 1
check "crashed cell failed" is cells/1/state failed
check "its CPU failed" is cells/1/cpus_failed 02
check "failed list" is cells/1/cpus_failed_list 1
check "console names CPU, cell and address" grep -q 'Unhandled data write at 0x7fc00000 (4 bytes) by CPU 1, cell "rtos"' "$S/console"
check "root unaffected" is cells/0/state running
check "disable" hv disable
check "disabled" is enabled 0
check "no cells" test -z "$(ls "$S/cells")"
check "pools zero" is mem_pool_used 0
check "console empty while disabled" test ! -s "$S/console"
stop

# Without the console flag, the console file is absent while enabled.
grep -v '"flags": \["virtual_debug_console"\]' "$CFG/system.json" >"$TMP/noconsole.json"
start "$TMP/e"
check "enable without console flag" hv enable "$TMP/noconsole.json"
check "console absent" test ! -e "$S/console"
check "disable" hv disable
check "console back (empty)" test -e "$S/console" -a ! -s "$S/console"
stop

# 40 CPUs: masks in 32-bit groups, the first one shortened.
sed 's/"cpus": 8/"cpus": 40/' "$ROOT/configs/sim/board.json" >"$TMP/b40.json"
sed 's/"cpu_set": "0-7"/"cpu_set": "0-39"/' "$CFG/system.json" >"$TMP/s40.json"
start "$TMP/f" "$TMP/b40.json"
check "enable on 40 CPUs" hv enable "$TMP/s40.json"
check "root mask, 40 CPUs" is cells/0/cpus_assigned "ff,ffffffff"
check "create rtos" hv cell create "$CFG/rtos.json"
check "rtos mask, 40 CPUs" is cells/1/cpus_assigned "00,00000002"
check "root after create" is cells/0/cpus_assigned "ff,fffffffd"
check "root list" is cells/0/cpus_assigned_list "0,2-39"
stop

[ $fails -eq 0 ] && echo "hvsim_sysfs: all passed"
exit $fails
