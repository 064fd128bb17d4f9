#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The operator's path, run on the host against the QEMU guest booted with
# hvtest=operator-guest and an SSH forward (scripts/qemu-test.sh): over
# `ssh -tt` in a private tmux server, hvtop opens on the real hypervisor,
# shows the root cell and the hypervisor console, and with keys creates a
# cell from its config (file selector), loads its image, starts it, shows
# its output, its interrupt rate and its CPU, stops and destroys it; the
# CPU is back in the root cell and online in Linux. The cell is the tick
# inmate (a 1 kHz timer, a line a second) when the guest has it in
# /configs, else the QEMU test's hello inmate. Every step is checked
# on the captured screen (printed to the log) and against hvctl over ssh;
# `hvtop -b -n 1 --json` must agree with `hvctl cell list --json`; a
# window resize must reach hvtop. At the end the guest is powered off.
# Prints "operator: N passed, N failed".
#   operator.sh ARM64_OUT KEY PORT
set -u

ARM=$1
KEY=$2
PORT=$3
SOCK=hvctl-op-$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hvctl-op-XXXXXX")
passed=0
failed=0
SSH_OPTS="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -i $KEY -p $PORT"

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); echo "operator: PASS: $*"; }
fail() { failed=$((failed + 1)); echo "operator: FAIL: $*"; }
check() {
	d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
# shellcheck disable=SC2086
guest() { ssh -n $SSH_OPTS -o ConnectTimeout=5 root@127.0.0.1 "$@"; }

screen() { tmux -L "$SOCK" capture-pane -p -t op; }
show() {
	echo "operator: --- screen: $1 ---"
	screen | sed -e 's/[[:space:]]*$//' | sed -e '/^$/d'
	echo "operator: ---"
}
keys() { tmux -L "$SOCK" send-keys -t op "$@"; }
# until SECS CMD...: true once CMD succeeds within SECS seconds.
until_ok() {
	t=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge $t ] && return 1
		sleep 0.2
	done
}
has() { screen | grep -F -e "$1" >/dev/null; }
# wait_screen TEXT [SECS]: check that TEXT appears on screen.
wait_screen() {
	if until_ok "${2:-20}" has "$1"; then
		pass "screen shows: $1"
	else
		fail "screen shows: $1"
		show "while waiting for \"$1\""
	fi
}
# The state hvctl gives for a cell (over ssh), or "absent".
cell_state() {
	guest hvctl cell list 2>/dev/null | awk -v n="$1" '
		NR > 1 && substr($0, 9, 24) ~ "^" n " " { s = substr($0, 33, 18); sub(/ +$/, "", s); print s; f = 1 }
		END { if (!f) print "absent" }'
}
state_is() { [ "$(cell_state "$1")" = "$2" ]; }
expect_state() {
	if until_ok 20 state_is "$1" "$2"; then
		pass "hvctl over ssh: $1 is $2"
	else
		fail "hvctl over ssh: $1 is $2 (says $(cell_state "$1"))"
	fi
}
online_is() { [ "$(guest cat /sys/devices/system/cpu/online)" = "$1" ]; }
# pick NAME: select NAME in the open file selector of /configs.
pick() {
	i=$(guest ls -1 /configs | LC_ALL=C sort | awk -v f="$1" '$0 == f { print NR + 1; exit }')
	if [ -z "$i" ]; then
		fail "$1 is in the guest's /configs"
		return
	fi
	while [ "$i" -gt 1 ]; do
		keys Down
		i=$((i - 1))
	done
	wait_screen "File: /configs/$1"
	keys Enter
}

# ---- the guest answers over SSH (slirp accepts before dropbear runs) ----
if until_ok 180 guest true; then
	pass "ssh into the guest through the loopback forward"
else
	fail "ssh into the guest through the loopback forward"
	echo "operator: $passed passed, $failed failed"
	exit 1
fi
check "the hypervisor is enabled in the guest" \
	[ "$(guest cat /sys/devices/jailhouse/enabled)" = 1 ]
check "hvctl and hvtop in the guest are arm64 programs that run" \
	guest 'hvctl --help >/dev/null && hvtop --help >/dev/null && uname -m | grep -qx aarch64'

# ---- hvtop's batch JSON agrees with hvctl's ----
guest hvctl cell list --json > "$TMP/hvctl.json"
guest hvtop -b -n 1 --json > "$TMP/hvtop.json"
# One schema for both (doc/snapshot-schema.json): everything but hvtop's
# counters, rates and timing must be the same.
filter='{schema_version, uri, enabled, num_cpus, pools, cells: [.cells[] | del(.counters, .rates)]}'
jq -S "$filter" "$TMP/hvctl.json" > "$TMP/a" 2>/dev/null
jq -S "$filter" "$TMP/hvtop.json" > "$TMP/b" 2>/dev/null
check "hvtop -b -n 1 --json and hvctl cell list --json agree ($(jq -c '[.cells[] | {id, name, state, cpus_list}]' "$TMP/hvctl.json" 2>/dev/null))" \
	sh -c "[ -s '$TMP/a' ] && cmp -s '$TMP/a' '$TMP/b'"
check "both say enabled" sh -c \
	"[ \"\$(jq .enabled '$TMP/hvctl.json')\" = true ] && [ \"\$(jq .enabled '$TMP/hvtop.json')\" = true ]"

# ---- hvtop over ssh -tt in tmux ----
tmux -L "$SOCK" -f /dev/null start-server \; \
	set -g default-terminal tmux-256color \; set -g remain-on-exit on \; \
	new-session -d -s op -x 120 -y 40 \
	"ssh -tt $SSH_OPTS root@127.0.0.1 'rm -f /tmp/hvtop.rc; ESCDELAY=25 hvtop -d 0.5 --no-config; echo \$? > /tmp/hvtop.rc'"
wait_screen "hvtop  jailhouse:" 30
wait_screen "qemu-arm64"
check "the root cell's row says running with CPUs 0-3" \
	until_ok 20 sh -c "tmux -L '$SOCK' capture-pane -p -t op | grep -E '^0 +0 qemu-arm64 +running +0-3 '"
show "hvtop opens on the real hypervisor"
keys 5
wait_screen "Activating hypervisor on 4 CPUs"
show "the hypervisor console"

# ---- the cell: tick if the guest has it ----
if guest test -f /configs/tick.cell -a -f /configs/tick.bin; then
	C=tick CPU=3 WITHOUT=0-2 OWNS="CPUs 3 and 128 KiB of memory."
	HELLO="tick: 1000 Hz from the virtual timer"
else
	C=inmate CPU=1 WITHOUT=0,2-3 OWNS="CPUs 1 and 64 KiB of memory."
	HELLO="Hello from the inmate on CPU 1"
fi
echo "operator: the cell is $C on CPU $CPU"
on_screen() { tmux -L "$SOCK" capture-pane -p -t op | grep -E "$1" >/dev/null; }

# ---- create through the file selector ----
keys 1 n
wait_screen "Create: choose a cell config"
wait_screen "File: /configs"
pick $C.cell
wait_screen "Create cell?"
wait_screen "CPUs $CPU"
show "create: the preview"
keys Enter
wait_screen "created cell \"$C\" with ID 1"
expect_state $C "shut down"
check "CPU $CPU left Linux for the cell" until_ok 10 online_is "$WITHOUT"
show "create: done"

# ---- load and start ----
keys End L
wait_screen "Load: choose an image"
pick $C.bin
wait_screen "Address: 0x0"
keys Enter
wait_screen "into cell \"$C\"; S starts it"
keys S
wait_screen "cell \"$C\" started"
expect_state $C running
check "the cell's row says running on CPU $CPU" \
	until_ok 20 on_screen "^1 +1 $C +running +$CPU "
show "start: the cells view with the cell's exit rate"
keys Enter
wait_screen "Cell 1 \"$C\"  running"
if [ $C = tick ]; then
	# Its timer's interrupts, counted per second in the detail view.
	irq_rate() {
		r=$(tmux -L "$SOCK" capture-pane -p -t op | awk '$1 == "virt_irq" { print $3; exit }')
		case $r in
		*k) r=${r%k}; r=${r%.*}000 ;;
		esac
		[ "${r%.*}" -ge 100 ] 2>/dev/null
	}
	check "the detail view shows tick's timer interrupts at 100/s or more" \
		until_ok 20 irq_rate
fi
show "start: the cell's statistics"
keys Escape
keys c
wait_screen "$HELLO"
if [ $C = tick ]; then
	# Per-second lines: two different counts on screen.
	two_lines() { [ "$(screen | grep -cE '^tick [0-9]+: ')" -ge 2 ]; }
	check "tick's per-second lines reach the console view" until_ok 30 two_lines
fi
show "start: the cell's console"
keys 2
check "the CPU view shows CPU $CPU owned by the cell" \
	until_ok 20 on_screen "^ +$CPU 1 $C +running"
show "start: the CPU view"
check "hvctl over ssh: CPU $CPU belongs to $C" \
	sh -c "ssh -n $SSH_OPTS root@127.0.0.1 cat /sys/devices/jailhouse/cells/1/cpus_assigned_list | grep -qx $CPU"

# ---- a window resize reaches hvtop through ssh ----
tmux -L "$SOCK" resize-window -t op -x 70 -y 20
wait_screen "Terminal too small: 70x20"
tmux -L "$SOCK" resize-window -t op -x 120 -y 40
wait_screen "1 Cells   2 CPUs"

# ---- stop and destroy, each after its confirmation ----
keys 1 End x
wait_screen "Stop cell 1 \"$C\" (running)?"
keys Left Enter
wait_screen "cell \"$C\" stopped"
expect_state $C "shut down"
show "stop"
keys D
wait_screen "Destroy cell 1 \"$C\" (shut down)?"
wait_screen "It owns $OWNS"
show "destroy: the confirmation"
keys Left Enter
wait_screen "cell \"$C\" destroyed"
expect_state $C absent
check "CPU $CPU is back online in Linux" until_ok 20 online_is "0-3"
check "CPU $CPU is back in the root cell" \
	sh -c "ssh -n $SSH_OPTS root@127.0.0.1 cat /sys/devices/jailhouse/cells/0/cpus_assigned_list | grep -qx 0-3"
check "Linux runs on CPU $CPU again" guest taskset $((1 << CPU)) true
show "destroy: CPU $CPU back"

keys q
rc_is_0() { [ "$(guest cat /tmp/hvtop.rc 2>/dev/null)" = 0 ]; }
check "q quits hvtop with status 0" until_ok 20 rc_is_0

# ---- power the guest off (QEMU exits on its own: -no-reboot) ----
guest '(sleep 0.2; poweroff -f) </dev/null >/dev/null 2>&1 &'
echo "operator: $passed passed, $failed failed"
