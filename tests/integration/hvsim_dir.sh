#!/bin/sh
# SPDX-License-Identifier: MIT
# hvsim's DIR when other local users are hostile: a DIR another user owns
# or can write is refused and left untouched, a link is never followed,
# what hvsim creates is private, and of two hvsim started at once on one
# DIR exactly one serves it.
#   sh tests/integration/hvsim_dir.sh BUILD
# The other user is uid/gid 65534 through setpriv (needs root; skipped
# otherwise).
set -u
BUILD=${1:-build}
HVSIM=$BUILD/hvsim
TMP=$(mktemp -d /tmp/hvsim-dir.XXXXXX)
PIDS=""
fails=0

cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

check() {	# check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then
		echo "ok   $desc"
	else
		echo "FAIL $desc"
		fails=$((fails + 1))
	fi
}

wait_sock() {	# wait_sock DIR: up to 10 s for control.sock
	i=0
	while [ ! -S "$1/control.sock" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$1/control.sock" ]
}

# A listing that changes if anything in the tree changes (names, links,
# modes, owners, sizes, contents).
snapshot() {
	find "$@" -exec stat -c '%n %F %a %u %s %N' {} + 2>/dev/null | sort
	find "$@" -type f -exec md5sum {} + 2>/dev/null | sort
}

[ -x "$HVSIM" ] || { echo "hvsim_dir: $HVSIM missing"; exit 1; }
# Starts that must be refused run with a deadline: an hvsim that accepts
# would serve until killed.
refused() {	# refused DIR ERRFILE: runs hvsim, returns its status
	timeout 5 "$HVSIM" "$1" 2>"$2"
}
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "hvsim_dir: needs root and setpriv to act as another user; skipped"
	exit 0
fi
OTHER="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 0711 "$TMP"
PUB=$TMP/pub			# a /tmp-like directory: everyone writes
mkdir -m 1777 "$PUB"

# Root's files an attacker would like hvsim to delete or hand over.
VICTIM=$TMP/victim
mkdir -m 0700 "$VICTIM"
echo "root's secret" >"$VICTIM/secret"
mkdir "$VICTIM/tree"
echo keep >"$VICTIM/tree/file"
before=$(snapshot "$VICTIM")

# 1. The other user pre-creates DIR and plants links to root's files.
D=$PUB/board
$OTHER sh -c "mkdir -m 0777 '$D' && ln -s '$VICTIM/tree' '$D/sysfs' &&
	ln -s '$VICTIM/tree' '$D/.hvsim-build' &&
	ln -s '$VICTIM/secret' '$D/control.sock' &&
	ln -s '$VICTIM/secret' '$D/.hvsim.lock'"
check "setup: the other user's DIR exists" test -d "$D" -a -L "$D/sysfs"
dir_before=$(snapshot "$D")
refused "$D" "$TMP/1.err"
check "DIR of another user: exit 1" test $? -eq 1
check "... saying whose it is and what to do" \
	grep -q "belongs to uid 65534, not to you.*mktemp -d" "$TMP/1.err"
check "... root's files untouched" test "$(snapshot "$VICTIM")" = "$before"
check "... DIR untouched" test "$(snapshot "$D")" = "$dir_before"

# 2. DIR is a link (made by the other user) to a directory of root's.
L=$PUB/link
$OTHER ln -s "$VICTIM/tree" "$L"
refused "$L" "$TMP/2.err"
check "DIR that is a symbolic link: exit 1" test $? -eq 1
check "... saying so" grep -q "symbolic link is refused" "$TMP/2.err"
check "... its target untouched" test "$(snapshot "$VICTIM")" = "$before"

# 3. Root's own DIR, but others may write it.
W=$TMP/writable
mkdir -m 0777 "$W"
chmod 0777 "$W"
refused "$W" "$TMP/3.err"
check "world-writable DIR: exit 1" test $? -eq 1
check "... saying so, with the fix" \
	grep -q "writable by everyone (mode 0777).*chmod go-w" "$TMP/3.err"
check "... nothing created in it" test -z "$(ls -A "$W")"
chmod 0775 "$W"
refused "$W" "$TMP/3b.err"
check "group-writable DIR: refused" grep -q "writable by its group" "$TMP/3b.err"

# 4. Root's private DIR holding links someone made earlier: hvsim
# replaces them and never goes through them.
P=$TMP/private
mkdir -m 0700 "$P"
ln -s "$VICTIM/tree" "$P/sysfs"
ln -s "$VICTIM/tree" "$P/.hvsim-build"
ln -s "$VICTIM/secret" "$P/control.sock"
"$HVSIM" "$P" 2>"$TMP/4.err" &
pid=$!
PIDS="$PIDS $pid"
check "stale links in a private DIR: hvsim serves it" wait_sock "$P"
check "... sysfs is its own directory now" test -d "$P/sysfs" -a ! -L "$P/sysfs"
check "... root's files untouched" test "$(snapshot "$VICTIM")" = "$before"
kill -TERM "$pid"
wait "$pid"
check "... exit 0" test $? -eq 0
check "... and DIR is empty afterwards" test -z "$(ls -A "$P")"
check "... root's files still untouched" test "$(snapshot "$VICTIM")" = "$before"
ln -s "$VICTIM/secret" "$P/.hvsim.lock"
refused "$P" "$TMP/4b.err"
check "a link as lock file: refused" test $? -eq 1
check "... root's secret untouched" test "$(snapshot "$VICTIM")" = "$before"
rm -f "$P/.hvsim.lock"

# 5. What hvsim creates is private: DIR 0750 (its group reads).
N=$TMP/new
"$HVSIM" "$N" 2>"$TMP/5.err" &
pid=$!
PIDS="$PIDS $pid"
wait_sock "$N"
check "created DIR is 0750" test "$(stat -c %a "$N")" = 750
check "socket 0660" test "$(stat -c %a "$N/control.sock")" = 660
check "the other user cannot enter DIR" \
	test "$($OTHER ls "$N" 2>/dev/null)" = ""
kill -TERM "$pid"
wait "$pid"

# 6. Two hvsim started at once on one DIR: exactly one serves it.
ok=0
for n in $(seq 1 20); do
	R=$TMP/race$n
	"$HVSIM" "$R" 2>"$TMP/race$n.a" &
	a=$!
	"$HVSIM" "$R" 2>"$TMP/race$n.b" &
	b=$!
	PIDS="$PIDS $a $b"
	wait_sock "$R"
	sleep 0.3
	alive=0
	for p in $a $b; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
	if [ $alive -eq 1 ] &&
	   cat "$TMP/race$n.a" "$TMP/race$n.b" | grep -q "served by a running hvsim"; then
		ok=$((ok + 1))
	else
		echo "     race $n: $alive alive"
		cat "$TMP/race$n.a" "$TMP/race$n.b"
	fi
	kill -TERM $a $b 2>/dev/null
	wait $a $b 2>/dev/null
done
check "two hvsim at once: exactly one survives ($ok of 20)" test $ok -eq 20

[ $fails -eq 0 ] && echo "hvsim_dir: all passed"
exit $fails
