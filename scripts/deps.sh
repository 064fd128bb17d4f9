#!/bin/sh
# Install the Debian packages the build and the tests need, if missing.
# `apt-get update` runs first because a fresh machine may have empty lists.
#   deps.sh        what `make`, `make test` and `make demo` need
#   deps.sh qemu   also the arm64 QEMU test's host tools, and arm64 known to
#                  dpkg so that arm64 packages can be downloaded (never
#                  installed: see docs on test-qemu)
#   deps.sh packages  what make test-packages needs: the qemu set (the
#                  cross compiler builds the hypervisor image, the arm64
#                  headers the DKMS tree) and the Debian packaging tools
set -eu

PKGS="gcc make pkg-config libcdk5-dev libncurses-dev libjson-c-dev libudev-dev
libcmocka-dev clang libclang-rt-14-dev valgrind strace tmux prometheus
python3-jsonschema bash-completion systemd"
want_arm64=0
if [ "${1:-}" = packages ]; then
	PKGS="$PKGS debhelper dh-dkms dkms lintian dpkg-dev file kmod"
fi
if [ "${1:-}" = qemu ] || [ "${1:-}" = packages ]; then
	PKGS="$PKGS qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu cpio
	openssh-client jq"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		want_arm64=1
	fi
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && [ $want_arm64 -eq 0 ] && exit 0

echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ $want_arm64 -eq 1 ]; then
	echo "deps: adding arm64 as a foreign architecture (for apt-get download)"
	$SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -q
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi
