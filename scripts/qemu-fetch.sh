#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch what the arm64 QEMU test needs from Debian's archive and unpack it
# under OUT (default build/qemu):
#   OUT/kernel/Image            Debian's arm64 kernel (a plain Image)
#   OUT/kernel/headers          module build tree (KDIR), -common merged in
#   OUT/busybox                 static arm64 busybox
#   OUT/sysroot                 arm64 sysroot for the user-space tools
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

SYSROOT_PKGS="libc6 libc6-dev linux-libc-dev libcrypt1 libcrypt-dev libgcc-s1
libjson-c5 libjson-c-dev libudev1 libudev-dev libncurses6 libncursesw6
libtinfo6 libncurses-dev libcdk5nc6 libcdk5-dev"

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

stamp=$OUT/.stamp-$abi
if [ -f "$stamp" ] && [ -f "$OUT/kernel/Image" ] && [ -x "$OUT/busybox" ] &&
   [ -d "$OUT/sysroot/usr/include" ]; then
	log "kernel $abi, headers, busybox and sysroot up to date"
	exit 0
fi

log "kernel ABI $abi"
img=$(fetch "linux-image-$abi-arm64:arm64")
hdr=$(fetch "linux-headers-$abi-arm64:arm64")
cmn=$(fetch "linux-headers-$abi-common:all")
kb=$(fetch "linux-kbuild-6.1:amd64")
bb=$(fetch "busybox-static:arm64")

rm -rf "$OUT/kernel" "$OUT/x"
mkdir -p "$OUT/kernel" "$OUT/x"
for d in "$img" "$hdr" "$cmn" "$kb" "$bb"; do
	dpkg-deb -x "$d" "$OUT/x"
done
cp "$OUT/x/boot/vmlinuz-$abi-arm64" "$OUT/kernel/Image"
cp "$OUT/x/bin/busybox" "$OUT/busybox"

# The headers' Makefile includes the -common tree and kbuild by absolute
# path; point both at the unpacked copies.
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

# Cross sysroot for hvctl: unpack, then make absolute symlinks relative so
# the linker does not silently pick static archives of the host.
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

rm -f "$OUT"/.stamp-*
touch "$stamp"
log "done: $OUT"
