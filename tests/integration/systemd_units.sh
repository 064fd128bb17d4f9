#!/bin/sh
# SPDX-License-Identifier: MIT
# The systemd units of dist/systemd pass `systemd-analyze verify` without a
# word (it exits 0 on unknown keys and bad values, so its output counts),
# with the commands they run pointed at this tree. make test-packages
# verifies the installed units again, man pages included.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
case "$BUILD" in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
FAILS=0
CHECKS=0
pass() { CHECKS=$((CHECKS + 1)); }
fail() {
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	echo "FAIL: $*" >&2
}
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "systemd-analyze is missing (package systemd)" >&2
	exit 1
fi
TMP=$(mktemp -d /tmp/hvctl-units-XXXXXX)
trap 'rm -rf "$TMP"' EXIT

for u in "$ROOT"/dist/systemd/*; do
	sed -e "s|/usr/bin/hvctl|$BUILD/hvctl|" \
	    -e "s|/usr/libexec/hvctl/|$ROOT/dist/|" "$u" >"$TMP/$(basename "$u")"
done

# verify UNIT...: exit 0 and nothing printed.
verify() {
	if (cd "$TMP" && systemd-analyze verify --man=no "$@") >"$TMP/out" 2>&1 &&
	   [ ! -s "$TMP/out" ]; then
		pass
	else
		fail "systemd-analyze verify $*:"
		sed 's/^/  /' "$TMP/out" >&2
	fi
}
# A template is verified through an instance.
verify "$TMP/hvctl@board.service"
verify "$TMP/hvctl-prometheus.service" "$TMP/hvctl-prometheus.timer"

# The check itself sees a broken unit.
sed 's/^Type=oneshot/Type=oneshoot/' "$TMP/hvctl@.service" >"$TMP/broken@.service"
if (cd "$TMP" && systemd-analyze verify --man=no "$TMP/broken@x.service") 2>&1 |
   grep -q oneshoot; then
	pass
else
	fail "a misspelt Type= went unnoticed"
fi

# What the units say they run.
grep -qx 'ExecStart=/usr/bin/hvctl $HVCTL_OPTS up /etc/hvctl/profiles/%i.json' \
	"$ROOT/dist/systemd/hvctl@.service" && pass || fail "hvctl@: ExecStart"
grep -qx 'ExecStop=/usr/bin/hvctl $HVCTL_OPTS down /etc/hvctl/profiles/%i.json' \
	"$ROOT/dist/systemd/hvctl@.service" && pass || fail "hvctl@: ExecStop"
grep -qx 'After=modprobe@hvdrv.service systemd-udevd.service local-fs.target' \
	"$ROOT/dist/systemd/hvctl@.service" && pass || fail "hvctl@: After="
grep -qx 'StandardError=journal' "$ROOT/dist/systemd/hvctl@.service" &&
	pass || fail "hvctl@: stderr to the journal"

if [ "$FAILS" -ne 0 ]; then
	echo "$(basename "$0"): $FAILS of $CHECKS checks failed" >&2
	exit 1
fi
echo "$(basename "$0"): $CHECKS checks passed"
