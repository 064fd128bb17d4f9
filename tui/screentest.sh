# SPDX-License-Identifier: MIT
# Screen-test library for hvtop (sourced by tests/integration/hvtop_*.sh).
#
# A test runs hvtop in a private tmux server at a fixed size, against an
# hvsim it starts in a temporary directory, sends keys, and waits (with
# a deadline, never a fixed sleep) for text on the screen. Everything it
# starts is stopped and removed on exit, also when an assertion fails or
# the test is interrupted.
#
#   . "$(dirname "$0")/../../tui/screentest.sh"
#   st_init "$1"                 # BUILD dir (build, build/san, ...)
#   st_sim                       # hvsim on $ST_TMP/sim
#   st_hvctl enable configs/sim/system.json
#   st_hvtop -d 0.5              # hvtop in tmux, 120x40
#   st_wait "sim-root"
#   st_keys q; st_exit_ok

set -u

st_init() {
	ST_SRC=$(cd "$(dirname "$0")/../.." && pwd)
	ST_BUILD=$(cd "$ST_SRC" && cd "${1:-build}" && pwd) || {
		echo "FAIL: build directory ${1:-build} not found" >&2
		exit 1
	}
	ST_NAME=$(basename "$0" .sh)
	ST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hvtop-st-XXXXXX")
	ST_SOCK="hvtop-st-$$"
	ST_SIM_PID=""
	ST_SIMDIR=""
	# Sanitizer builds run several times slower.
	ST_SLOW=1
	case "$ST_BUILD" in
	*san*) ST_SLOW=4 ;;
	esac
	export XDG_CONFIG_HOME="$ST_TMP/xdg"
	export TERM="${TERM:-xterm}"
	[ "$TERM" = dumb ] && export TERM=xterm
	export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
	# A leak inside libcdk itself (see the file) is not hvtop's.
	export LSAN_OPTIONS="suppressions=$ST_SRC/tui/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	unset HVCTL_URI NO_COLOR
	trap st_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	command -v tmux >/dev/null || { echo "FAIL: tmux is not installed" >&2; exit 1; }
	for b in hvtop hvsim hvctl; do
		[ -x "$ST_BUILD/$b" ] || { echo "FAIL: $ST_BUILD/$b missing" >&2; exit 1; }
	done
}

st_cleanup() {
	st_rc=$?
	tmux -L "$ST_SOCK" kill-server 2>/dev/null
	for p in $ST_SIM_PID; do
		kill "$p" 2>/dev/null
	done
	for p in $ST_SIM_PID; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$ST_TMP"
	if [ $st_rc -eq 0 ]; then
		echo "PASS $ST_NAME"
	else
		echo "FAIL $ST_NAME"
	fi
	exit $st_rc
}

st_fail() {
	echo "FAIL: $*" >&2
	if tmux -L "$ST_SOCK" has-session -t main 2>/dev/null; then
		echo "--- screen ---" >&2
		tmux -L "$ST_SOCK" capture-pane -p -t main >&2
		echo "--------------" >&2
	fi
	[ -s "$ST_TMP/hvtop.err" ] && { echo "--- hvtop stderr ---" >&2; cat "$ST_TMP/hvtop.err" >&2; }
	exit 1
}

# st_sim [NAME]: start hvsim on $ST_TMP/NAME (default "sim"), wait until ready.
st_sim() {
	ST_SIMDIR="$ST_TMP/${1:-sim}"
	mkdir -p "$ST_SIMDIR"
	"$ST_BUILD/hvsim" "$ST_SIMDIR" 2>>"$ST_TMP/hvsim.log" &
	ST_SIM_LAST=$!
	ST_SIM_PID="$ST_SIM_PID $ST_SIM_LAST"
	st_until 10 "hvsim to create its socket" test -S "$ST_SIMDIR/control.sock"
}

# Stop the last hvsim started (SIGTERM, as an operator would).
st_sim_stop() {
	kill "$ST_SIM_LAST" 2>/dev/null
	wait "$ST_SIM_LAST" 2>/dev/null
	ST_SIM_PID=$(echo "$ST_SIM_PID" | sed "s/ $ST_SIM_LAST//")
}

st_hvctl() {
	"$ST_BUILD/hvctl" -c "sim:$ST_SIMDIR" "$@"
}

# The hypervisor enabled with the sim board's system config, and rtos
# created, loaded with its guest and started.
st_rtos_running() {
	st_hvctl enable configs/sim/system.json >/dev/null || st_fail "enable"
	st_hvctl cell create configs/sim/rtos.json >/dev/null || st_fail "create rtos"
	st_hvctl cell load rtos configs/sim/rtos.guest >/dev/null || st_fail "load rtos"
	st_hvctl cell start rtos >/dev/null || st_fail "start rtos"
}

# State of a cell as hvctl reports it, or "absent".
st_cell_state() {
	st_hvctl cell list 2>/dev/null | awk -v n="$1" '
		NR > 1 && substr($0, 9, 24) ~ "^" n " " { s = substr($0, 33, 18); sub(/ +$/, "", s); print s; f = 1 }
		END { if (!f) print "absent" }'
}

# Exits counted for a cell so far (hvctl cell stats).
st_cell_exits() {
	st_hvctl cell stats "$1" 2>/dev/null | awk '$1 == "vmexits_total" { print $2; exit }'
}

# st_until SECS WHAT CMD...: run CMD until it succeeds, or fail after SECS.
st_until() {
	st_secs=$1
	st_what=$2
	shift 2
	st_deadline=$(( $(date +%s) + st_secs * ST_SLOW ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$st_deadline" ] && st_fail "timed out waiting for $st_what"
		sleep 0.1
	done
}

# End the tmux server (and hvtop in it) before starting another. The
# server goes on for a moment after its sessions are gone, and a client
# that reaches it then is told "server exited unexpectedly": wait until
# the process itself has ended.
st_tmux_stop() {
	st_tmux_pid=$(tmux -L "$ST_SOCK" display-message -p '#{pid}' 2>/dev/null)
	tmux -L "$ST_SOCK" kill-server 2>/dev/null
	st_until 10 "the tmux server to end" st_tmux_gone
}
st_tmux_gone() {
	! tmux -L "$ST_SOCK" list-sessions || return 1
	[ -z "$st_tmux_pid" ] || ! kill -0 "$st_tmux_pid"
}

# st_hvtop ARGS...: start hvtop in tmux (120x40 unless ST_COLS/ST_ROWS say).
st_hvtop() {
	st_cmd="$ST_BUILD/hvtop"
	for a in "$@"; do
		st_cmd="$st_cmd '$a'"
	done
	st_tmux "$st_cmd"
}

# st_tmux CMD: run a shell command line in tmux; its status goes to $ST_TMP/rc.
# A server ending as the client starts can still refuse it ("server
# exited unexpectedly"; nothing is started then): try again until the
# deadline.
st_tmux() {
	rm -f "$ST_TMP/rc"
	st_deadline=$(( $(date +%s) + 10 * ST_SLOW ))
	while ! tmux -L "$ST_SOCK" -f /dev/null new-session -d -s main \
		-x "${ST_COLS:-120}" -y "${ST_ROWS:-40}" \
		"cd '$ST_SRC' && $1 2>'$ST_TMP/hvtop.err'; echo \$? > '$ST_TMP/rc'; sleep 600" \
		2>"$ST_TMP/tmux.err"; do
		[ "$(date +%s)" -ge "$st_deadline" ] &&
			st_fail "tmux did not start: $(cat "$ST_TMP/tmux.err")"
		tmux -L "$ST_SOCK" has-session -t main 2>/dev/null &&
			st_fail "tmux reported a failure but the session exists: $(cat "$ST_TMP/tmux.err")"
		sleep 0.1
	done
}

st_screen() {
	tmux -L "$ST_SOCK" capture-pane -p -t main
}

st_has() {
	st_screen | grep -F -e "$1" >/dev/null
}

st_lacks() {
	! st_has "$1"
}

# st_wait TEXT [SECS]: until TEXT is on screen.
st_wait() {
	st_until "${2:-10}" "\"$1\" on screen" st_has "$1"
}

# st_wait_gone TEXT [SECS]
st_wait_gone() {
	st_until "${2:-10}" "\"$1\" to leave the screen" st_lacks "$1"
}

st_keys() {
	tmux -L "$ST_SOCK" send-keys -t main "$@"
}

# Type text literally (no key names).
st_type() {
	tmux -L "$ST_SOCK" send-keys -l -t main "$1"
}

# The screen row of a cell in the cells table ("T  ID NAME ...").
st_row() {
	st_screen | awk -v n="$1" '$3 == n && $2 ~ /^[0-9]+$/ { print; exit }'
}

# st_wait_row NAME REGEX: until the cell's row matches REGEX.
st_row_matches() {
	st_row "$1" | grep -E -e "$2" >/dev/null
}
st_wait_row() {
	st_until "${3:-10}" "row of $1 to match /$2/" st_row_matches "$1" "$2"
}

# Both hvctl and the screen agree that cell NAME is in STATE.
st_expect_state() {
	st_until 10 "hvctl to report $1 $2" st_state_is "$1" "$2"
	st_wait_row "$1" " $2 "
}
st_state_is() {
	[ "$(st_cell_state "$1")" = "$2" ]
}

# hvtop left on its own: its exit status is 0 and no sanitizer spoke.
st_exit_ok() {
	st_until 10 "hvtop to exit" test -s "$ST_TMP/rc"
	[ "$(cat "$ST_TMP/rc")" = 0 ] || st_fail "hvtop exited with status $(cat "$ST_TMP/rc")"
	if grep -E "Sanitizer|runtime error" "$ST_TMP/hvtop.err" >/dev/null 2>&1; then
		st_fail "sanitizer report from hvtop"
	fi
}

# The index (from 1) of FILE in a CDK file selector showing DIR: "../"
# first, then the entries in byte order, directories with a slash. hvtop
# lists only the files that fit (configs *.json and *.cell for create and
# enable, anything else for load), so FILE's kind decides what counts.
st_fsel_index() {
	(cd "$1" && LC_ALL=C ls -1 | while IFS= read -r e; do
		if [ -d "$e" ]; then
			echo "$e"
			continue
		fi
		case "$2" in
		*.json|*.cell) case "$e" in *.json|*.cell) echo "$e" ;; esac ;;
		*) case "$e" in *.json|*.cell) ;; *) echo "$e" ;; esac ;;
		esac
	done) | awk -v f="$2" '$0 == f { print NR + 1; exit }'
}

# Select FILE in the open file selector showing DIR, and take it.
st_fsel_pick() {
	st_i=$(st_fsel_index "$1" "$2")
	[ -n "$st_i" ] || st_fail "$2 not in $1"
	while [ "$st_i" -gt 1 ]; do
		st_keys Down
		st_i=$((st_i - 1))
	done
	st_wait "File: $1/$2"
	st_keys Enter
}
