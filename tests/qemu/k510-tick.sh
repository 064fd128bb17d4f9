#!/bin/sh
# SPDX-License-Identifier: MIT
#
# On Linux 5.10, after the core scenario: enable, the tick inmate's cell
# on CPU 3 (its 1 kHz timer interrupts it through the hypervisor; it
# prints a line a second), destroy, disable. Ends with "k510-tick: N
# passed, N failed".
SYSFS=/sys/devices/jailhouse
passed=0
failed=0
check() {
	d=$1
	shift
	if "$@"; then
		passed=$((passed + 1)); echo "PASS: $d"
	else
		failed=$((failed + 1)); echo "FAIL: $d"
	fi
}
ticks() { grep -cE '^tick [0-9]+: ' $SYSFS/cells/1/console 2>/dev/null; }

check "insmod for the tick cell" insmod /hvdrv.ko
check "enable for the tick cell" hvctl enable /system.cell
check "create the tick cell" hvctl cell create /cells/tick.cell
check "CPU 3 left Linux" [ "$(cat /sys/devices/system/cpu/online)" = 0-2 ]
check "load tick.bin" hvctl cell load tick /inmates/tick.bin
check "start tick" hvctl cell start tick
i=0
while [ $i -lt 30 ] && [ "$(ticks)" -lt 2 ]; do
	sleep 1
	i=$((i + 1))
done
cat $SYSFS/cells/1/console
check "tick printed two per-second lines on Linux 5.10" [ "$(ticks)" -ge 2 ]
irq=$(cat $SYSFS/cells/1/statistics/vmexits_virt_irq 2>/dev/null)
check "tick's timer interrupts came through the hypervisor ($irq)" \
	[ "${irq:-0}" -gt 100 ]
# The driver's hotplug state refuses to bring a cell's CPU up (5.10 too).
err=$(sh -c 'echo 1 > /sys/devices/system/cpu/cpu3/online' 2>&1)
rc=$?
echo "k510-tick: echo 1 > cpu3/online while tick owns CPU 3: rc $rc: $err"
check "onlining CPU 3 while tick owns it fails with EBUSY on Linux 5.10" \
	sh -c "[ $rc != 0 ] && echo '$err' | grep -q 'busy'"
n=$(ticks)
sleep 1
check "tick keeps running after the refused online ($n -> $(ticks))" \
	[ "$(ticks)" -gt "$n" ]
check "destroy tick" hvctl cell destroy tick
check "CPU 3 back in Linux" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
check "disable" hvctl disable
check "rmmod" rmmod hvdrv
echo "k510-tick: $passed passed, $failed failed"
