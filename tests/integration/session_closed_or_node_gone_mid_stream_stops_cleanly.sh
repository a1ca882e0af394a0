#!/bin/bash
# Proves: when the compositor closes the session mid-stream (Session.Closed, from a fake
# Mutter and a fake portal whose streams are real emulated producers), negotiate stops at once
# with exit code 14 and the report of what happened so far; when the producer's node disappears
# under a real Mutter (it is killed), the run ends with exit code 8 and says so.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
set -e
fake() {
    /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" "$@" >"$T/fake.out" 2>"$T/logs/fake.log" &
    PIDS+=($!)
    wait_for 100 grep -q ready "$T/fake.out"
}
start_stack
for api in mutter portal; do
    fake --api "$api" --close-after 1
    start=$(date +%s%N)
    # the fake Mutter has no DisplayConfig: record a virtual monitor
    source=; [ "$api" = mutter ] && source=--virtual
    run_pwzc negotiate --"$api" $source --offer shm --timeout 10 --json
    expect_rc 14 "$api: closed"
    grep -q "closed the screencast session" "$T/err" || fail "$api: $(cat "$T/err")"
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 5000 ] || fail "$api: did not stop at once"
    [ "$(json "$T/out" "d['result']['frames']")" -gt 0 ] || fail "$api: frames before the close lost"
    stop_all
    start_stack
done

have_mutter || { echo "mutter or foot not installed (tests/peers/deps.sh): the node-gone half is skipped"; exit 77; }
start_mutter
mutter_pid=${PIDS[-2]}
( sleep 1.5; kill -KILL "$mutter_pid" ) &
run_pwzc negotiate --mutter --offer shm --timeout 10
expect_rc 8 "the node went away"
grep -q "went away" "$T/err" || fail "$(cat "$T/err")"
