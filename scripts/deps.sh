#!/bin/sh
# Install the Debian packages the build and the tests need, if missing.
# `apt-get update` runs first because a fresh machine may have empty lists.
set -eu

PKGS="gcc make pkg-config libcdk5-dev libncurses-dev libjson-c-dev libudev-dev
libcmocka-dev clang libclang-rt-14-dev valgrind tmux"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

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
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
