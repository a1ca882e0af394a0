#!/bin/bash
# Proves: when the compositor closes the screencast session in the middle of a capture (a fake
# Mutter and a fake portal whose streams are real emulated producers send Session.Closed 4 s
# after Start), capture stops at once with exit 14 and says so (long before its 60 s of frames),
# and the file holds every frame taken (ffprobe reads it).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
for api in mutter portal; do
    # Emptied first: the mutter fake's "ready" must not pass for the portal one's.
    : >"$T/fake.out"
    /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" --api "$api" --close-after 4 \
        >"$T/fake.out" 2>"$T/logs/fake-$api.log" &
    fake=$!
    wait_for 400 grep -q ready "$T/fake.out"
    source=; [ "$api" = mutter ] && source=--virtual
    run_timed 45 capture --"$api" $source --duration 60 --encoder software -o "$T/out.h264" --json
    expect_rc 14 "$api: the session closed"
    grep -q "closed the screencast session" "$T/err" || fail "$api: $(cat "$T/err")"
    frames=$(json "$T/out" "d['capture']['frames']")
    [ "$frames" -gt 10 ] || fail "$api: $frames frames"
    [ "$(file_frames)" = "$frames" ] || fail "$api: the file holds $(file_frames) of $frames"
    kill "$fake"; wait "$fake" 2>/dev/null || true
done
