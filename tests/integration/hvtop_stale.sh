#!/bin/sh
# SPDX-License-Identifier: MIT
# hvtop screen test: degraded states. When the backend goes away (hvsim
# killed) the last state read stays on screen, dimmed, and the title
# says "stale since HH:MM:SS"; when it comes back hvtop resumes with the
# new state, no longer dimmed. With the hypervisor disabled and hvtop
# read-only, the title and the view say both.
. "$(dirname "$0")/../../tui/screentest.sh"
st_init "$1"
st_sim
st_rtos_running

# Whether the first character of TEXT on screen is drawn dim (SGR 2).
# A capture sets attributes only where they change, also across lines,
# so the state is followed from the top of the screen.
dim_at() {
	tmux -L "$ST_SOCK" capture-pane -p -e -t main | awk -v t="$1" '
		{
			text = ""; mask = ""; line = $0
			while (length(line)) {
				if (match(line, /^\033\[[0-9;]*m/)) {
					p = substr(line, 3, RLENGTH - 3)
					n = split(p, a, ";")
					if (!n)
						dim = 0
					for (i = 1; i <= n; i++) {
						if (a[i] == "" || a[i] == "0" || a[i] == "22")
							dim = 0
						else if (a[i] == "2")
							dim = 1
					}
					line = substr(line, RLENGTH + 1)
					continue
				}
				if (match(line, /^\033[^a-zA-Z]*[a-zA-Z]/)) {
					line = substr(line, RLENGTH + 1)
					continue
				}
				text = text substr(line, 1, 1)
				mask = mask (dim ? "d" : ".")
				line = substr(line, 2)
			}
			k = index(text, t)
			if (k) {
				found = 1
				if (substr(mask, k, 1) == "d")
					isdim = 1
				exit
			}
		}
		END { exit !(found && isdim) }'
}
dim_line() {
	dim_at "$1"
}
not_dim_line() {
	st_has "$1" && ! dim_line "$1"
}

# A terminal that has dim (tmux's own "screen" has not: there the stale
# picture loses its colours instead).
st_tmux "TERM=xterm-256color '$ST_BUILD/hvtop' -c 'sim:$ST_SIMDIR' -d 0.5 --no-config --view cells"
st_expect_state rtos running
st_until 10 "the rtos row drawn plainly" not_dim_line " rtos "

st_sim_stop
st_wait "DISCONNECTED"
st_until 10 "a stale-since time in the title" sh -c \
	"tmux -L '$ST_SOCK' capture-pane -p -t main | head -n 1 | grep -E -q 'DISCONNECTED +stale since [0-2][0-9]:[0-5][0-9]:[0-5][0-9]'"
# The last state stays, dimmed: the rtos row as it was, the gauges.
st_wait_row rtos " running "
st_wait "Hypervisor memory ["
st_until 10 "the rtos row dimmed" dim_line " rtos "
dim_line "Hypervisor memory [" || st_fail "the gauges are not dimmed"
# Other views show it too, and keys still work.
st_keys 2
st_wait "CPU^ T OWNER"
st_until 10 "CPU 1 of rtos, dimmed" dim_line " rtos "
st_keys 1
st_wait_row rtos " running "
# Stays so: still stale a few refreshes later, and says why.
sleep 1.5
st_has "stale since" || st_fail "no longer marked stale while the backend is gone"
st_wait "retrying"
# An action is refused, not tried on the stale picture.
st_keys x
st_wait "not connected"

# The backend back, with another state: hvtop resumes, nothing dim.
st_sim
st_rtos_running
st_hvctl cell shutdown rtos >/dev/null || st_fail "shutdown rtos"
st_wait_gone "DISCONNECTED"
st_wait_gone "stale since"
st_expect_state rtos "shut down"
st_until 10 "the rtos row drawn plainly again" not_dim_line " rtos "
st_keys q
st_exit_ok
st_tmux_stop

# Disabled and read-only: both said, in the title and in the view.
st_hvctl disable >/dev/null || st_fail "disable"
st_hvtop -c "sim:$ST_SIMDIR" -d 0.5 --no-config --view cells --readonly
st_wait "hypervisor disabled - read-only"
st_wait "The hypervisor is disabled - read-only."
st_wait "hvtop is read-only (started with --readonly): it cannot be enabled from here."
st_keys 0
st_wait "The hypervisor is disabled - read-only."
st_keys q
st_exit_ok
