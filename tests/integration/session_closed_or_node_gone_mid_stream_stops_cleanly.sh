#!/bin/bash
# Proves: when the compositor closes the session mid-stream (Session.Closed, from a fake
# Mutter and a fake portal whose streams are real emulated producers), negotiate stops at once
# with exit code 14 and the report of what happened so far; when the producer's node disappears
# under a real Mutter (it is killed), the run ends with exit code 8 and says so.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"

# consumer_running: pwzc's shm consumer node is in the graph and running (linked to the
# producer, frames can flow), as pw-dump shows it.
consumer_running() {
    pw-dump 2>/dev/null | /usr/bin/python3 -c '
import json, sys
sys.exit(not any(o.get("type", "").endswith(":Node") and (o.get("info") or {}).get("state") == "running"
                 and o["info"].get("props", {}).get("node.name") == "pwzc-shm" for o in json.load(sys.stdin)))'
}

set -e
fake() {
    # Emptied first: a "ready" left by the previous fake must not pass for this one's.
    : >"$T/fake.out"
    /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" "$@" >"$T/fake.out" 2>"$T/logs/fake.log" &
    PIDS+=($!)
    wait_for 400 grep -q ready "$T/fake.out"
}
start_stack
for api in mutter portal; do
    # Closed 4 s after Start: time for frames first, even on a loaded machine.
    fake --api "$api" --close-after 4
    start=$(date +%s%N)
    # the fake Mutter has no DisplayConfig: record a virtual monitor
    source=; [ "$api" = mutter ] && source=--virtual
    # A negotiate that missed the close would watch for all of its 60 s.
    run_pwzc negotiate --"$api" $source --offer shm --timeout 60 --json
    expect_rc 14 "$api: closed"
    grep -q "closed the screencast session" "$T/err" || fail "$api: $(cat "$T/err")"
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 30000 ] || fail "$api: did not stop at once"
    [ "$(json "$T/out" "d['result']['frames']")" -gt 0 ] || fail "$api: frames before the close lost"
    stop_all
    start_stack
done

have_mutter || { echo "mutter or foot not installed (tests/peers/deps.sh): the node-gone half is skipped"; exit 77; }
start_mutter
mutter_pid=${PIDS[-2]}
# Mutter is killed once pwzc's consumer is running, not after a fixed 1.5 s.
"$PWZC" negotiate --mutter --offer shm --timeout 60 >"$T/out" 2>"$T/err" &
neg=$!
PIDS+=("$neg")
wait_for 600 consumer_running
kill -KILL "$mutter_pid"
for ((i = 0; i < 600; i++)); do kill -0 "$neg" 2>/dev/null || break; sleep 0.05; done
kill -0 "$neg" 2>/dev/null && fail "negotiate still running 30 s after Mutter was killed"
set +e; wait "$neg"; RC=$?; set -e
expect_rc 8 "the node went away"
grep -q "went away" "$T/err" || fail "$(cat "$T/err")"
