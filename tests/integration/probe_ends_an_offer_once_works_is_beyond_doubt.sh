#!/bin/bash
# Proves: probe ends an offer that works once 10 frames came in 1.5 s of steady Streaming (its
# timeline says so), long before a 20 s window; --frames 0 watches the whole window; --frames N
# asks for N frames; nothing that has spoken otherwise (a drop from Streaming, a dropped
# buffer, a consumer holding buffers) ends early. Counts frames, never times the run: a window
# watched to its end has as many frames as the producer's rate gives it.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack

# probe_shm WINDOW_S ARGS...: one shm offer against a 30 fps gnome-headless producer, -v (each
# offer's timeline in the report).
probe_shm() {
    local window=$1; shift
    set +e
    "$PWZC" -v probe --emulate gnome-headless --offers shm --timeout "$window" "$@" --json \
        >"$T/out" 2>"$T/err"
    RC=$?
    set -e
    expect_rc 0 "shm works"
    expect_offer verdict shm works
}
ended_early() {
    json "$T/out" "any('works beyond doubt' in e.get('text', '') for o in d['offers'] for e in o['timeline'])" |
        grep -q True
}

# A 20 s window holds 600 frames at 30 fps; trusted after 1.5 s, the offer has about 45.
probe_shm 20
ended_early || fail "no note in the timeline that works ended the window"
frames=$(offer frames shm)
[ "$frames" -ge 10 ] && [ "$frames" -lt 300 ] || fail "$frames frames in a window that ended early"

# --frames 0: the window is watched to its end, all 3 s of it.
probe_shm 3 --frames 0
! ended_early || fail "--frames 0 ended the window early"
[ "$(offer frames shm)" -ge 60 ] || fail "$(offer frames shm) frames in a 3 s window watched whole"

# --frames 200: the 1.5 s no longer suffice; it ends at the 200th frame (about 6.7 s).
probe_shm 20 --frames 200
ended_early || fail "--frames 200 never ended the window"
frames=$(offer frames shm)
[ "$frames" -ge 200 ] && [ "$frames" -lt 400 ] || fail "--frames 200: $frames frames"

# A consumer that holds buffers might starve the producer later: the window is watched whole.
probe_shm 3 --hold 2
! ended_early || fail "a consumer holding buffers ended the window early"

# Every other buffer broken: the drops are counted over the whole window, never cut short.
run_pwzc -v probe --emulate hostile-zero-stride --offers shm --timeout 3 --json
expect_rc 0 "shm works, its bad buffers dropped"
! ended_early || fail "an offer with dropped buffers ended its window early"

# A producer that flaps (first drop after 0.8 s) is never trusted early: still flapping.
run_pwzc -v probe --emulate flapping --offers shm --timeout 6 --json
expect_offer verdict shm flapping
! ended_early || fail "a flapping producer's offer ended early as works"

run_pwzc probe --emulate gnome-headless --frames many
expect_rc 2 "a bad --frames is a usage error"
grep -q -- "--frames" "$T/err" || fail "the error does not name --frames: $(cat "$T/err")"
run_pwzc probe --emulate gnome-headless --frames 100001
expect_rc 2 "--frames past its range is a usage error"
grep -q -- "--frames '100001' is out of range (0 to 100000)" "$T/err" || fail "range: $(cat "$T/err")"
