#!/bin/sh
# valgrind-summary.sh LOGDIR: what memcheck said over every pwzc run of `make check-valgrind`.
# Fails when any run had an error or a definite or indirect leak; prints those runs' reports.
# A log with no summary is a forked child that exec'd (the emulator, the sandbox daemons:
# valgrind stops tracing there) or a run killed outright: counted, not judged.
dir=$1
runs=0 bad=0 cut=0
for log in "$dir"/pwzc.*.log; do
    [ -e "$log" ] || continue
    runs=$((runs + 1))
    summary=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        cut=$((cut + 1))
    elif [ "$summary" -gt 0 ]; then
        bad=$((bad + 1))
        echo "=== $log"
        head -n 60 "$log"
    fi
done
echo "valgrind: $runs pwzc runs under memcheck, $bad with errors or leaks, $cut without a summary (exec'd children, kills)"
[ "$runs" -gt 0 ] && [ "$bad" -eq 0 ]
