#!/bin/sh
# Run every test binary and script test; print one summary line
# "N passed, N failed" and exit non-zero if anything failed.
#   run-tests.sh BUILD test-binary... -- script-test...
set -u
BUILD=$1
shift
passed=0
failed=0
failures=""
mode=bin
export HVCTL_BUILD="$BUILD"
# A hung suite fails on its own instead of eating CI's whole time budget.
LIMIT=${TEST_TIMEOUT:-600}
for t in "$@"; do
	if [ "$t" = "--" ]; then
		mode=script
		continue
	fi
	echo "== $t"
	if [ $mode = bin ]; then
		timeout -k 10 "$LIMIT" "$t"
	else
		timeout -k 10 "$LIMIT" sh "$t" "$BUILD"
	fi
	rc=$?
	[ $rc -eq 124 ] && echo "$t: timed out after $LIMIT s"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $t"
	fi
done
echo
[ -n "$failures" ] && echo "failed suites:$failures"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
