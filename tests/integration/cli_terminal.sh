#!/bin/sh
# SPDX-License-Identifier: MIT
# Bytes from a cell reach a terminal neutralised (issue 8, finding 4):
# through a pty (script), `hvctl console` shows no raw ESC, BEL, CSI or C1
# for a guest that prints them, and `cell list`, `cell stats` and error
# messages none for a cell named with them (such a name can come from an
# upstream .cell on a board: here a sysfs tree as upstream's driver
# presents it). --raw, and output into a pipe, pass the bytes unchanged.
. "$(dirname "$0")/lifecycle-lib.inc"

ESC=$(printf '\033')
BEL=$(printf '\007')
CSI8=$(printf '\233')

# pty OUTFILE ARGS...: hvctl with stdout and stderr on a terminal.
pty() {
	out=$1
	shift
	script -qec "$HVCTL $*" /dev/null </dev/null >"$out" 2>&1
}

# no_controls FILE WHAT: none of ESC, BEL, C1 CSI in FILE.
no_controls() {
	if LC_ALL=C grep -q "[$ESC$BEL$CSI8]" "$1"; then
		fail "$2: raw control bytes reached the terminal"
		od -c "$1" | head -20 >&2
	else
		pass
	fi
}

has_controls() {
	if LC_ALL=C grep -q "$ESC" "$1"; then
		pass
	else
		fail "$2: ESC expected (raw output)"
	fi
}

# --- a guest that prints escapes: OSC 52 (clipboard), clear screen,
# colour, a C1 CSI byte and BEL.
guest=$TMP/evil.guest
{
	echo '#!hvsim-guest'
	printf 'print A%s]52;c;ZXZpbA==%sB%s[2J%s[31mC%s1mD%sE\n' \
		"$ESC" "$BEL" "$ESC" "$ESC" "$CSI8" "$BEL"
	echo 'print done'
} >"$guest"

start_hvsim
run 0 enable "$CONFIGS/system.json"
run 0 cell create "$CONFIGS/rtos.json"
run 0 cell load rtos "$guest"
run 0 cell start rtos
i=0
until "$HVCTL" console 2>/dev/null | grep -q done; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.05
done

pty "$TMP/con" console
no_controls "$TMP/con" "console on a terminal"
expect_in "$TMP/con" "AB" "console on a terminal"
expect_in "$TMP/con" "C?1mDE" "console on a terminal"
pty "$TMP/conraw" console --raw
has_controls "$TMP/conraw" "console --raw"
# Into a pipe nothing is changed either.
run 0 console
has_controls "$OUT" "console into a pipe"

# --- a cell named with escapes, as upstream's driver shows it.
tree=$TMP/sysfs
cp -R "$ROOT/tests/fixtures/sysfs/upstream-3cells" "$tree"
printf 'evil%s]52;c;ZXZpbA==%s%s[2J\377\n' "$ESC" "$BEL" "$ESC" >"$tree/cells/1/name"

pty "$TMP/list" -c "jailhouse:$tree" cell list
no_controls "$TMP/list" "cell list on a terminal"
expect_in "$TMP/list" "evil??" "cell list on a terminal"
pty "$TMP/stats" -c "jailhouse:$tree" cell stats -i 0
no_controls "$TMP/stats" "cell stats on a terminal"
expect_in "$TMP/stats" "evil??" "cell stats on a terminal"
pty "$TMP/err" -c "jailhouse:$tree" cell stats "'x${ESC}[2Jy'"
no_controls "$TMP/err" "an error message on a terminal"
expect_in "$TMP/err" "x?y" "an error message on a terminal"
# JSON and Prometheus escape it whatever the output is.
run 0 -c "jailhouse:$tree" cell list --json
no_controls "$OUT" "cell list --json"
expect_in "$OUT" 'evil\u001b]52' "cell list --json"
run 0 -c "jailhouse:$tree" cell stats -i 0 --prometheus
no_controls "$OUT" "cell stats --prometheus"
# ... and valid UTF-8 (a byte that is none, \377, becomes U+FFFD).
utf8() {
	if python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$1" 2>/dev/null; then
		pass
	else
		fail "$2: not valid UTF-8 JSON"
	fi
}
run 0 -c "jailhouse:$tree" cell list --json
utf8 "$OUT" "cell list --json"
"$BUILD/hvtop" -c "jailhouse:$tree" -b -n 1 --json >"$TMP/hvtop.json" 2>/dev/null
utf8 "$TMP/hvtop.json" "hvtop -b --json"
no_controls "$TMP/hvtop.json" "hvtop -b --json"
run 0 -c "jailhouse:$tree" cell stats -i 0 --prometheus
if python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$OUT" 2>/dev/null &&
   LC_ALL=C grep -q 'cell="evil.*\]52;c;ZXZpbA==' "$OUT"; then
	pass
else
	fail "cell stats --prometheus: label not escaped to valid UTF-8"
fi
"$HVCTL" -c "jailhouse:$tree" cell list >"$TMP/pipe"
has_controls "$TMP/pipe" "cell list into a pipe"

finish
