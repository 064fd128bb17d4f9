#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Builds the QEMU test initramfs (gzip'd cpio, newc):
#   mkinitramfs.sh OUT.cpio.gz QEMU_DIR ARM64_OUT SYSTEM_CELL
# QEMU_DIR holds busybox and the arm64 sysroot (scripts/qemu-fetch.sh);
# ARM64_OUT holds hv.bin, hvdrv.ko, hvioctl and (optionally) hvctl.
set -eu

out=$1
qemu=$2
arm=$3
cell=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/lib/firmware" "$root/lib/aarch64-linux-gnu"
cp "$qemu/busybox" "$root/bin/busybox"
# The host cannot run the arm64 busybox to list its applets: name them.
for a in sh ash cat echo mount umount mkdir ls grep dmesg insmod rmmod \
	 lsmod poweroff reboot stat sleep taskset dd cmp tr head tail wc \
	 sed printf true false test [ expr seq uname cut sort timeout devmem; do
	ln -sf busybox "$root/bin/$a"
done
cp "$here/init" "$root/init"
cp "$here/scenario.sh" "$root/scenario.sh"
cp "$here/vhe.sh" "$root/vhe.sh"
chmod 755 "$root/init"
cp "$arm/hvdrv.ko" "$root/hvdrv.ko"
cp "$arm/hv.bin" "$root/lib/firmware/jailhouse.bin"
cp "$arm/hvioctl" "$root/bin/hvioctl"
cp "$cell" "$root/system.cell"
cp "$arm/inmate.cell" "$root/inmate.cell"
cp "$arm/inmate.bin" "$root/inmate.bin"
if [ -x "$arm/hvctl" ]; then
	cp "$arm/hvctl" "$root/bin/hvctl"
	# The loader and the libraries hvctl needs, as real files.
	sys=$qemu/sysroot
	cp -L "$sys/lib/ld-linux-aarch64.so.1" "$root/lib/"
	for l in libc.so.6 libjson-c.so.5 libudev.so.1 libm.so.6; do
		for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
			if [ -e "$sys/$d/$l" ]; then
				cp -L "$sys/$d/$l" "$root/lib/aarch64-linux-gnu/"
				break
			fi
		done
	done
fi
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 > "$out"
