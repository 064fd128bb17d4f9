#!/bin/sh
# Every header must compile on its own (include what it uses, guard itself).
set -eu
cd "$(dirname "$0")/.."
CC=${CC:-gcc}
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in $(git ls-files --cached --others --exclude-standard '*.h' 2>/dev/null || find . -name '*.h'); do
	case "$h" in
	driver/*) continue ;;	# kernel headers: checked by the Kbuild build
	esac
	extra=""
	cc=$CC
	case "$h" in
	hypervisor/arch/arm64/*)
		# The EL2 port's headers are checked with the cross compiler.
		cc=${CROSS_COMPILE:-aarch64-linux-gnu-}gcc
		command -v "$cc" >/dev/null 2>&1 || continue
		extra="-ffreestanding -Ihypervisor/include -Ihypervisor/arch/arm64/include" ;;
	hypervisor/*) extra="-ffreestanding -Ihypervisor/include -Ihypervisor/arch/sim/include" ;;
	tui/*) extra="-Itui" ;;
	tests/*) extra="-Ihypervisor/include -Ihypervisor/arch/sim/include -Ilibhvctl/src -Itests/unit -Itui" ;;
	esac
	n=$((n + 1))
	printf '#include "%s"\n#include "%s"\n' "$PWD/$h" "$PWD/$h" > "$tmp/t.c"
	if ! $cc -std=gnu11 -Wall -Wextra -Werror -Wmissing-prototypes \
		-Wstrict-prototypes -D_GNU_SOURCE -Iinclude -Ilibhvctl/include \
		-Ilibhvctl/src $extra -fsyntax-only "$tmp/t.c"; then
		echo "check-headers: $h does not compile on its own" >&2
		fail=1
	fi
done
# The public library headers are plain ISO C11 (no GNU extensions needed).
for h in libhvctl/include/hvctl/*.h; do
	[ -e "$h" ] || continue
	printf '#include "%s"\nint main(void) { return 0; }\n' "$PWD/$h" > "$tmp/p.c"
	$CC -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -Ilibhvctl/include \
		-fsyntax-only "$tmp/p.c" || { echo "check-headers: $h is not ISO C11-clean" >&2; fail=1; }
done
[ $fail -eq 0 ] && echo "check-headers: $n headers compile on their own"
exit $fail
