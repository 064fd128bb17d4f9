#!/bin/sh
# SPDX-License-Identifier: MIT
# hvsim as a process: ready signal, socket and file modes, SIGTERM/SIGINT
# cleanup, stale socket replacement, refusing a live DIR, bad arguments.
#   sh tests/integration/hvsim_process.sh BUILD
set -u
BUILD=${1:-build}
HVSIM=$BUILD/hvsim
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/hvsim-proc.XXXXXX)
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

wait_gone() {	# wait_gone PID
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

mode_of() { stat -c %a "$1"; }

[ -x "$HVSIM" ] || { echo "hvsim_process: $HVSIM missing"; exit 1; }

D=$TMP/a
"$HVSIM" "$D" 2>"$TMP/a.err" &
P=$!
PIDS="$PIDS $P"
check "control.sock appears" wait_sock "$D"
# The tree is complete once the socket is there.
for f in enabled mem_pool_size mem_pool_used remap_pool_size \
	remap_pool_used console; do
	check "sysfs/$f exists, 0444" test "$(mode_of "$D/sysfs/$f")" = 444
done
check "sysfs/cells is a 0755 directory" test "$(mode_of "$D/sysfs/cells")" = 755
check "power-on: disabled" test "$(cat "$D/sysfs/enabled")" = 0
check "power-on: no cells" test -z "$(ls "$D/sysfs/cells")"
check "power-on: pool 0" test "$(cat "$D/sysfs/mem_pool_size")" = 0
check "socket mode 0660 (owner and its group)" test "$(mode_of "$D/control.sock")" = 660

# A second hvsim on the same live DIR is refused.
"$HVSIM" "$D" 2>"$TMP/second.err"
check "second hvsim on a live DIR exits 1" test $? -eq 1
check "... saying why" grep -q "served by a running hvsim" "$TMP/second.err"
check "... and leaves the first one serving" test -S "$D/control.sock"

kill -TERM "$P"
check "SIGTERM ends hvsim" wait_gone "$P"
wait "$P"
check "exit status 0 after SIGTERM" test $? -eq 0
check "socket removed" test ! -e "$D/control.sock"
check "sysfs removed" test ! -e "$D/sysfs"
check "DIR left, empty" test -d "$D" -a -z "$(ls -A "$D")"

# SIGINT does the same.
"$HVSIM" "$D" 2>/dev/null &
P=$!
PIDS="$PIDS $P"
wait_sock "$D"
kill -INT "$P"
wait_gone "$P"
wait "$P"
check "exit status 0 after SIGINT" test $? -eq 0
check "SIGINT cleans up" test -z "$(ls -A "$D")"

# A killed hvsim leaves a stale socket; the next start replaces it.
"$HVSIM" "$D" 2>/dev/null &
P=$!
PIDS="$PIDS $P"
wait_sock "$D"
kill -9 "$P"
wait "$P" 2>/dev/null
check "SIGKILL leaves the socket" test -S "$D/control.sock"
"$HVSIM" "$D" 2>"$TMP/stale.err" &
P=$!
PIDS="$PIDS $P"
check "restart over a stale socket" wait_sock "$D"
sleep 0.2
check "... and it is live" kill -0 "$P"
check "... at power-on state" test "$(cat "$D/sysfs/enabled")" = 0
kill -TERM "$P"
wait "$P"

# Bad invocations.
"$HVSIM" 2>/dev/null
check "no DIR: exit 2" test $? -eq 2
"$HVSIM" --bogus "$D" 2>/dev/null
check "unknown option: exit 2" test $? -eq 2
printf '{ "name": "x", "cpus": 4, "ram": [], "gic": {} }' >"$TMP/b1.json"
"$HVSIM" --board "$TMP/b1.json" "$D" 2>"$TMP/b1.err"
check "bad board: exit 1" test $? -eq 1
check "... naming the file and key" grep -q "b1.json: \"ram\"" "$TMP/b1.err"
printf '{ "name": "x", "cpus": 4, "cpu": 3 }' >"$TMP/b2.json"
"$HVSIM" --board "$TMP/b2.json" "$D" 2>"$TMP/b2.err"
check "typo in board: refused" grep -q 'unknown key "cpu"' "$TMP/b2.err"
"$HVSIM" --board "$TMP/none.json" "$D" 2>"$TMP/b3.err"
check "missing board: exit 1" test $? -eq 1
check "nothing left behind by failed starts" test -z "$(ls -A "$D")"

# 256 CPUs are allowed.
sed 's/"cpus": 8/"cpus": 256/' "$ROOT/configs/sim/board.json" >"$TMP/big.json"
"$HVSIM" --board "$TMP/big.json" "$D" 2>"$TMP/big.err" &
P=$!
PIDS="$PIDS $P"
check "256-CPU board starts" wait_sock "$D"
kill -TERM "$P"
wait "$P"

[ $fails -eq 0 ] && echo "hvsim_process: all passed"
exit $fails
