#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Run in the guest booted with "-cpu max" (VHE): Linux runs at EL2 itself,
# so hvdrv must refuse to load and name what fixes it: the kernel
# parameters since 5.12, a kernel without CONFIG_ARM64_VHE before (5.10).
passed=0
failed=0
check() {
	d=$1
	shift
	if "$@"; then
		passed=$((passed + 1)); echo "VHE: PASS: $d"
	else
		failed=$((failed + 1)); echo "VHE: FAIL: $d"
	fi
}
dmesg | grep -E "started at EL|VHE" | head -n 3
check "insmod hvdrv.ko is refused" sh -c '! insmod /hvdrv.ko'
case $(uname -r) in
5.10.*) fix="rebuild the kernel without CONFIG_ARM64_VHE" ;;
*) fix="id_aa64mmfr1.vh=0 kvm-arm.mode=none" ;;
esac
echo "VHE: Linux $(uname -r)"
check "the refusal names $fix" sh -c "dmesg | grep -q '$fix'"
check "no /dev/jailhouse is left behind" [ ! -e /dev/jailhouse ]
check "no /sys/devices/jailhouse is left behind" [ ! -e /sys/devices/jailhouse ]
echo "vhe: $passed passed, $failed failed"
