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
for t in "$@"; do
	if [ "$t" = "--" ]; then
		mode=script
		continue
	fi
	echo "== $t"
	if [ $mode = bin ]; then
		"$t"
	else
		sh "$t" "$BUILD"
	fi
	if [ $? -eq 0 ]; then
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
