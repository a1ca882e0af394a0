#!/bin/bash
# Proves: .ci/run cannot go green on a suite that did not run. It runs the real .ci/run on fake
# suites (tests/ci/fake-suites.sh) judged by the real judges: a suite that fails to build, a
# runner that exits non-zero while saying "0 failed", a harness that ran nothing, a fuzzer that
# executes nothing, a line-counted suite that exits non-zero, a skip in a suite where no test
# may skip (sid's real-compositor tests), and PWZC_BLESS=1 in the
# environment each turn it red (non-zero exit, "N failed" with N > 0 on the closing line); one
# suite that really passes keeps it green, so the test can tell the two apart.
. "$TESTS_SRCDIR/lib.sh"
set -e
top=$TESTS_SRCDIR/..

# ci SUITES...: runs .ci/run on those fake suites; $CI_RC, the closing line in $CI_LAST.
ci() {
    local dir
    dir=$(mktemp -d "$T/ci-XXXXXX")
    set +e
    FAKE_DIR=$dir PWZC_CI_EXTRA=$TESTS_SRCDIR/ci/fake-suites.sh PWZC_CI_SUITES="$*" \
        bash "$top/.ci/run" >"$T/ci.out" 2>&1 </dev/null
    CI_RC=$?
    set -e
    CI_LAST=$(tail -n 1 "$T/ci.out")
}

expect_red() {
    local what=$1; shift
    ci "$@"
    [ "$CI_RC" -ne 0 ] || { cat "$T/ci.out"; fail "$what: .ci/run exited 0"; }
    [[ $CI_LAST =~ ^[0-9]+\ passed,\ ([1-9][0-9]*)\ failed, ]] ||
        { cat "$T/ci.out"; fail "$what: closing line '$CI_LAST' counts no failure"; }
    note "$what: red ($CI_LAST)"
}

unset PWZC_BLESS
ci fake_passes
[ "$CI_RC" -eq 0 ] && [ "$CI_LAST" = "2 passed, 0 failed, 0 skipped" ] ||
    { cat "$T/ci.out"; fail "a passing suite: exit $CI_RC, '$CI_LAST'"; }

expect_red "a suite that fails to build" fake_passes fake_build_fails
expect_red "a runner that exits 2 with 0 failed" fake_passes fake_runner_exits_nonzero
expect_red "a harness that ran no test" fake_passes fake_ran_nothing
expect_red "a fuzzer that runs nothing" fake_passes fake_fuzzer_runs_nothing
expect_red "a counted line with exit 1" fake_passes fake_line_exits_nonzero
expect_red "a skip in a suite where none may skip" fake_passes fake_line_skips_where_none_may
grep -q "skipped where every test must run" "$T/ci.out" || fail "the skip counted as failed names no reason"
PWZC_BLESS=1 expect_red "PWZC_BLESS=1 in the environment" fake_passes
grep -q "PWZC_BLESS is set" "$T/ci.out" || fail "the PWZC_BLESS failure names no reason"
