# Fake suites for tests/integration/ci_cannot_report_green_on_a_broken_suite.sh, sourced by
# .ci/run through PWZC_CI_EXTRA. Each runs something real (make, the real run-fuzzers.sh) in a
# directory of its own and is judged by the same .ci/lib.sh judge as the real suite it stands for.
: "${FAKE_DIR:?}"

# fake_log DIR PASS FAIL: an automake test-suite.log header.
fake_log() {
    printf '# TOTAL: %d\n# PASS:  %d\n# SKIP:  0\n# XFAIL: 0\n# FAIL:  %d\n# XPASS: 0\n# ERROR: 0\n' \
        $(($2 + $3)) "$2" "$3" >"$1/test-suite.log"
}

fake_passes() {
    local d=$FAKE_DIR/passes
    mkdir -p "$d" && fake_log "$d" 2 0
    judge_automake fake-passes 0 "$d"
}

# `make check` stops at a compile error: no test-suite.log.
fake_build_fails() {
    local d=$FAKE_DIR/build rc=0
    mkdir -p "$d"
    printf 'int main(void) { return }\n' >"$d/t.c"
    printf 'check:\n\t$(CC) -o t t.c\n' >"$d/Makefile"
    make -s -C "$d" check >/dev/null 2>&1 || rc=$?
    judge_automake fake-build "$rc" "$d"
}

# The runner says "0 failed" but exits 2.
fake_runner_exits_nonzero() {
    local d=$FAKE_DIR/runner
    mkdir -p "$d" && fake_log "$d" 3 0
    judge_automake fake-runner 2 "$d"
}

# A harness that ran no test at all, and says so with exit 0.
fake_ran_nothing() {
    local d=$FAKE_DIR/nothing
    mkdir -p "$d" && fake_log "$d" 0 0
    judge_automake fake-nothing 0 "$d"
}

# A "fuzzer" that exits 0 at once, through the real run-fuzzers.sh.
fake_fuzzer_runs_nothing() {
    local d=$FAKE_DIR/fuzz rc=0
    mkdir -p "$d/seeds/pod" "$d/bin"
    echo seed >"$d/seeds/pod/seed"
    printf '#!/bin/sh\nexit 0\n' >"$d/bin/fuzz-pod"
    chmod +x "$d/bin/fuzz-pod"
    sh tests/fuzz/run-fuzzers.sh 1 "$d/seeds" "$d/run" "$d/bin/fuzz-pod" >"$d/log" 2>&1 || rc=$?
    judge_fuzz fake-fuzz "$rc" "$d/log" fuzz-pod
}

# A suite judged by its last line that says all passed but exits 1 (debian13's shape).
fake_line_exits_nonzero() {
    local d=$FAKE_DIR/line
    mkdir -p "$d"
    echo "fake-line: 5 passed, 0 failed, 0 skipped" >"$d/out"
    judge_line fake-line 1 "$d/out"
}

# A root suite whose tests all have what they need (sid's), yet one was skipped.
fake_line_skips_where_none_may() {
    local d=$FAKE_DIR/skips
    mkdir -p "$d"
    echo "fake-skips: 5 passed, 0 failed, 1 skipped" >"$d/out"
    judge_line fake-skips 0 "$d/out" no-skips
}
