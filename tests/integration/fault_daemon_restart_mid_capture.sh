#!/bin/bash
# Proves: when the PipeWire daemon is killed and started again in the middle of a capture,
# capture without --reconnect stops at once with exit 8 and "the PipeWire daemon went away",
# and the file it wrote is read back by ffprobe with every frame it took; with --reconnect it
# waits for the daemon, gets a producer again, and goes on into the same file (exit 0, one
# reconnection counted, frames from before and after, the file reads back whole).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
# start_stack started dbus, pipewire, wireplumber, in that order.
PW=1 WP=2

# restart_daemon: kills this test's PipeWire and WirePlumber, then starts them again.
restart_daemon() {
    kill -KILL "${PIDS[$PW]}" "${PIDS[$WP]}"
    wait "${PIDS[$PW]}" "${PIDS[$WP]}" 2>/dev/null || true
    rm -f "$XDG_RUNTIME_DIR"/pipewire-0 "$XDG_RUNTIME_DIR"/pipewire-0.lock
    sleep 0.5
    pipewire >"$T/logs/pipewire-2.log" 2>&1 &
    PIDS[$PW]=$!
    wait_for 200 test -S "$T/run/pipewire-0"
    wireplumber >"$T/logs/wireplumber-2.log" 2>&1 &
    PIDS[$WP]=$!
}

# written NAME: the bytes a running capture has written so far: they go into a temporary file
# beside $T/NAME.h264 (pwzc-capture(1), -o) until the capture ends.
written() { find "$T" -maxdepth 1 -name ".$1.h264.*" -printf '%s\n' | head -n 1; }

# capture_in_background NAME ARGS...: starts a capture into $T/NAME.h264, waits for bytes.
capture_in_background() {
    local name=$1; shift
    "$PWZC" capture --emulate gnome-headless --encoder software -o "$T/$name.h264" --json "$@" \
        >"$T/$name.json" 2>"$T/$name.err" &
    CAPTURE=$!
    wait_for 200 sh -c "find '$T' -maxdepth 1 -name '.$name.h264.*' -size +0 | grep -q ."
    sleep 1
}

capture_in_background plain --duration 20
restart_daemon
set +e; timeout 20 tail --pid="$CAPTURE" -f /dev/null; wait "$CAPTURE"; rc=$?; set -e
[ "$rc" = 8 ] || fail "without --reconnect: exit $rc ($(cat "$T/plain.err"))"
grep -q "the PipeWire daemon went away" "$T/plain.err" || fail "$(cat "$T/plain.err")"
frames=$(json "$T/plain.json" "d['capture']['frames']")
n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
    -of csv=p=0 "$T/plain.h264")
[ "$frames" -gt 10 ] && [ "$n" = "$frames" ] || fail "the file holds $n of $frames frames"

capture_in_background again --duration 6 --reconnect=15
before=$(written again)
restart_daemon
set +e; timeout 40 tail --pid="$CAPTURE" -f /dev/null; wait "$CAPTURE"; rc=$?; set -e
[ "$rc" = 0 ] || fail "with --reconnect: exit $rc ($(cat "$T/again.err"))"
grep -q "reconnected after" "$T/again.err" || fail "no word of the reconnection: $(cat "$T/again.err")"
[ "$(json "$T/again.json" "d['capture']['reconnects']")" = 1 ] || fail "reconnects"
[ "$(json "$T/again.json" "d['capture']['stopped_by']")" = duration ] || fail "stopped_by"
[ "$(stat -c %s "$T/again.h264")" -gt "$before" ] || fail "nothing written after the restart"
frames=$(json "$T/again.json" "d['capture']['frames']")
n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
    -of csv=p=0 "$T/again.h264")
[ "$n" = "$frames" ] || fail "the file holds $n of $frames frames"
