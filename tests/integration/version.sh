#!/bin/sh
# SPDX-License-Identifier: MIT
# The version lives in the file VERSION alone: debian/changelog, the
# man pages and `hvctl --version` agree with it.
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

v=$(cat "$ROOT/VERSION")
if echo "$v" | grep -qx '[0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*'; then
	pass
else
	fail "VERSION is '$v', not MAJOR.MINOR.PATCH"
fi
# A native package: the changelog's version is the upstream version.
c=$(sed -n '1s/^hvctl (\([^)]*\)) .*/\1/p' "$ROOT/debian/changelog")
[ "$c" = "$v" ] && pass || fail "debian/changelog says '$c', VERSION '$v'"
for m in "$ROOT"/doc/*.1; do
	if grep -q "^\.TH .* \"hvctl $v\" " "$m"; then
		pass
	else
		fail "$(basename "$m"): .TH does not name hvctl $v"
	fi
done
out=$("$BUILD/hvctl" --version)
case "$out" in
"hvctl $v "*) pass ;;
*) fail "hvctl --version says '$out', VERSION '$v'" ;;
esac

if [ "$FAILS" -ne 0 ]; then
	echo "$(basename "$0"): $FAILS of $CHECKS checks failed" >&2
	exit 1
fi
echo "$(basename "$0"): $CHECKS checks passed"
