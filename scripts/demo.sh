#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: hvtop on a simulated board. hvtop --demo starts hvsim next
# to itself in a private temporary directory (mkdtemp, under
# $XDG_RUNTIME_DIR when there is one), enables the hypervisor with
# configs/sim/system.json, creates, loads and starts the demo cells, and
# removes everything again when it ends (q, Ctrl-C, SIGTERM, SIGHUP).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}

# Without a terminal there is nothing to show: say so, do not hang.
if [ ! -t 0 ] || [ ! -t 1 ]; then
	echo "demo: hvtop needs a terminal, and stdin or stdout is not one." >&2
	echo "demo: run 'make demo' in a terminal; '$BUILD/hvtop -b' prints snapshots without one." >&2
	exit 1
fi
for b in hvtop hvsim; do
	if [ ! -x "$BUILD/$b" ]; then
		echo "demo: $BUILD/$b is missing; 'make' builds it" >&2
		exit 1
	fi
done
# The board's directory is private (0700, a fresh name): under the user's
# runtime directory when there is one, else under TMPDIR or /tmp.
if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] &&
   [ -O "$XDG_RUNTIME_DIR" ]; then
	TMPDIR=$XDG_RUNTIME_DIR
	export TMPDIR
fi
exec "$BUILD/hvtop" --demo "$@"
