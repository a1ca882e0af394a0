#!/bin/sh
# `make fuzz`: runs each libFuzzer target for SECONDS over a copy of its seed corpus (in the
# build tree, tests/fuzz/run/TARGET/: the source tree is never written), prints for each what it
# ran and found, and fails when any target crashed, leaked, hit UB or timed out.
# usage: run-fuzzers.sh SECONDS SEEDS_DIR RUN_DIR TARGET...   (SEEDS_DIR/NAME for fuzz-NAME)
set -u
seconds=$1 seeds=$2 rundir=$3
shift 3
failed=0

stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }
# The last status line, "#N DONE cov: C ft: F corp: U/Sb ...", or the last one before a crash.
field_of() { grep -E '^#[0-9]+' "$2" | tail -n 1 | sed -n "s/.* $1: \([^ ]*\).*/\1/p"; }

for target in "$@"; do
    name=${target##*/}
    dir=$rundir/$name
    rm -rf "$dir"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp "$seeds/${name#fuzz-}"/* "$dir/corpus/"
    dict=""
    [ -f "$seeds/../$name.dict" ] && dict="-dict=$seeds/../$name.dict"
    # -timeout: a single input that takes 10 s is a hang (an endless pod loop), and a finding.
    start=$(date +%s)
    "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" $dict "$dir/corpus" >"$dir/log" 2>&1
    rc=$?
    elapsed=$(($(date +%s) - start))
    execs=$(stat_of number_of_executed_units "$dir/log")
    [ -n "$execs" ] || execs=$(grep -E '^#[0-9]+' "$dir/log" | tail -n 1 | sed 's/^#\([0-9]*\).*/\1/')
    summary=$(printf '%s: %s executions in %s s, cov %s, ft %s, corpus %s (%s new)' "$name" \
        "${execs:-0}" "$elapsed" "$(field_of cov "$dir/log")" "$(field_of ft "$dir/log")" \
        "$(field_of corp "$dir/log")" "$(stat_of new_units_added "$dir/log")")
    if [ "$rc" -eq 0 ]; then
        echo "$summary: no finding"
        continue
    fi
    failed=1
    echo "$summary: FOUND (exit $rc)"
    grep -E '^(SUMMARY|==[0-9]+==ERROR)|runtime error' "$dir/log" | head -n 3 | sed 's/^/    /'
    for a in "$dir"/artifacts/*; do [ -f "$a" ] && echo "    input: $a"; done
    echo "    log: $dir/log"
done
exit $failed
