#!/bin/sh
# SPDX-License-Identifier: MIT
#
# In the guest, before the host's operator scenario (tests/qemu/operator.sh)
# connects over SSH: the driver loaded and the hypervisor enabled, as an
# operator finds the board, and the QEMU cell's config and image in
# /configs, where hvtop's file selector opens.
ok=1
insmod /hvdrv.ko || ok=0
hvctl enable /system.cell || ok=0
mkdir -p /configs
cp /inmate.cell /inmate.bin /configs/
[ "$(cat /sys/devices/jailhouse/enabled 2>/dev/null)" = 1 ] || ok=0
if [ $ok = 1 ]; then
	echo "operator-guest: hypervisor enabled"
else
	echo "operator-guest: setting up failed"
fi
# The tick inmate and its cell (tests/qemu/irq.sh's), when the image has them.
if [ -f /inmates/tick.bin ] && [ -f /cells/tick.cell ]; then
	cp /inmates/tick.bin /cells/tick.cell /configs/
fi
