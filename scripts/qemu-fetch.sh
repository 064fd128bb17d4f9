#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch what the arm64 QEMU test needs from Debian's archive and unpack it
# under OUT (default build/qemu):
#   OUT/kernel/Image            Debian's arm64 kernel (a plain Image)
#   OUT/kernel/headers          module build tree (KDIR), -common merged in
#   OUT/kernel/modules/         the guest's network modules (virtio-mmio NIC)
#   OUT/busybox                 static arm64 busybox
#   OUT/sysroot                 arm64 sysroot for the user-space tools, also
#                               holding the guest's SSH server (dropbear)
#   OUT/k510/Image, headers     Debian 11's arm64 5.10 kernel and its module
#                               build tree (part "k510", not by default), from
#                               a private apt source for bullseye
#   qemu-fetch.sh [OUT] [kernel|sysroot|k510]...   (default: kernel sysroot)
# The kernel ABI is resolved at run time from the linux-image-arm64
# metapackage, because the archive keeps only the newest. Downloads are
# cached in OUT/debs; arm64 packages are only downloaded and unpacked, never
# installed on the host.
set -eu

OUT=${1:-build/qemu}
mkdir -p "$OUT/debs"
OUT=$(cd "$OUT" && pwd)
DEBS=$OUT/debs

log() { echo "qemu-fetch: $*" >&2; }
die() { echo "qemu-fetch: error: $*" >&2; exit 1; }

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	die "dpkg does not know arm64; run 'dpkg --add-architecture arm64 && apt-get update'"
fi

abi=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/.*Depends: linux-image-\(.*\)-arm64:arm64$/\1/p' | head -n 1)
[ -n "$abi" ] || die "cannot resolve the kernel ABI from linux-image-arm64:arm64 (apt-get update?)"

if [ $# -gt 0 ]; then shift; fi
PARTS=${*:-kernel sysroot}

# The tools' build and run-time libraries, and dropbear with its libraries
# for the guest's SSH server.
SYSROOT_PKGS="libc6 libc6-dev linux-libc-dev libcrypt1 libcrypt-dev libgcc-s1
libjson-c5 libjson-c-dev libudev1 libudev-dev libncurses6 libncursesw6
libtinfo6 libncurses-dev libcdk5nc6 libcdk5-dev dropbear-bin libtomcrypt1
libtommath1 libgmp10 zlib1g"
# The NIC of the guest, in insmod order (Debian builds them as modules).
NET_MODULES="drivers/virtio/virtio_mmio.ko net/core/failover.ko
drivers/net/net_failover.ko drivers/net/virtio_net.ko"

# pkg:arch -> cached .deb path (downloads when missing)
fetch() {
	name=${1%%:*}
	arch=${1#*:}
	ver=$(apt-cache show "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || die "package $1 not found in the apt lists"
	fver=$(echo "$ver" | sed 's/:/%3a/')
	f=$(ls "$DEBS/${name}_${fver}_"*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$f" ]; then
		(cd "$DEBS" && apt-get download -q "$1=$ver" >/dev/null 2>&1) ||
			die "apt-get download $1=$ver failed"
		f=$(ls "$DEBS/${name}_${fver}_"*.deb 2>/dev/null | head -n 1)
		[ -n "$f" ] || die "download of $1 left no .deb"
		log "downloaded $(basename "$f")"
	fi
	echo "$f"
}

fetch_kernel() {
	stamp=$OUT/.stamp-kernel-$abi
	if [ -f "$stamp" ] && [ -f "$OUT/kernel/Image" ] && [ -x "$OUT/busybox" ]; then
		log "kernel $abi, headers and busybox up to date"
		return 0
	fi
	log "kernel ABI $abi"
	img=$(fetch "linux-image-$abi-arm64:arm64")
	hdr=$(fetch "linux-headers-$abi-arm64:arm64")
	cmn=$(fetch "linux-headers-$abi-common:all")
	kb=$(fetch "linux-kbuild-6.1:amd64")
	bb=$(fetch "busybox-static:arm64")

	rm -rf "$OUT/kernel" "$OUT/x"
	mkdir -p "$OUT/kernel/modules" "$OUT/x"
	for d in "$img" "$hdr" "$cmn" "$kb" "$bb"; do
		dpkg-deb -x "$d" "$OUT/x"
	done
	cp "$OUT/x/boot/vmlinuz-$abi-arm64" "$OUT/kernel/Image"
	cp "$OUT/x/bin/busybox" "$OUT/busybox"
	for m in $NET_MODULES; do
		f=$OUT/x/lib/modules/$abi-arm64/kernel/$m
		[ -f "$f" ] || die "the kernel package lacks $m"
		cp "$f" "$OUT/kernel/modules/"
	done
	echo "$NET_MODULES" | tr ' ' '\n' | sed 's|.*/||' > "$OUT/kernel/modules/order"

	# The headers' Makefile includes the -common tree and kbuild by
	# absolute path; point both at the unpacked copies.
	h=$OUT/x/usr/src/linux-headers-$abi-arm64
	c=$OUT/x/usr/src/linux-headers-$abi-common
	[ -f "$h/Makefile" ] || die "unexpected headers layout: no $h/Makefile"
	sed -i "s|/usr/src/linux-headers-$abi-common|$c|g" "$h/Makefile"
	# scripts and tools are symlinks into /usr/lib/linux-kbuild-6.1
	for l in $(find "$h" "$c" -maxdepth 2 -type l); do
		t=$(readlink "$l")
		case "$t" in
		/*) ln -sfn "$OUT/x$t" "$l" ;;
		esac
	done
	ln -sfn "$h" "$OUT/kernel/headers"
	echo "$abi" > "$OUT/kernel/abi"
	rm -f "$OUT"/.stamp-kernel-*
	touch "$stamp"
}

# Cross sysroot for the tools: unpack, then make absolute symlinks relative
# so the linker does not silently pick static archives of the host.
fetch_sysroot() {
	stamp=$OUT/.stamp-sysroot-$(echo $SYSROOT_PKGS | cksum | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ -f "$OUT/sysroot/.complete" ]; then
		log "sysroot up to date"
		return 0
	fi
	rm -rf "$OUT/sysroot"
	mkdir -p "$OUT/sysroot"
	for p in $SYSROOT_PKGS; do
		dpkg-deb -x "$(fetch "$p:arm64")" "$OUT/sysroot"
	done
	dpkg-deb -x "$(fetch ncurses-base:all)" "$OUT/sysroot"
	find "$OUT/sysroot" -type l | while read -r l; do
		t=$(readlink "$l")
		case "$t" in
		/*)
			rel=$(realpath -m --relative-to="$(dirname "$l")" "$OUT/sysroot$t")
			ln -sfn "$rel" "$l"
			;;
		esac
	done
	rm -f "$OUT"/.stamp-sysroot-*
	touch "$stamp" "$OUT/sysroot/.complete"
	log "sysroot: $OUT/sysroot"
}

# Debian 11 (bullseye) through apt state of our own under OUT/bullseye:
# the machine's sources, lists and caches stay untouched. The kbuild tools
# are amd64 programs, so each architecture gets its own state.
bullseye_apt() {
	arch=$1
	shift
	b=$OUT/bullseye/$arch
	apt-get -q -o Dir::Etc::SourceList="$OUT/bullseye/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$b/lists" -o Dir::Cache="$b/cache" \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" "$@"
}
bullseye_cache() {
	arch=$1
	shift
	b=$OUT/bullseye/$arch
	apt-cache -o Dir::Etc::SourceList="$OUT/bullseye/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$b/lists" -o Dir::Cache="$b/cache" \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" "$@"
}
# bullseye_fetch ARCH PKG -> cached .deb path
bullseye_fetch() {
	ver=$(bullseye_cache "$1" show "$2" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || die "bullseye package $2 ($1) not found"
	f=$(ls "$DEBS/${2}_$(echo "$ver" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$f" ]; then
		(cd "$DEBS" && bullseye_apt "$1" download "$2=$ver" >/dev/null 2>&1) ||
			die "apt-get download $2=$ver (bullseye, $1) failed"
		f=$(ls "$DEBS/${2}_$(echo "$ver" | sed 's/:/%3a/')_"*.deb | head -n 1)
		log "downloaded $(basename "$f")"
	fi
	echo "$f"
}

fetch_k510() {
	if [ -f "$OUT/k510/.complete" ]; then
		log "Linux 5.10 $(cat "$OUT/k510/abi") up to date"
		return 0
	fi
	mkdir -p "$OUT/bullseye/arm64/lists/partial" "$OUT/bullseye/amd64/lists/partial" \
		"$OUT/bullseye/arm64/cache/archives/partial" \
		"$OUT/bullseye/amd64/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bullseye main" \
		> "$OUT/bullseye/sources.list"
	for a in arm64 amd64; do
		bullseye_apt $a update >/dev/null 2>&1 ||
			die "apt-get update for bullseye ($a) failed"
	done
	kabi=$(bullseye_cache arm64 depends linux-image-arm64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)-arm64$/\1/p' | head -n 1)
	[ -n "$kabi" ] || die "cannot resolve bullseye's kernel ABI"
	log "Linux 5.10 ABI $kabi"
	img=$(bullseye_fetch arm64 "linux-image-$kabi-arm64")
	hdr=$(bullseye_fetch arm64 "linux-headers-$kabi-arm64")
	cmn=$(bullseye_fetch arm64 "linux-headers-$kabi-common")
	kb=$(bullseye_fetch amd64 linux-kbuild-5.10)
	rm -rf "$OUT/k510"
	mkdir -p "$OUT/k510/x"
	for d in "$img" "$hdr" "$cmn" "$kb"; do
		dpkg-deb -x "$d" "$OUT/k510/x"
	done
	cp "$OUT/k510/x/boot/vmlinuz-$kabi-arm64" "$OUT/k510/Image"
	h=$OUT/k510/x/usr/src/linux-headers-$kabi-arm64
	c=$OUT/k510/x/usr/src/linux-headers-$kabi-common
	[ -f "$h/Makefile" ] || die "unexpected 5.10 headers layout: no $h/Makefile"
	sed -i "s|/usr/src/linux-headers-$kabi-common|$c|g" "$h/Makefile"
	for l in $(find "$h" "$c" -maxdepth 2 -type l); do
		t=$(readlink "$l")
		case "$t" in
		/*) ln -sfn "$OUT/k510/x$t" "$l" ;;
		esac
	done
	ln -sfn "$h" "$OUT/k510/headers"
	echo "$kabi" > "$OUT/k510/abi"
	touch "$OUT/k510/.complete"
}

for part in $PARTS; do
	case $part in
	kernel) fetch_kernel ;;
	sysroot) fetch_sysroot ;;
	k510) fetch_k510 ;;
	*) die "unknown part '$part' (kernel, sysroot, k510)" ;;
	esac
done
log "done: $OUT"
