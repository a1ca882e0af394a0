#!/bin/bash
# Proves: a producer that goes away mid-stream (here an emulator told to stop after 20 frames)
# ends negotiate and probe with the "went away" message and exit code 8 (lost), with the report
# of what happened before printed, not a hang and not a crash.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
start_emulator() {
    # The second emulator must not be taken for ready on the first one's line: the background
    # job's redirection truncates the file only when that job gets to run.
    rm -f "$T/ready"
    "$PWZC" emulate --profile gnome-headless --frames 20 --json >"$T/ready" 2>/dev/null &
    PIDS+=($!)
    wait_for 100 test -s "$T/ready"
    node=$(json "$T/ready" "d['node_id']")
}
start_emulator
run_pwzc negotiate --node "$node" --offer shm --timeout 5 --json
expect_rc 8 "the producer went away"
grep -q "node $node went away" "$T/err" || fail "no 'went away' message: $(cat "$T/err")"
[ "$(json "$T/out" "d['result']['producer_vanished']")" = True ] || fail "not in the report"
[ "$(json "$T/out" "d['result']['frames']")" -gt 0 ] || fail "frames before it went away not counted"

start_emulator
run_pwzc probe --node "$node" --offers shm,memfd --timeout 5
expect_rc 8 "the producer went away during a probe"
grep -q "went away during offer shm" "$T/err" || fail "probe: $(cat "$T/err")"
grep -q "^shm " "$T/out" || fail "probe printed no partial report"
