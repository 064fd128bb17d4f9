#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Boots Debian's arm64 kernel with an initramfs on QEMU's virt board as the
# project runs it (docs: "Our QEMU board"), under a timeout, and writes the
# serial console to LOG as well as stdout.
#   qemu-run.sh KERNEL INITRD LOG [TIMEOUT_SECONDS]
# QEMU_CPU picks another CPU model and QEMU_APPEND adds kernel parameters
# (the VHE check boots "-cpu max").
set -eu

kernel=$1
initrd=$2
log=$3
limit=${4:-480}

# Own process group: the timeout kills QEMU even if this script is killed.
exec timeout --foreground -k 10 "$limit" \
	qemu-system-aarch64 \
	-M virt,virtualization=on,gic-version=3,its=off \
	-cpu "${QEMU_CPU:-cortex-a57}" -smp 4 -m 1G \
	-accel tcg,thread=single \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 rdinit=/init panic=-1 mem=768M kvm-arm.mode=none ${QEMU_APPEND:-}" \
	</dev/null 2>&1 | tee "$log"
