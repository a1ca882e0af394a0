# Sourced by .ci/run: how a suite is judged, and the closing count CI reads. Every judge takes
# the suite's exit status as well as what it printed: a suite that did not build, ran no test,
# or exited non-zero while saying "0 failed" is a failure, never a silent absence.
# tests/integration/ci_cannot_report_green_on_a_broken_suite.sh holds these judges to it with
# fake suites (PWZC_CI_EXTRA, PWZC_CI_SUITES).

PASS=0 FAIL=0 SKIP=0
SUMMARY=()

# is_count VALUE: a non-negative decimal number.
is_count() { [[ ${1:-} =~ ^[0-9]+$ ]]; }

# tally NAME PASS FAIL SKIP: one suite's line, added to the total. A count that is not a
# number is one failure (the suite said something nobody can read).
tally() {
    local name=$1 pass=$2 fail=$3 skip=$4
    is_count "$pass" || { echo "ci: $name: passed count '$pass' is no number"; pass=0 fail=$((fail + 1)); }
    is_count "$skip" || { echo "ci: $name: skipped count '$skip' is no number"; skip=0 fail=$((fail + 1)); }
    is_count "$fail" || { echo "ci: $name: failed count '$fail' is no number"; fail=1; }
    SUMMARY+=("$name: $pass passed, $fail failed, $skip skipped")
    echo "${SUMMARY[-1]}"
    PASS=$((PASS + pass)) FAIL=$((FAIL + fail)) SKIP=$((SKIP + skip))
}

# suite_verdict NAME RC PASS FAIL SKIP: tally, after holding the counts against the exit status
# and against "nothing ran".
suite_verdict() {
    local name=$1 rc=$2 pass=$3 fail=$4 skip=$5
    if [ "$rc" -ne 0 ] && [ "$fail" = 0 ]; then
        echo "ci: $name: exited $rc but counted no failure: counted as one"
        fail=1
    fi
    if [ "$pass" = 0 ] && [ "$fail" = 0 ]; then
        echo "ci: $name: no test passed and none failed: a suite that ran nothing is a failure"
        fail=1
    fi
    tally "$name" "$pass" "$fail" "$skip"
}

# automake_counts LOG: "PASS FAIL SKIP" from the header of automake's test-suite.log (FAIL
# counts ERROR and XPASS too); nothing when the log is missing or has no header.
automake_counts() {
    local log=$1 pass fail error xpass skip
    [ -f "$log" ] || return 1
    # the header's count: the first match (the quoted logs below it may hold "# ..." lines)
    count() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$log" | head -n 1; }
    pass=$(count PASS) fail=$(count FAIL) error=$(count ERROR) xpass=$(count XPASS)
    skip=$(count SKIP)
    is_count "$pass" && is_count "$fail" && is_count "$error" && is_count "$xpass" &&
        is_count "$skip" || return 1
    echo "$pass $((fail + error + xpass)) $skip"
}

# judge_automake NAME RC DIR: an automake `make check` run in DIR. No test-suite.log (the build
# failed before any test) is one failure; so is a run that exited non-zero after its tests.
judge_automake() {
    local name=$1 rc=$2 dir=$3 counts trs
    if ! counts=$(automake_counts "$dir/test-suite.log"); then
        echo "ci: $name: no readable test-suite.log in $dir (exit $rc): the build or the harness failed before the tests"
        tally "$name" 0 1 0
        return
    fi
    for trs in $(cd "$dir" && grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' tests/*/*.trs 2>/dev/null); do
        echo "=== $name: ${trs%.trs}.log"; head -n 40 "$dir/${trs%.trs}.log"
    done
    # shellcheck disable=SC2086  # three words
    suite_verdict "$name" "$rc" $counts
}

# judge_fuzz NAME RC LOG TARGET...: `make fuzz` (tests/fuzz/run-fuzzers.sh) prints per target
# "fuzz-X: N executions in S s, ...: no finding" or "...: FOUND". A target passes only with
# "no finding" and N > 0: a fuzzer that executed nothing proves nothing.
judge_fuzz() {
    local name=$1 rc=$2 log=$3 pass=0 fail=0 target line execs
    shift 3
    for target in "$@"; do
        line=$(grep -E "^$target: " "$log" | tail -n 1)
        execs=$(sed -n "s/^$target: \([0-9]*\) executions.*/\1/p" <<<"$line")
        if [[ $line == *": no finding" ]] && is_count "$execs" && [ "$execs" -gt 0 ]; then
            pass=$((pass + 1))
        else
            echo "ci: $name: $target: ${line:-no line}: not counted as a pass"
            fail=$((fail + 1))
        fi
    done
    suite_verdict "$name" "$rc" "$pass" "$fail" 0
}

# judge_line NAME RC OUT [no-skips]: a suite that ends with its own "NAME: N passed, N failed,
# N skipped". With no-skips, for a suite whose every test has what it needs installed, a skipped
# test counts as a failed one: it did not run, and nothing else would say so.
judge_line() {
    local name=$1 rc=$2 out=$3 policy=${4:-} line fail skip
    line=$(tail -n 1 "$out")
    if [[ $line =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
        fail=${BASH_REMATCH[2]} skip=${BASH_REMATCH[3]}
        if [ "$policy" = no-skips ] && [ "$skip" -gt 0 ]; then
            echo "ci: $name: $skip test(s) skipped where every test must run: counted as failed"
            fail=$((fail + skip)) skip=0
        fi
        suite_verdict "$name" "$rc" "${BASH_REMATCH[1]}" "$fail" "$skip"
    else
        echo "ci: $name: its last line is not a count: '$line' (exit $rc)"
        tally "$name" 0 1 0
    fi
}

# An environment that would make a suite check less than it says is itself a failure: the
# suites then run without it.
check_environment() {
    if [ -n "${PWZC_BLESS:-}" ]; then
        echo "ci: PWZC_BLESS is set: golden tests would rewrite their expectations instead of checking them"
        tally environment 0 1 0
        unset PWZC_BLESS
    fi
}

# The closing line CI reads; the exit status agrees with it.
close_count() {
    printf '%s\n' "${SUMMARY[@]}"
    echo "$PASS passed, $FAIL failed, $SKIP skipped"
    [ "$FAIL" -eq 0 ] && [ "${#SUMMARY[@]}" -gt 0 ]
}
