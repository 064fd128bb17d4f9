#!/bin/sh
# Run unit test binaries under valgrind memcheck: uninitialised reads and
# leaks fail the suite (ASan does not see the former). The suites that
# drive an hvsim child through 1,000 cycles are left to the ASan build.
#   run-valgrind.sh BUILD test-binary...
set -u
BUILD=$1
shift
export HVCTL_BUILD="$BUILD"
passed=0
failed=0
for t in "$@"; do
	case "$t" in
	*/test_runtime_lifecycle|*/test_hv_socket) continue ;;
	esac
	log="$t.valgrind.log"
	if valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$t" >"$log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "valgrind: $t failed, see $log"
		tail -n 30 "$log"
	fi
done
echo "valgrind: $passed passed, $failed failed"
[ $failed -eq 0 ]
