#!/bin/sh
# SPDX-License-Identifier: MIT
#
# hvctl config compile/decompile/check/show, end to end:
#   sh tests/integration/config_cli.sh BUILD
# BUILD is the build directory (build, build/san, ...) holding hvctl.
set -u

case ${1:-} in
"") echo "usage: $0 BUILD" >&2; exit 2 ;;
/*) build=$1 ;;
*) build=$(pwd)/$1 ;;
esac
hvctl=$build/hvctl
cd "$(dirname "$0")/../.." || exit 2
[ -x "$hvctl" ] || { echo "config_cli: $hvctl not built" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/config_cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

fails=0
checks=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
ok() {
	checks=$((checks + 1))
}

# expect_status WANT DESCRIPTION -- COMMAND...: run, keep stdout/stderr.
expect_status() {
	want=$1
	what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$what: exit $got, expected $want"
		sed 's/^/  stderr: /' "$tmp/err" | head -5
	else
		ok
	fi
}

lines() {
	wc -l <"$1" | tr -d ' '
}

configs=$(ls configs/*/*.json | grep -v '/board\.json$')
[ -n "$configs" ] || { echo "config_cli: no configs found" >&2; exit 1; }

# 0. A binary whose name is not UTF-8 (as an upstream .cell can be) still
# decompiles to valid UTF-8 JSON, with a warning that it will not compile
# back to the same bytes; a clean config decompiles without one.
mkdir -p "$tmp/badname"
"$hvctl" config compile configs/sim/rtos.json -o "$tmp/badname/ok.cell" 2>/dev/null
cp "$tmp/badname/ok.cell" "$tmp/badname/bad.cell"
# The cell name starts at byte 8 (after signature and revision).
printf '\377\033' | dd of="$tmp/badname/bad.cell" bs=1 seek=9 conv=notrunc 2>/dev/null
expect_status 0 "decompile a binary with a raw-byte name" -- "$hvctl" config decompile "$tmp/badname/bad.cell"
if iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1 && grep -q '"name": "r\\ufffd\\u001bs"' "$tmp/out"; then ok; else
	fail "decompile of a raw-byte name is not valid UTF-8 JSON: $(grep '"name"' "$tmp/out" | head -1)"
fi
if grep -q 'bad.cell: warning: a name is not printable UTF-8' "$tmp/err"; then ok; else
	fail "decompile of a raw-byte name gave no warning: $(cat "$tmp/err")"
fi
expect_status 0 "decompile a clean binary" -- "$hvctl" config decompile "$tmp/badname/ok.cell"
if [ ! -s "$tmp/err" ]; then ok; else fail "decompile of a clean config warned: $(cat "$tmp/err")"; fi

# 1. Compile every shipped config; decompile and compile again: same bytes.
for json in $configs; do
	board=$(basename "$(dirname "$json")")
	name=$(basename "$json" .json)
	mkdir -p "$tmp/$board"
	cell=$tmp/$board/$name.cell
	expect_status 0 "compile $json" -- "$hvctl" config compile "$json" -o "$cell"
	[ -s "$cell" ] || { fail "compile $json wrote nothing"; continue; }
	expect_status 0 "decompile $cell" -- "$hvctl" config decompile "$cell" -o "$tmp/$board/$name.rt.json"
	expect_status 0 "compile $name.rt.json" -- "$hvctl" config compile "$tmp/$board/$name.rt.json" -o "$tmp/$board/$name.rt.cell"
	if cmp -s "$cell" "$tmp/$board/$name.rt.cell"; then ok; else
		fail "$json: decompile -> compile is not byte-identical"
	fi
	# Decompiling to stdout gives the same text as -o.
	"$hvctl" config decompile "$cell" >"$tmp/stdout.json" 2>/dev/null
	if cmp -s "$tmp/stdout.json" "$tmp/$board/$name.rt.json"; then ok; else
		fail "$json: decompile to stdout differs from -o"
	fi
	# The build's own output (make) is the same as ours.
	if [ -f "$build/configs/$board/$name.cell" ]; then
		if cmp -s "$cell" "$build/configs/$board/$name.cell"; then ok; else
			fail "$json: differs from $build/configs/$board/$name.cell"
		fi
	fi
done

# 2. Default output name and -d DIR for several inputs.
cp configs/sim/rtos.json "$tmp/copy.json"
expect_status 0 "compile with default output" -- "$hvctl" config compile "$tmp/copy.json"
[ -s "$tmp/copy.cell" ] && ok || fail "compile IN.json did not write IN.cell"
mkdir "$tmp/outdir"
expect_status 0 "compile -d" -- "$hvctl" config compile -d "$tmp/outdir" configs/sim/rtos.json configs/sim/linux-demo.json
[ -s "$tmp/outdir/rtos.cell" ] && [ -s "$tmp/outdir/linux-demo.cell" ] && ok ||
	fail "compile -d DIR did not write DIR/rtos.cell and DIR/linux-demo.cell"
expect_status 2 "compile -o with two inputs" -- "$hvctl" config compile -o "$tmp/x.cell" configs/sim/rtos.json configs/sim/linux-demo.json
expect_status 2 "compile .cell onto itself" -- "$hvctl" config compile "$tmp/copy.cell"
expect_status 2 "compile a missing file" -- "$hvctl" config compile "$tmp/missing.json" -o "$tmp/m.cell"
[ -e "$tmp/m.cell" ] && fail "a failed compile left an output file" || ok

# 3. check: 0 for the shipped sets, 1 with findings, 2 for bad input.
expect_status 0 "check sim set" -- "$hvctl" config check configs/sim/system.json \
	configs/sim/rtos.json configs/sim/linux-demo.json configs/sim/ivshmem-a.json configs/sim/ivshmem-b.json
grep -qx '0 findings' "$tmp/out" && ok || fail "check sim set: no '0 findings' line"
expect_status 0 "check qemu set" -- "$hvctl" config check configs/qemu/system.json configs/qemu/inmate-demo.json
expect_status 0 "check qemu echo links" -- "$hvctl" config check configs/qemu/system.json \
	configs/qemu/ivshmem-echo.json configs/qemu/net-echo.json
grep -qx '0 findings' "$tmp/out" && ok || fail "check qemu echo links: no '0 findings' line"
# ivshmem-echo and inmate-demo are alternatives for peer 1 of 00:00.0.
expect_status 1 "ivshmem-echo beside inmate-demo" -- "$hvctl" config check configs/qemu/system.json \
	configs/qemu/inmate-demo.json configs/qemu/ivshmem-echo.json
grep -q 'shmem_dev_id 1 is also used by' "$tmp/out" && ok || fail "ivshmem-echo beside inmate-demo: no peer clash reported"
expect_status 0 "check compiled sim set" -- "$hvctl" config check "$tmp/sim/system.cell" "$tmp/sim/rtos.cell" "$tmp/sim/linux-demo.cell"

# Issue 8: a second rtos on another CPU takes the first one's RAM; the
# checker says so (as the hypervisor would refuse it with EBUSY).
sed -e 's/"name": "rtos"/"name": "rtos-copy"/' -e 's/"cpu_set": "1"/"cpu_set": "4"/' \
	configs/sim/rtos.json >"$tmp/copy.json"
expect_status 1 "check a copy of rtos" -- "$hvctl" config check configs/sim/system.json \
	configs/sim/rtos.json "$tmp/copy.json"
grep -qF "$tmp/copy.json: memory_regions[0] (\"ram\", phys 0x7f000000-0x7f0fffff) overlaps configs/sim/rtos.json: memory_regions[0] (\"ram\", phys 0x7f000000-0x7f0fffff): cells may share memory only where both regions are rootshared" "$tmp/out" &&
	ok || { fail "check a copy of rtos: no RAM overlap"; sed 's/^/  out: /' "$tmp/out"; }
# Names that are no text, from a binary another toolchain wrote: check
# reports them, compile refuses them (JSON refuses them at once).
cp "$tmp/sim/rtos.cell" "$tmp/evil.cell"
printf 'ev\033[2Jil\000\000\000\000' | dd of="$tmp/evil.cell" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_status 1 "check an escape in a name" -- "$hvctl" config check configs/sim/system.json "$tmp/evil.cell"
grep -qF "$tmp/evil.cell: name: byte 2 (0x1b) is a control character; names are printable text" "$tmp/out" &&
	ok || fail "check: no finding for a name with ESC"
expect_status 1 "compile an escape in a name" -- "$hvctl" config compile "$tmp/evil.cell" -o "$tmp/evil2.cell"
[ ! -e "$tmp/evil2.cell" ] && grep -q 'name: byte 2 (0x1b) is a control character' "$tmp/err" && ok ||
	fail "compile: a name with ESC was not refused"
# Duplicate keys name both places.
printf '{ "type": "cell", "architecture": "arm64",\n  "name": "rtos", "cpu_set": "1",\n  "name": "evil" }\n' >"$tmp/dup.json"
expect_status 2 "compile a duplicate key" -- "$hvctl" config compile "$tmp/dup.json" -o "$tmp/dup.cell"
grep -qF "$tmp/dup.json:3:3: name: duplicate key \"name\" (first at line 2, column 3); each key may appear once" "$tmp/err" &&
	[ ! -e "$tmp/dup.cell" ] && ok || fail "compile: duplicate key not refused"

fx=tests/fixtures/check
expect_status 1 "check with findings" -- "$hvctl" config check "$fx/base-system.json" "$fx/overlap-phys.json"
if [ "$(lines "$tmp/out")" -eq 2 ] &&
   grep -q '^tests/fixtures/check/overlap-phys.json: memory_regions\[1\] ("ram", phys 0x7f000000-0x7f0fffff) overlaps memory_regions\[0\] ("uart", phys 0x7f080000-0x7f080fff)$' "$tmp/out" &&
   grep -qx '1 finding' "$tmp/out"; then ok; else
	fail "check with findings: unexpected output"; sed 's/^/  out: /' "$tmp/out"
fi
expect_status 1 "check --json with findings" -- "$hvctl" config check --json "$fx/base-system.json" "$fx/cpu-twice-a.json" "$fx/cpu-twice-b.json"
grep -q '"path": "cpu_set"' "$tmp/out" && grep -q '"count": 1' "$tmp/out" && ok ||
	fail "check --json: no cpu_set finding with count 1"
if command -v python3 >/dev/null 2>&1; then
	python3 -m json.tool "$tmp/out" >/dev/null 2>&1 && ok || fail "check --json: not valid JSON"
fi
expect_status 2 "check without arguments" -- "$hvctl" config check
expect_status 2 "check with a cell as system" -- "$hvctl" config check configs/sim/rtos.json
expect_status 2 "check with a system as cell" -- "$hvctl" config check configs/sim/system.json configs/qemu/system.json
expect_status 2 "check with an unreadable cell" -- "$hvctl" config check configs/sim/system.json "$tmp/missing.cell"

# 4. Bad files: exit 2, exactly one line naming the file, nothing on stdout.
head -c 10 "$tmp/sim/rtos.cell" >"$tmp/ten.cell"
head -c 300 "$tmp/sim/rtos.cell" >"$tmp/truncated.cell"
# Revision 12: the v0.12 signature "JHCELL" and revision 12 at offset 6.
{ printf 'JHCELL\014\000'; tail -c +9 "$tmp/sim/rtos.cell"; } >"$tmp/rev12.cell"
# Revision field alone set to 12 with today's signature.
{ head -c 6 "$tmp/sim/rtos.cell"; printf '\014\000'; tail -c +9 "$tmp/sim/rtos.cell"; } >"$tmp/rev12b.cell"
printf '{ "type": "cell", "name": ' >"$tmp/broken.json"
for bad in ten truncated rev12 rev12b; do
	f=$tmp/$bad.cell
	for cmd in "show" "decompile" "check"; do
		expect_status 2 "$cmd $bad.cell" -- "$hvctl" config $cmd "$f"
		if [ "$(lines "$tmp/err")" -eq 1 ] && grep -q "^hvctl: $f: " "$tmp/err" &&
		   [ ! -s "$tmp/out" ]; then ok; else
			fail "$cmd $bad.cell: want one line 'hvctl: $f: ...' on stderr, nothing on stdout"
			sed 's/^/  stderr: /' "$tmp/err"
		fi
	done
done
grep -q 'revision 12' "$tmp/err" && ok || fail "rev12b.cell: message does not name revision 12"
expect_status 2 "show broken JSON" -- "$hvctl" config show "$tmp/broken.json"
[ "$(lines "$tmp/err")" -eq 1 ] && grep -q "$tmp/broken.json" "$tmp/err" && ok ||
	fail "show broken JSON: want one line naming the file"

# 5. show: text and JSON.
expect_status 0 "show rtos" -- "$hvctl" config show configs/sim/rtos.json
for want in 'cell config "rtos", arm64' 'CPUs  *1 (1 CPU)' '0x7f000000-0x7f0fffff' \
	    'read,write,execute,loadable' '00:00.0.*peer 1 of 2' 'INTx 144' 'output of peer 1.*(this peer)'; do
	grep -q "$want" "$tmp/out" && ok || fail "show rtos: no line matching '$want'"
done
# Memory map sorted by physical address: the state table ([2]) before the
# comm region ([1]), which has none and comes last.
state=$(grep -n '0x7faf0000-0x7faf0fff' "$tmp/out" | head -1 | cut -d: -f1)
comm=$(grep -n '(comm)' "$tmp/out" | head -1 | cut -d: -f1)
[ -n "$state" ] && [ -n "$comm" ] && [ "$state" -lt "$comm" ] && ok || fail "show: memory map not sorted by physical address"
# Protocols in the library's words (configs/README.md), as hvtop shows them.
expect_status 0 "show small-cell" -- "$hvctl" config show tests/fixtures/golden/small-cell.json
grep -q 'peer 1 of 2, protocol virtio_back console, INTx 33' "$tmp/out" && ok ||
	fail "show small-cell: protocol not named 'virtio_back console'"
expect_status 0 "show system" -- "$hvctl" config show "$tmp/sim/system.cell"
grep -q 'hypervisor memory  *0x7fc00000-0x7fffffff (4M)' "$tmp/out" && ok || fail "show system: no hypervisor memory line"
expect_status 0 "show --json" -- "$hvctl" config show --json configs/qemu/inmate-demo.json
grep -q '"too_large": false' "$tmp/out" && grep -q '"name": "inmate-demo"' "$tmp/out" && ok ||
	fail "show --json: missing fields"
if command -v python3 >/dev/null 2>&1; then
	python3 -m json.tool "$tmp/out" >/dev/null 2>&1 && ok || fail "show --json: not valid JSON"
fi
# Over the hypervisor's 16 pages: refused at the entry that goes over.
expect_status 2 "show too large" -- "$hvctl" config show "$fx/too-large.json"
grep -q 'too-large.json:140:43: memory_regions\[2043\]: entry 2043 makes the config larger than the 65536 bytes the hypervisor takes' "$tmp/err" && ok ||
	fail "show: no error for a config over 16 pages"
expect_status 2 "compile too large" -- "$hvctl" config compile "$fx/too-large.json" -o "$tmp/big.cell"
[ ! -e "$tmp/big.cell" ] && ok || fail "compile too large: wrote a file"

# 6. Help everywhere, usage errors.
expect_status 0 "--help" -- "$hvctl" --help
grep -q '^Usage: hvctl' "$tmp/out" && ok || fail "--help: no usage on stdout"
expect_status 0 "--version" -- "$hvctl" --version
expect_status 0 "help config" -- "$hvctl" help config
for sub in "" compile decompile check show; do
	expect_status 0 "config $sub --help" -- "$hvctl" config $sub --help
	grep -q '^Usage: hvctl config' "$tmp/out" && ok || fail "config $sub --help: no usage"
done
expect_status 2 "no command" -- "$hvctl"
expect_status 2 "unknown command" -- "$hvctl" frobnicate
expect_status 2 "unknown subcommand" -- "$hvctl" config frobnicate
expect_status 2 "unknown option" -- "$hvctl" config show --bogus configs/sim/rtos.json
[ "$(lines "$tmp/err")" -eq 1 ] && ok || fail "unknown option: want one line"
expect_status 2 "missing option argument" -- "$hvctl" config compile configs/sim/rtos.json -o
# Every command checks its options and operands the same way (one helper):
# a word too many is named, in one line, pointing at the command's --help.
for cmd in "up" "down" "enable" "disable" "config show" "config decompile"; do
	case $cmd in
	disable) extra="x" ;;
	*) extra="configs/sim/system.json x" ;;
	esac
	expect_status 2 "$cmd: extra operand" -- "$hvctl" $cmd $extra
	grep -q "^hvctl: $cmd: unexpected argument 'x' (see 'hvctl $cmd --help')\$" "$tmp/err" &&
		[ "$(lines "$tmp/err")" -eq 1 ] && ok || fail "$cmd: extra operand: $(cat "$tmp/err")"
	expect_status 2 "$cmd: unknown option" -- "$hvctl" $cmd --bogus
	grep -q "^hvctl: $cmd: unknown option '--bogus' (see 'hvctl $cmd --help')\$" "$tmp/err" && ok ||
		fail "$cmd: unknown option: $(cat "$tmp/err")"
	expect_status 0 "$cmd --help" -- "$hvctl" $cmd --help
	grep -q "^Usage: hvctl $cmd" "$tmp/out" && ok || fail "$cmd --help: no usage"
done
# -n is up's: for down it is an unknown option, --dry-run is named.
expect_status 2 "down -n" -- "$hvctl" down -n x
grep -q "unknown option '-n'" "$tmp/err" && ok || fail "down -n: $(cat "$tmp/err")"
expect_status 2 "down --dry-run" -- "$hvctl" down --dry-run x
grep -q "down: --dry-run is an option of 'up'" "$tmp/err" && ok || fail "down --dry-run: $(cat "$tmp/err")"

echo "config_cli: $checks passed, $fails failed"
[ "$fails" -eq 0 ]
