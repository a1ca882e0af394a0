#!/bin/bash
# make distcheck, judged: the tarball is made, unpacked, configured, built, its own make check
# runs (the quick subset: tests/Makemodule.am) and passes, and it installs and cleans up. Its
# last line is "distcheck: N passed, N failed, N skipped" for .ci/lib.sh's judge_line: 1 passed
# when make distcheck succeeded and the tarball's test suite ran at least one test and failed
# none, 1 failed otherwise. The exit status agrees.
#   tests/distcheck.sh            from a configured tree (it configures one that is not)
#   tests/distcheck.sh --full     the tarball runs the whole suite (well over ten minutes)
# Extra configure flags for the tarball's build: DISTCHECK_CONFIGURE_FLAGS in the environment.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

flags=${DISTCHECK_CONFIGURE_FLAGS:-}
case ${1:-} in
--full) flags="$flags --disable-quick-check" ;;
"") ;;
*) echo "usage: tests/distcheck.sh [--full]" >&2; echo "distcheck: 0 passed, 1 failed, 0 skipped"; exit 2 ;;
esac

verdict() {
    echo "distcheck: $1 passed, $2 failed, 0 skipped"
    [ "$2" -eq 0 ]
}

if [ ! -f Makefile ]; then
    { [ -x configure ] || autoreconf -fi; } && ./configure >/dev/null ||
        { echo "distcheck: the tree does not configure"; verdict 0 1; exit; }
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# (no colour: the summary is read back below)
make distcheck DISTCHECK_CONFIGURE_FLAGS="$flags" AM_COLOR_TESTS=no 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# The tarball's test-suite summary (automake prints "# PASS:  N" and friends), the last one.
count() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$log" | tail -n 1; }
tests_passed=$(count PASS) fail=$(count FAIL) error=$(count ERROR) xpass=$(count XPASS)
tests_failed=$((${fail:-0} + ${error:-0} + ${xpass:-0}))
if [ "$rc" -ne 0 ]; then
    echo "distcheck: make distcheck exited $rc"
    verdict 0 1
elif ! grep -q "archives ready for distribution" "$log"; then
    echo "distcheck: make distcheck did not say the archive is ready"
    verdict 0 1
elif [ -z "$tests_passed" ] || [ "$tests_passed" -eq 0 ] || [ "$tests_failed" -ne 0 ]; then
    echo "distcheck: the tarball's own make check did not run and pass (passed '${tests_passed:-none}', failed $tests_failed)"
    verdict 0 1
else
    echo "distcheck: the tarball built, and its make check passed $tests_passed tests"
    verdict 1 0
fi
