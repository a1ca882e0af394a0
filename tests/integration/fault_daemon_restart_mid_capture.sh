#!/bin/bash
# Proves: when the PipeWire daemon is killed and started again in the middle of a capture,
# capture without --reconnect stops at once with exit 8 and "the PipeWire daemon went away",
# and the file it wrote is read back by ffprobe with every frame it took; with --reconnect it
# waits for the daemon, gets a producer again, and goes on into the same file (exit 0, one
# reconnection counted, frames from before and after, the file reads back whole).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"

# wait_exit PID SECONDS: waits for PID to end, at most SECONDS, and sets RC to its exit code. One
# still running then is stopped (TERM, then KILL) and the test fails: it never hangs the suite.
wait_exit() {
    local pid=$1 limit=$2 i
    for ((i = 0; i < limit * 20; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        fail "pwzc capture still running $limit s after the daemon restart"
    fi
    set +e; wait "$pid"; RC=$?; set -e
}

# has_frames FILE N: ffprobe reads at least N frames from FILE (a capture still being written).
has_frames() {
    local n
    n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
        -of csv=p=0 "$1" 2>/dev/null) || return 1
    [ "$n" -ge "$2" ] 2>/dev/null
}

set -e
need_ffprobe
start_stack
# start_stack started dbus, pipewire, wireplumber, in that order.
PW=1 WP=2

# restart_daemon NOTICED...: kills this test's PipeWire and WirePlumber, waits until the command
# NOTICED says the capture has seen them go, then starts them again.
restart_daemon() {
    kill -KILL "${PIDS[$PW]}" "${PIDS[$WP]}"
    wait "${PIDS[$PW]}" "${PIDS[$WP]}" 2>/dev/null || true
    rm -f "$XDG_RUNTIME_DIR"/pipewire-0 "$XDG_RUNTIME_DIR"/pipewire-0.lock
    wait_for 1200 "$@"
    pipewire >"$T/logs/pipewire-2.log" 2>&1 &
    PIDS[$PW]=$!
    wait_for 200 test -S "$T/run/pipewire-0"
    wireplumber >"$T/logs/wireplumber-2.log" 2>&1 &
    PIDS[$WP]=$!
}

# written NAME: the bytes a running capture has written so far: they go into a temporary file
# beside $T/NAME.h264 (pwzc-capture(1), -o) until the capture ends.
written() { find "$T" -maxdepth 1 -name ".$1.h264.*" -printf '%s\n' | head -n 1; }
temporary_has_frames() {
    local f
    f=$(find "$T" -maxdepth 1 -name ".$1.h264.*" | head -n 1)
    [ -n "$f" ] && has_frames "$f" "$2"
}

# capture_in_background NAME ARGS...: starts a capture into $T/NAME.h264, and waits until its
# temporary file holds 15 frames (however long a loaded machine takes to write them).
capture_in_background() {
    local name=$1; shift
    "$PWZC" capture --emulate gnome-headless --encoder software -o "$T/$name.h264" --json "$@" \
        >"$T/$name.json" 2>"$T/$name.err" &
    CAPTURE=$!
    PIDS+=("$CAPTURE")
    wait_for 1200 temporary_has_frames "$name" 15
}

# The capture without --reconnect has noticed once it has ended.
capture_in_background plain --duration 60
restart_daemon eval '! kill -0 "$CAPTURE"'
wait_exit "$CAPTURE" 20
[ "$RC" = 8 ] || fail "without --reconnect: exit $RC ($(cat "$T/plain.err"))"
grep -q "the PipeWire daemon went away" "$T/plain.err" || fail "$(cat "$T/plain.err")"
frames=$(json "$T/plain.json" "d['capture']['frames']")
n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
    -of csv=p=0 "$T/plain.h264")
[ "$frames" -gt 10 ] && [ "$n" = "$frames" ] || fail "the file holds $n of $frames frames"

# The one with --reconnect says so on stderr, and waits for the daemon.
capture_in_background again --duration 10 --reconnect=30
before=$(written again)
restart_daemon grep -q "the PipeWire daemon went away after" "$T/again.err"
wait_exit "$CAPTURE" 60
[ "$RC" = 0 ] || fail "with --reconnect: exit $RC ($(cat "$T/again.err"))"
grep -q "reconnected after" "$T/again.err" || fail "no word of the reconnection: $(cat "$T/again.err")"
[ "$(json "$T/again.json" "d['capture']['reconnects']")" = 1 ] || fail "reconnects"
[ "$(json "$T/again.json" "d['capture']['stopped_by']")" = duration ] || fail "stopped_by"
[ "$(stat -c %s "$T/again.h264")" -gt "$before" ] || fail "nothing written after the restart"
frames=$(json "$T/again.json" "d['capture']['frames']")
n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
    -of csv=p=0 "$T/again.h264")
[ "$n" = "$frames" ] || fail "the file holds $n of $frames frames"
