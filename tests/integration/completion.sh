#!/bin/sh
# SPDX-License-Identifier: MIT
# bash completion of hvctl and hvtop (dist/bash-completion/hvctl): the
# candidates bash offers for command lines, cell names from a running
# hvsim included.
. "$(dirname "$0")/lifecycle-lib.inc"

BASH_COMPLETION=/usr/share/bash-completion/bash_completion
COMPLETION=$ROOT/dist/bash-completion/hvctl
if [ ! -f "$BASH_COMPLETION" ] || ! command -v bash >/dev/null 2>&1; then
	fail "bash or bash-completion is missing (make deps installs them)"
	finish
fi

# offers WORD... : the candidates for the last word (sorted, one a line),
# completed in the current directory.
offers() {
	bash -c '
		. "$1"
		. "$2"
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		case ${1##*/} in
		hvtop) f=_hvtop ;;
		*) f=_hvctl ;;
		esac
		$f "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' offers "$BASH_COMPLETION" "$COMPLETION" "$@" >"$OUT" 2>"$ERR"
}

quiet() {
	if [ -s "$ERR" ]; then
		fail "completion of '$1' wrote to stderr:"
		sed 's/^/  /' "$ERR" >&2
	else
		pass
	fi
}

# expect_offers "WORDS" WANT... : each WANT is among the candidates.
expect_offers() {
	words=$1
	shift
	# A trailing space stands for an empty word being completed.
	# shellcheck disable=SC2086
	case $words in
	*" ") offers $words "" ;;
	*) offers $words ;;
	esac
	quiet "$words"
	for w in "$@"; do
		if grep -qxF -- "$w" "$OUT"; then
			pass
		else
			fail "completing '$words' does not offer '$w'"
			sed 's/^/  got: /' "$OUT" >&2
		fi
	done
}

expect_offers "$HVCTL " cell config console events enable disable up down help
expect_offers "$HVCTL events --" --count
expect_offers "$HVCTL cell " create load start shutdown stop destroy list stats
expect_offers "$HVCTL config " compile decompile check show diff
expect_offers "$HVCTL cell stats --p" --prometheus
expect_offers "$HVCTL up -" --dry-run --quiet -n -q
expect_offers "$HVCTL console --" --follow --cell --raw
expect_offers "$HVCTL -" -c --help --version
offers "$HVCTL" down --d
grep -q -- --dry-run "$OUT" && fail "down offers --dry-run" || pass

# Files: profiles and configs.
cd "$ROOT/configs/sim/profiles" || exit 1
expect_offers "$HVCTL up " demo.json
cd "$ROOT/configs/sim" || exit 1
expect_offers "$HVCTL cell create r" rtos.json
expect_offers "$HVCTL enable sys" system.json
cd "$ROOT" || exit 1

# Cell names from the running board, through HVCTL_URI or -c.
start_hvsim
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell create "$CONFIGS/linux-demo.json"
expect_offers "$HVCTL cell start " rtos linux-demo sim-root
expect_offers "$HVCTL cell destroy l" linux-demo
expect_offers "$HVCTL cell stats " rtos
expect_offers "$HVCTL console --cell r" rtos
expect_offers "$HVCTL cell load " rtos
expect_offers "$HVCTL config diff " rtos sim-root
uri=$HVCTL_URI
# shellcheck disable=SC2086
(unset HVCTL_URI; offers "$HVCTL" -c "$uri" cell destroy r)
quiet "-c URI cell destroy"
grep -qx rtos "$OUT" && pass || fail "no cell names with -c URI"
# shellcheck disable=SC2086
(unset HVCTL_URI; offers "$HVCTL" -c "sim:$TMP/none" cell destroy r)
grep -qx rtos "$OUT" && fail "cell names from a backend that is not there" || pass

# hvtop options, views and themes.
HVTOP=$BUILD/hvtop
expect_offers "$HVTOP --r" --readonly
expect_offers "$HVTOP --view " dashboard cells cpus memory ivshmem console events
expect_offers "$HVTOP --theme " default dark light high-contrast mono
expect_offers "$HVTOP -" --batch --json --demo --connect --replay
# --replay takes a recording: JSON files and directories.
expect_offers "$HVTOP --replay tests/fixtures/replay/" tests/fixtures/replay/session.json

finish
