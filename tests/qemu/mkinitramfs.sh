#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Builds the QEMU test initramfs (gzip'd cpio, newc):
#   mkinitramfs.sh OUT.cpio.gz QEMU_DIR ARM64_OUT SYSTEM_CELL [PUBKEY]
# QEMU_DIR holds busybox, the network modules and the arm64 sysroot
# (scripts/qemu-fetch.sh); ARM64_OUT holds hv.bin, hvdrv.ko, hvioctl and
# (optionally) hvctl, hvtop and libhvctl.so, and driver/hvdbgcon.ko. PUBKEY, a public key made by
# the test, is the only key the guest's SSH server accepts. HVDRV names
# another hvdrv.ko (the one built against Linux 5.10), HVDBGCON another
# hvdbgcon.ko, IVSHMEM_NET another ivshmem_net.ko; HVDRV_TEST names
# the driver's fault-injection build (default ARM64_OUT/hvdrv-test.ko);
# UIO_IVSHMEM and UIO_KO another uio_ivshmem.ko and uio.ko (Linux 5.10).
set -eu

out=$1
qemu=$2
arm=$3
cell=$4
pubkey=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp made it 0700: as the guest's / nobody but root could use it
# (the scenario runs commands as an operator-group user).
chmod 755 "$root"
sys=$qemu/sysroot
strip=${CROSS_COMPILE:-aarch64-linux-gnu-}strip

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" \
	"$root/lib/firmware" "$root/lib/aarch64-linux-gnu" "$root/lib/modules" \
	"$root/root"
cp "$qemu/busybox" "$root/bin/busybox"
# init installs every applet; these few links let it start.
for a in sh mount mkdir cat; do
	ln -sf busybox "$root/bin/$a"
done
cp "$here/init" "$root/init"
chmod 755 "$root/init"
# Every guest-side scenario (hvtest=NAME runs /NAME.sh).
for s in "$here"/*.sh; do
	case $(basename "$s") in
	mkinitramfs.sh) ;;
	*) cp "$s" "$root/" ;;
	esac
done
cp "${HVDRV:-$arm/hvdrv.ko}" "$root/hvdrv.ko"
# Built by the same Kbuild run as hvdrv.ko (make driver).
cp "${HVDBGCON:-$arm/driver/hvdbgcon.ko}" "$root/hvdbgcon.ko"
cp "${IVSHMEM_NET:-$arm/driver/ivshmem_net.ko}" "$root/ivshmem_net.ko"
# The fault-injection build (make driver-test); HVDRV_TEST= leaves it out.
hvdrv_test=${HVDRV_TEST-$arm/hvdrv-test.ko}
if [ -n "$hvdrv_test" ]; then
	cp "$hvdrv_test" "$root/hvdrv-test.ko"
fi
cp "$arm/hv.bin" "$root/lib/firmware/jailhouse.bin"
cp "$arm/hvioctl" "$root/bin/hvioctl"
# The ivshmem scenarios: uio_ivshmem.ko (make driver), the kernel's uio.ko
# (UIO_KO names another kernel's) and the root's round-trip program.
cp "${UIO_IVSHMEM:-$arm/driver/uio_ivshmem.ko}" "$root/uio_ivshmem.ko"
uio_ko=${UIO_KO:-$qemu/x/lib/modules/$(cat "$qemu/kernel/abi")-arm64/kernel/drivers/uio/uio.ko}
cp "$uio_ko" "$root/uio.ko"
cp "$arm/ivshmem-rt" "$root/bin/ivshmem-rt"
cp "$cell" "$root/system.cell"
for f in "$arm"/*.cell "$arm"/*.bin; do
	case $(basename "$f") in
	hv.bin) ;;
	*) cp "$f" "$root/" ;;
	esac
done

# Copies a library from the sysroot as a real file.
lib() {
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
		if [ -e "$sys/$d/$1" ]; then
			cp -L "$sys/$d/$1" "$root/lib/aarch64-linux-gnu/"
			"$strip" "$root/lib/aarch64-linux-gnu/$1"
			return 0
		fi
	done
	echo "mkinitramfs: no $1 in the sysroot" >&2
	return 1
}

# The interrupt scenarios (irq.sh): inmate demos, their cells, gicpoke.
mkdir -p "$root/inmates" "$root/cells"
cp "$arm"/inmates/*.bin "$root/inmates/"
for c in "$(dirname "$cell")"/*.cell; do
	cp "$c" "$root/cells/"
done
cp "$arm/gicpoke.ko" "$root/gicpoke.ko"
# The root's virtio device (qemu-run.sh gives the board a virtio-rng):
# irq.sh checks that its interrupts still arrive after the cells.
for m in "$qemu"/x/lib/modules/*/kernel/drivers/virtio/virtio_mmio.ko \
	 "$qemu"/x/lib/modules/*/kernel/drivers/char/hw_random/virtio-rng.ko; do
	if [ -f "$m" ]; then cp "$m" "$root/"; fi
done

cp -L "$sys/lib/ld-linux-aarch64.so.1" "$root/lib/"
for l in libc.so.6 libm.so.6; do lib $l; done
if [ -x "$arm/hvctl" ]; then
	for l in libjson-c.so.5 libudev.so.1 libcdk.so.5 libncurses.so.6 \
		 libtinfo.so.6; do
		lib $l
	done
	cp -L "$arm/libhvctl.so" "$root/lib/aarch64-linux-gnu/libhvctl.so.0"
	"$strip" "$root/lib/aarch64-linux-gnu/libhvctl.so.0"
	for t in hvctl hvtop; do
		if [ -x "$arm/$t" ]; then
			cp "$arm/$t" "$root/bin/$t"
			"$strip" "$root/bin/$t"
		fi
	done
	# hvtop's terminal types: the serial console and what a host's ssh
	# client brings along.
	for t in v/vt100 l/linux t/tmux t/tmux-256color s/screen \
		 s/screen-256color x/xterm x/xterm-256color; do
		if [ -e "$sys/lib/terminfo/$t" ]; then
			mkdir -p "$root/lib/terminfo/${t%/*}"
			cp -L "$sys/lib/terminfo/$t" "$root/lib/terminfo/$t"
		fi
	done
fi

# The SSH server and the NIC, used when the kernel line has hvssh=1.
if [ -x "$sys/usr/sbin/dropbear" ] && [ -d "$qemu/kernel/modules" ]; then
	for l in libtomcrypt.so.1 libtommath.so.1 libgmp.so.10 libz.so.1 \
		 libcrypt.so.1 libutil.so.1; do
		lib $l 2>/dev/null || true
	done
	cp "$sys/usr/sbin/dropbear" "$root/usr/sbin/"
	cp "$sys/usr/bin/dropbearkey" "$root/usr/bin/"
	cp "$qemu"/kernel/modules/*.ko "$qemu/kernel/modules/order" \
		"$root/lib/modules/"
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
	printf 'root:x:0:\ntty:x:5:\n' > "$root/etc/group"
	echo /bin/sh > "$root/etc/shells"
	if [ -n "$pubkey" ]; then
		mkdir -p "$root/root/.ssh"
		cp "$pubkey" "$root/root/.ssh/authorized_keys"
		chmod 700 "$root/root/.ssh"
		chmod 600 "$root/root/.ssh/authorized_keys"
	fi
fi
chmod 700 "$root/root"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out"
