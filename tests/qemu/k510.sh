#!/bin/sh
# SPDX-License-Identifier: MIT
#
# In the guest booted with Debian 11's Linux 5.10 (KVM built in; 5.10 has
# neither kvm-arm.mode=none nor id_aa64mmfr1.vh=0): is EL2 free for the
# hypervisor? KVM initialises EL2 at boot and hands it back to the hyp stub
# while no VM exists; the driver's probe asks the stub. If the probe passes
# the core scenario runs; if not, the refusal must name what to change.
echo "k510: Linux $(uname -r)"
dmesg | grep -E "started at EL|kvm \[|KVM|Hyp mode" | head -n 5
if insmod /hvdrv.ko; then
	echo "k510: EL2 is free: the hyp stub answered the driver's probe"
	rmmod hvdrv
	# The core scenario (gicpoke of the interrupt scenarios is built for
	# 6.1: IRQTEST=0 on the command line), then the tick cell.
	sh /scenario.sh
	sh /k510-tick.sh
else
	echo "k510: the driver refused:"
	dmesg | grep hvdrv | tail -n 3
	echo "0 passed, 1 failed"
fi
