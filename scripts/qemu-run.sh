#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Boots Debian's arm64 kernel with an initramfs on QEMU's virt board as the
# project runs it (docs: "Our QEMU board", plus a virtio-rng device for
# the root), under a timeout, and writes the serial console to LOG as well
# as stdout.
#   qemu-run.sh KERNEL INITRD LOG [TIMEOUT_SECONDS]
# Environment:
#   QEMU_CPU       CPU model (default cortex-a57)
#   QEMU_APPEND    more kernel parameters (hvtest=NAME picks the scenario)
#   QEMU_KVM       the parameter keeping KVM off EL2 (default
#                  kvm-arm.mode=none; empty for kernels before 5.16)
#   QEMU_SSH_PORT  a free port on 127.0.0.1 forwarded to the guest's SSH
#                  server: the only network the guest gets (restrict=on);
#                  adds hvssh=1, so the guest waits for the host after its
#                  scenario. Without it the guest has no NIC at all.
set -eu

kernel=$1
initrd=$2
log=$3
limit=${4:-480}

if [ -n "${QEMU_SSH_PORT:-}" ]; then
	net="-netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$QEMU_SSH_PORT-:22 -device virtio-net-device,netdev=n0"
	ssh=hvssh=1
else
	net="-nic none"
	ssh=
fi

# The guest's UART input: QEMU's PL011 sends at once, so Linux sees a
# UART interrupt only for received bytes. When the log shows UART_MARKER
# (tests/qemu/irq.sh asks for it), a few bytes go to the serial port;
# the feeder gives up when the scenario ends, and after LIMIT seconds.
UART_MARKER="hvctl-qemu: send UART input"
uart_input() {
	n=0
	while [ $n -lt "$limit" ]; do
		if grep -qF "$UART_MARKER" "$log" 2>/dev/null; then
			printf 'uart-probe'
			return
		fi
		if grep -qE "hvctl-qemu: scenario finished|reboot: Power down|Kernel panic" \
			"$log" 2>/dev/null; then
			return
		fi
		sleep 1
		n=$((n + 1))
	done
}

: > "$log"
# Own process group: the timeout kills QEMU even if this script is killed.
# shellcheck disable=SC2086
uart_input | timeout --foreground -k 10 "$limit" \
	qemu-system-aarch64 \
	-M virt,virtualization=on,gic-version=3,its=off \
	-cpu "${QEMU_CPU:-cortex-a57}" -smp 4 -m 1G \
	-accel tcg,thread=single \
	-nographic -no-reboot $net \
	-device virtio-rng-device \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 rdinit=/init panic=-1 mem=768M ${QEMU_KVM-kvm-arm.mode=none} $ssh ${QEMU_APPEND:-}" \
	2>&1 | tee "$log"
