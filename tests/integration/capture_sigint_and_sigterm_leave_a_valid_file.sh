#!/bin/bash
# Proves: SIGINT (and SIGTERM) in the middle of an open-ended capture stops taking frames,
# flushes the encoder and closes the file: capture exits 0, says it was stopped by a signal (in
# JSON and in the text summary), and ffprobe reads every frame it reported.
. "$TESTS_SRCDIR/lib.sh"

# has_frames FILE N: ffprobe reads at least N frames from FILE (a capture still being written).
has_frames() {
    local n
    n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
        -of csv=p=0 "$1" 2>/dev/null) || return 1
    [ "$n" -ge "$2" ] 2>/dev/null
}

# temporary_has_frames NAME N: the temporary file of the capture into $T/NAME.h264 holds N frames.
temporary_has_frames() {
    local f
    f=$(find "$T" -maxdepth 1 -name ".$1.h264.*" | head -n 1)
    [ -n "$f" ] && has_frames "$f" "$2"
}

set -e
command -v ffprobe >/dev/null || { echo "ffmpeg not installed"; exit 77; }
start_stack
for sig in INT TERM; do
    "$PWZC" capture --emulate wlroots-shm --size 640x360 --encoder software -o "$T/$sig.h264" \
        --json >"$T/out" 2>"$T/err" &
    pid=$!
    PIDS+=("$pid")
    # The signal comes once frames are in the file, however long that takes, not after a fixed 2 s.
    # a running capture writes into a temporary file beside its output (pwzc-capture(1), -o)
    wait_for 1200 temporary_has_frames "$sig" 10
    kill -"$sig" "$pid"
    # Bounded: a capture that ignores the signal fails the test instead of hanging it.
    for ((i = 0; i < 600; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && fail "SIG$sig: capture still running 30 s after the signal"
    set +e; wait "$pid"; rc=$?; set -e
    [ "$rc" -eq 0 ] || { cat "$T/err"; fail "SIG$sig: exit $rc"; }
    [ "$(json "$T/out" "d['capture']['stopped_by']")" = signal ] || fail "SIG$sig: not said"
    frames=$(json "$T/out" "d['capture']['frames']")
    [ "$frames" -gt 5 ] || fail "SIG$sig: only $frames frames"
    n=$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$T/$sig.h264")
    [ "$n" = "$frames" ] || fail "SIG$sig: file has $n frames, capture said $frames"
done

# The text summary says it too, as pwzc-capture(1) promises. Frames are in the file once its
# temporary file beside it holds bytes.
"$PWZC" capture --emulate wlroots-shm --size 640x360 --encoder software -o "$T/text.h264" \
    >"$T/out" 2>"$T/err" &
pid=$!
wait_for 1200 sh -c "find '$T' -maxdepth 1 -name '.text.h264.*' -size +0 | grep -q ."
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -eq 0 ] || { cat "$T/err"; fail "text: exit $rc"; }
grep -q "^  stopped   by a signal (SIGINT or SIGTERM)$" "$T/out" || fail "text: $(cat "$T/out")"
[ -s "$T/text.h264" ] || fail "text: no file"
