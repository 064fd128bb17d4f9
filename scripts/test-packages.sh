#!/bin/sh
# SPDX-License-Identifier: MIT
#
# make test-packages: build the Debian packages from a clean copy of the
# tree, lint them, install them on this machine, check that everything is
# where Debian expects it and works from there, and remove them again.
# The DKMS package is checked without an arm64 kernel: its source tree is
# registered with `dkms add` (by the package's postinst), and the same
# tree is cross-built with the command of its dkms.conf against Debian's
# arm64 headers that make test-qemu fetches (build/qemu).
#
# Needs root (dpkg -i), the packages of `scripts/deps.sh packages` and, for
# the cross build, `scripts/deps.sh qemu`. Work files go to build/pkg.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/pkg
QEMU_DIR=$ROOT/build/qemu
PKGS="hvctl libhvctl0 libhvctl-dev hvdrv-dkms hvctl-firmware"
FAILS=0
CHECKS=0

log() { echo "test-packages: $*"; }
pass() { CHECKS=$((CHECKS + 1)); }
fail() {
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	echo "FAIL: $*" >&2
}
check() {
	what=$1
	shift
	if "$@" >"$OUT/check.log" 2>&1; then
		pass
	else
		fail "$what"
		sed 's/^/  /' "$OUT/check.log" >&2
	fi
}
die() { echo "test-packages: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (dpkg -i and dpkg --purge)"
for p in $PKGS; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		die "$p is installed already; remove it first (dpkg --purge $PKGS)"
	fi
done
VERSION=$(cat "$ROOT/VERSION")

# ---- Build from a clean tree: the tracked files only ----
rm -rf "$OUT"
mkdir -p "$OUT/src"
(cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$OUT/src"
log "dpkg-buildpackage -b -uc -us in build/pkg/src"
if ! (cd "$OUT/src" && DEB_BUILD_OPTIONS="parallel=2" \
	dpkg-buildpackage -b -uc -us) >"$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	die "dpkg-buildpackage failed (build/pkg/build.log)"
fi
for p in $PKGS; do
	f=$(ls "$OUT"/${p}_"$VERSION"_*.deb 2>/dev/null | head -n 1)
	[ -n "$f" ] && pass || fail "no ${p}_${VERSION}_*.deb was built"
done
# The package build runs no test suite: no test was even built.
check "the package build built tests" test ! -e "$OUT/src/build/tests"

# ---- lintian: no errors; every tag is shown ----
log "lintian"
if lintian --fail-on error --display-info "$OUT"/hvctl_"$VERSION"_*.changes \
	>"$OUT/lintian.log" 2>&1; then
	pass
else
	fail "lintian reports errors"
fi
sed 's/^/  lintian: /' "$OUT/lintian.log"

# ---- Install ----
cleanup() {
	# shellcheck disable=SC2086
	dpkg --purge $PKGS >/dev/null 2>&1 || true
	[ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
log "dpkg -i"
# shellcheck disable=SC2046
if ! dpkg -i $(for p in $PKGS; do ls "$OUT"/${p}_"$VERSION"_*.deb; done) \
	>"$OUT/install.log" 2>&1; then
	cat "$OUT/install.log" >&2
	die "dpkg -i failed"
fi
cat "$OUT/install.log" | sed 's/^/  dpkg: /'

for b in hvctl hvtop hvsim; do
	check "/usr/bin/$b" test -x "/usr/bin/$b"
	check "$b has an RPATH" sh -c "! readelf -d /usr/bin/$b | grep -q 'R.*PATH'"
	check "man page of $b" test -f "/usr/share/man/man1/$b.1.gz"
done
check "man -w hvctl" man -w hvctl
check "hvctl --version" sh -c "hvctl --version | grep -q '^hvctl $VERSION '"
check "hvtop --help" hvtop --help
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "libhvctl.so.0" test -f "/usr/lib/$MA/libhvctl.so.0"
check "libhvctl.a" test -f "/usr/lib/$MA/libhvctl.a"
check "hvctl.pc" test -f "/usr/lib/$MA/pkgconfig/hvctl.pc"
check "pkg-config --modversion hvctl" \
	sh -c "[ \"\$(pkg-config --modversion hvctl)\" = $VERSION ]"

# A small program built with pkg-config, against the installed headers
# and library: it reads a config the package installed and checks it.
cat >"$OUT/prog.c" <<'PROG'
#include <stdio.h>
#include <hvctl/hvctl.h>

int main(int argc, char **argv)
{
	struct hvctl_error err = { .msg = "" };
	struct hvctl_config *sys, *cell;
	const struct hvctl_config *cells[1];
	struct hvctl_findings *f;

	if (argc != 3 || hvctl_config_read_file(&sys, argv[1], &err) ||
	    hvctl_config_read_file(&cell, argv[2], &err)) {
		fprintf(stderr, "prog: %s\n", err.msg);
		return 1;
	}
	cells[0] = cell;
	if (hvctl_config_check(sys, cells, 1, &f))
		return 1;
	printf("%.31s %u cpus %zu findings\n", (const char *)cell->cell->name,
	       hvctl_config_cpu_count(cell), f->count);
	hvctl_findings_free(f);
	hvctl_config_free(cell);
	hvctl_config_free(sys);
	return 0;
}
PROG
SIMCFG=/usr/share/hvtop/configs/sim
# shellcheck disable=SC2046
check "cc with pkg-config --cflags --libs hvctl" \
	sh -c "cc -Wall -Werror -o '$OUT/prog' '$OUT/prog.c' \$(pkg-config --cflags --libs hvctl)"
check "the pkg-config program runs" \
	sh -c "[ \"\$('$OUT/prog' $SIMCFG/system.json $SIMCFG/rtos.json)\" = 'rtos 1 cpus 0 findings' ]"
check "static link with libhvctl.a" \
	sh -c "cc -o '$OUT/prog-static' '$OUT/prog.c' \$(pkg-config --cflags hvctl) /usr/lib/$MA/libhvctl.a \$(pkg-config --libs json-c libudev) &&
	       [ \"\$('$OUT/prog-static' $SIMCFG/system.json $SIMCFG/rtos.json)\" = 'rtos 1 cpus 0 findings' ]"

# bash completion, loaded on demand the way bash-completion does.
check "completion for hvctl" test -f /usr/share/bash-completion/completions/hvctl
check "completion for hvtop" test -e /usr/share/bash-completion/completions/hvtop
if [ -f /usr/share/bash-completion/bash_completion ]; then
	check "bash loads the hvctl completion" bash -c '
		. /usr/share/bash-completion/bash_completion
		__load_completion hvctl && complete -p hvctl | grep -q _hvctl &&
		__load_completion hvtop && complete -p hvtop | grep -q _hvtop'
fi

# systemd units, the operator group and its driver option, udev, firmware.
for u in hvctl@.service hvctl-prometheus.service hvctl-prometheus.timer; do
	check "unit $u" test -f "/lib/systemd/system/$u"
done
check "systemd-analyze verify" systemd-analyze verify \
	/lib/systemd/system/hvctl@board.service \
	/lib/systemd/system/hvctl-prometheus.service \
	/lib/systemd/system/hvctl-prometheus.timer
check "group hvctl" getent group hvctl
gid=$(getent group hvctl | cut -d: -f3)
check "operator_gid in modprobe.d" \
	grep -qx "options hvdrv operator_gid=$gid" /etc/modprobe.d/hvctl-operator.conf
check "udev rule" grep -q 'KERNEL=="jailhouse".*GROUP="hvctl".*MODE="0640"' \
	/lib/udev/rules.d/60-hvctl.rules
check "sysusers.d" test -f /usr/lib/sysusers.d/hvctl.conf
check "/etc/hvctl/profiles" test -d /etc/hvctl/profiles
check "firmware image" test -s /lib/firmware/hvctl-hv.bin
check "the image is arm64 hv.bin" cmp /lib/firmware/hvctl-hv.bin "$OUT/src/build/arm64/hv.bin"
check "the firmware name option" \
	grep -qx "options hvdrv firmware=hvctl-hv.bin" /etc/modprobe.d/hvctl-firmware.conf
check "upstream's jailhouse.bin left alone" \
	sh -c "! dpkg -S /lib/firmware/jailhouse.bin 2>/dev/null | grep -q hvctl"

# The installed tools together: hvsim with its installed board, a boot
# profile from the installed examples, and the node_exporter text.
SIM=$(mktemp -d /tmp/hvctl-pkg-XXXXXX)
hvsim "$SIM/board" 2>"$SIM/hvsim.log" &
SIM_PID=$!
i=0
while [ ! -S "$SIM/board/control.sock" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "installed hvsim starts" test -S "$SIM/board/control.sock"
check "hvctl up of the installed sim profile" \
	hvctl -c "sim:$SIM/board" up -q "$SIMCFG/profiles/demo.json"
mkdir "$SIM/textfile"
check "hvctl-prometheus-textfile" \
	env HVCTL_OPTS="-c sim:$SIM/board" /usr/libexec/hvctl/hvctl-prometheus-textfile "$SIM/textfile"
check "hvctl.prom and nothing else" \
	sh -c "[ \"\$(ls -A '$SIM/textfile')\" = hvctl.prom ]"
check "hvctl.prom names the cells" grep -q 'cell="linux-demo"' "$SIM/textfile/hvctl.prom"
if command -v promtool >/dev/null 2>&1; then
	check "promtool check metrics" sh -c "promtool check metrics <'$SIM/textfile/hvctl.prom'"
fi
check "hvctl down" hvctl -c "sim:$SIM/board" down -q "$SIMCFG/profiles/demo.json"
kill "$SIM_PID" 2>/dev/null
wait "$SIM_PID" 2>/dev/null || true
SIM_PID=
rm -rf "$SIM"

# ---- DKMS: the tree is registered, and cross-builds for arm64 ----
DKMS_SRC=/usr/src/hvdrv-$VERSION
check "DKMS tree" test -f "$DKMS_SRC/dkms.conf"
check "dkms.conf version" grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$DKMS_SRC/dkms.conf"
check "dkms add (postinst)" sh -c "dkms status hvdrv/$VERSION | grep -q '^hvdrv/$VERSION.*added'"
check "arm64 only" grep -qx 'BUILD_EXCLUSIVE_ARCH="^aarch64\$"' "$DKMS_SRC/dkms.conf"
if [ -d "$QEMU_DIR/kernel/headers" ] || "$ROOT/scripts/qemu-fetch.sh" "$QEMU_DIR" >"$OUT/fetch.log" 2>&1; then
	# What dkms build does on an arm64 machine: copy the tree to
	# $dkms_tree/NAME/VERSION/build and run MAKE[0] of dkms.conf.
	tree=$OUT/dkms-tree
	mkdir -p "$tree/hvdrv/$VERSION"
	cp -r "$DKMS_SRC" "$tree/hvdrv/$VERSION/build"
	make0=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' "$DKMS_SRC/dkms.conf")
	log "cross build: $make0"
	if (kernel_source_dir=$(cd "$QEMU_DIR/kernel/headers" && pwd -P)
	    dkms_tree=$tree PACKAGE_NAME=hvdrv PACKAGE_VERSION=$VERSION
	    # Cross: the same command, told the target through the environment.
	    export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	    eval "$make0") >"$OUT/dkms-cross.log" 2>&1; then
		pass
	else
		fail "cross build of the DKMS tree"
		tail -n 30 "$OUT/dkms-cross.log" >&2
	fi
	kver=$(basename "$(readlink -f "$QEMU_DIR/kernel/headers")" | sed 's/^linux-headers-//')
	for m in hvdrv hvdbgcon ivshmem_net uio_ivshmem; do
		ko=$tree/hvdrv/$VERSION/build/$m.ko
		check "$m.ko is arm64" sh -c "file '$ko' | grep -q 'ARM aarch64'"
		check "$m.ko is for $kver" sh -c "modinfo -F vermagic '$ko' | grep -q '^$kver '"
		check "dkms.conf names $m" grep -q "^BUILT_MODULE_NAME\\[[0-9]\\]=\"$m\"\$" "$DKMS_SRC/dkms.conf"
	done
else
	fail "no arm64 headers for the cross build (scripts/qemu-fetch.sh: build/pkg/fetch.log)"
fi

# ---- Remove ----
log "dpkg --purge"
# shellcheck disable=SC2086
check "dpkg --purge" dpkg --purge $PKGS
trap - EXIT
for f in /usr/bin/hvctl /usr/bin/hvtop /usr/share/man/man1/hvctl.1.gz \
	 "/usr/lib/$MA/pkgconfig/hvctl.pc" /usr/share/bash-completion/completions/hvctl \
	 /etc/modprobe.d/hvctl-operator.conf /lib/firmware/hvctl-hv.bin "$DKMS_SRC"; do
	check "$f removed" test ! -e "$f"
done
check "dkms forgot hvdrv" sh -c "! dkms status hvdrv 2>/dev/null | grep -q hvdrv"

if [ "$FAILS" -ne 0 ]; then
	echo "test-packages: $FAILS of $CHECKS checks failed" >&2
	exit 1
fi
echo "test-packages: $CHECKS checks passed"
