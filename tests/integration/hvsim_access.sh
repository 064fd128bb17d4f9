#!/bin/sh
# SPDX-License-Identifier: MIT
# The operator group on hvsim: a member of hvsim's group (another uid)
# reads the board with hvctl and hvtop, hvtop shows read-only from
# libhvctl's answer, and every change it asks for is refused (EPERM, with
# the reason) and changes nothing. A user outside the group cannot even
# connect, and a cell's console and config files are 0440.
# Needs root and setpriv to act as another user (skipped otherwise).
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "hvsim_access: needs root and setpriv to act as another user; skipped"
	exit 0
fi
st_sim
st_rtos_running
# hvsim runs as root:root; the operator is uid 65534 in group 0.
chmod 0711 "$ST_TMP"
chmod 0750 "$ST_SIMDIR"
GROUP="setpriv --reuid=65534 --regid=65534 --groups=0 --"
NOGROUP="setpriv --reuid=65534 --regid=65534 --clear-groups --"
# The operator runs copies of the tools: the build tree may lie in a
# directory only root can enter (CI's clone in a mktemp -d, mode 0700).
OPBIN="$ST_TMP/opbin"
mkdir -m 0755 "$OPBIN"
cp -P "$ST_BUILD/hvctl" "$ST_BUILD/hvtop" "$ST_BUILD"/libhvctl.so* \
	configs/sim/linux-demo.json "$OPBIN/"
chmod -R a+rX "$OPBIN"
# An ASan build's hvtop reads its leak suppressions as the operator too.
case "${LSAN_OPTIONS:-}" in
*"$ST_SRC/tui/lsan.supp"*)
	cp "$ST_SRC/tui/lsan.supp" "$OPBIN/"
	chmod a+r "$OPBIN/lsan.supp"
	LSAN_OPTIONS=$(printf '%s' "$LSAN_OPTIONS" |
		sed "s|$ST_SRC/tui/lsan.supp|$OPBIN/lsan.supp|")
	export LSAN_OPTIONS
	;;
esac
op_hvctl() {
	$GROUP "$OPBIN/hvctl" -c "sim:$ST_SIMDIR" "$@"
}

ID=$(st_hvctl cell list | awk '$2 == "rtos" { print $1 }')
for f in console config; do
	m=$(stat -c %a "$ST_SIMDIR/sysfs/cells/$ID/$f")
	[ "$m" = 440 ] || st_fail "cells/$ID/$f has mode $m, not 0440"
done

# Reading works for the group.
op_hvctl cell list >"$ST_TMP/list" 2>&1 || st_fail "operator: cell list failed: $(cat "$ST_TMP/list")"
grep -q "rtos" "$ST_TMP/list" || st_fail "operator: cell list lacks rtos"
op_hvctl cell stats rtos >/dev/null 2>&1 || st_fail "operator: cell stats failed"
st_until 10 "rtos console output" test -s "$ST_SIMDIR/sysfs/cells/$ID/console"
op_hvctl console --cell rtos >"$ST_TMP/con" 2>&1 || st_fail "operator: console failed: $(cat "$ST_TMP/con")"
[ -s "$ST_TMP/con" ] || st_fail "operator: empty console"

# Changing does not, whatever the request; nothing changes.
for args in "cell destroy rtos" "cell shutdown rtos" "cell start rtos" \
	    "cell create $OPBIN/linux-demo.json" "disable"; do
	# shellcheck disable=SC2086
	if op_hvctl $args >"$ST_TMP/out" 2>&1; then
		st_fail "operator: '$args' succeeded"
	fi
	grep -q "may only read this board" "$ST_TMP/out" ||
		st_fail "operator: '$args' refused without the reason: $(cat "$ST_TMP/out")"
done
[ "$(st_cell_state rtos)" = running ] || st_fail "rtos changed by refused requests"
[ "$(st_hvctl cell list | wc -l)" = 3 ] || st_fail "cells changed by refused requests"

# Outside the group: no connection at all.
if $NOGROUP "$OPBIN/hvctl" -c "sim:$ST_SIMDIR" cell list >"$ST_TMP/out" 2>&1; then
	st_fail "a user outside the group read the board"
fi

# hvtop as the operator: read-only from libhvctl's answer, with the reason.
st_tmux "$GROUP '$OPBIN/hvtop' -c 'sim:$ST_SIMDIR' -d 0.5 --no-config"
st_wait_row rtos " running "
st_wait "READ-ONLY"
st_lacks "DDestroy" || st_fail "Destroy offered to a read-only operator"
st_keys D
st_wait "may only be changed by its owner"
st_keys q
st_exit_ok
st_tmux_stop
[ "$(st_cell_state rtos)" = running ] || st_fail "rtos changed by the operator's hvtop"

# The owner's hvtop is not read-only.
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config
st_wait_row rtos " running "
st_has "DDestroy" || st_fail "the owner's hvtop does not offer Destroy"
st_keys q
st_exit_ok
st_tmux_stop
exit 0
