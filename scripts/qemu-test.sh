#!/bin/sh
# SPDX-License-Identifier: MIT
#
# `make test-qemu`: the hypervisor on arm64 end to end. Fetches Debian's
# arm64 kernel, headers, busybox and sysroot (cached), cross-builds hv.bin,
# hvdrv.ko, hvctl and the ioctl checker, builds an initramfs, boots QEMU and
# runs tests/qemu/scenario.sh in the guest. Ends with "N passed, N failed".
#   qemu-test.sh BUILD [QEMU_DIR]
set -u

BUILD=${1:-build}
QEMU_DIR=${2:-build/qemu}
cd "$(dirname "$0")/.."
ARM=$BUILD/arm64
LOG=$ARM/qemu-test.log
T0=$(date +%s)

fail_early() {
	echo "qemu-test: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}
elapsed() { echo $(($(date +%s) - T0)); }

for t in qemu-system-aarch64 aarch64-linux-gnu-gcc cpio gzip; do
	command -v $t >/dev/null 2>&1 ||
		fail_early "missing $t (packages: qemu-system-arm gcc-aarch64-linux-gnu cpio)"
done

scripts/qemu-fetch.sh "$QEMU_DIR" || fail_early "fetching the arm64 parts failed"
echo "qemu-test: fetched in $(elapsed) s"

make --no-print-directory BUILD="$BUILD" QEMU_DIR="$QEMU_DIR" \
	hv-arm64 driver "$ARM/hvioctl" "$ARM/inmate.bin" "$ARM/inmate.cell" \
	"$BUILD/configs/qemu/system.cell" ||
	fail_early "building hv.bin, hvdrv.ko or the QEMU system config failed"
# hvctl for arm64: the scenario reports its absence as a failure.
make --no-print-directory BUILD="$BUILD" QEMU_DIR="$QEMU_DIR" cross-tools ||
	{ echo "qemu-test: cross-building hvctl failed"; rm -f "$ARM/hvctl"; }
echo "qemu-test: built in $(elapsed) s"

tests/qemu/mkinitramfs.sh "$ARM/initramfs.cpio.gz" "$QEMU_DIR" "$ARM" \
	"$BUILD/configs/qemu/system.cell" || fail_early "initramfs build failed"

T1=$(date +%s)
scripts/qemu-run.sh "$QEMU_DIR/kernel/Image" "$ARM/initramfs.cpio.gz" "$LOG" \
	"${QEMU_TIMEOUT:-480}"
echo "qemu-test: QEMU ran $(($(date +%s) - T1)) s, whole run $(elapsed) s"

# A CPU with VHE: Linux runs at EL2 itself, and the driver must refuse
# with the kernel parameters that fix it.
QEMU_CPU=max QEMU_APPEND=hvtest=vhe scripts/qemu-run.sh \
	"$QEMU_DIR/kernel/Image" "$ARM/initramfs.cpio.gz" "$ARM/qemu-vhe.log" \
	"${QEMU_TIMEOUT:-480}" > /dev/null
echo "qemu-test: VHE boot done, whole run $(elapsed) s"
tr -d '\r' < "$ARM/qemu-vhe.log" > "$ARM/qemu-vhe.log.txt"
grep -E "^VHE: " "$ARM/qemu-vhe.log.txt"

# The guest's verdict, plus what the log must show.
tr -d '\r' < "$LOG" > "$LOG.txt"
guest=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOG.txt" | tail -n 1)
p=0
f=0
if [ -n "$guest" ]; then
	p=${guest%% passed*}
	f=${guest#*passed, }
	f=${f%% failed}
else
	echo "qemu-test: the guest did not finish the scenario"
	f=1
fi
need() {
	if grep -q "$1" "$LOG.txt"; then
		p=$((p + 1))
	else
		echo "qemu-test: log lacks: $1"
		f=$((f + 1))
	fi
}
vhe=$(grep -E '^vhe: [0-9]+ passed, [0-9]+ failed$' "$ARM/qemu-vhe.log.txt" | tail -n 1)
if [ -n "$vhe" ]; then
	vp=${vhe#vhe: }
	vp=${vp%% passed*}
	vf=${vhe#*passed, }
	vf=${vf%% failed}
	p=$((p + vp))
	f=$((f + vf))
else
	echo "qemu-test: the VHE boot did not finish"
	f=$((f + 1))
fi
need "CPU: All CPU(s) started at EL2"
need "Initializing hvctl hypervisor"
need "PASS: root cell state is running"
need "PASS: vmexits_psci rose"
need "PASS: the inmate printed through the hypervisor"
need "PASS: 3 of 3 enable/disable cycles clean"
need "hvctl-qemu: scenario finished"
grep -q "reboot: Power down" "$LOG.txt" && p=$((p + 1)) ||
	{ echo "qemu-test: no power-off seen"; f=$((f + 1)); }
echo "qemu-test: log in $LOG"
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
