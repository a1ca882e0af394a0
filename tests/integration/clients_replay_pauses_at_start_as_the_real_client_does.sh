#!/bin/bash
# Proves: a client's stream, once it streams, is paused and resumed by the real GStreamer
# pipewiresrc exactly when pwzc's replay of its profile (lib.sh gst_profile) does it: pipewiresrc
# since 1.1.83 deactivates its stream as soon as it streams and activates it again
# (on-start = pause-resume); 0.3.65's does not (on-start = keep).
# Read from each client's own libpipewire (PIPEWIRE_DEBUG=pw.stream:4): its stream's state
# changes and its pw_stream_set_active() calls, for 2 s from its first Streaming, before it is
# stopped. What the producer sees of that pause is also shown (the emulator, run without --json,
# says its stream's state changes on stderr) but not held equal: whether a producer sees Paused
# when its consumer pauses is the daemon's timing, for the real client (which resumes within a
# millisecond) and for the replay (which holds its pause until its own stream is Paused, 200 ms
# at most) alike: under load in the forky root, each was seen with and without it.
. "$TESTS_SRCDIR/lib.sh"
set -e
need_gst
start_stack
client=$(gst_profile)

# producer NAME: a fresh emulated SHM producer; its node id in $NODE, its PID in $EMU, what it
# says in $T/logs/emulate-NAME.log.
producer() {
    "$PWZC" emulate --profile gnome-headless >"$T/ready-$1" 2>"$T/logs/emulate-$1.log" &
    EMU=$!
    PIDS+=("$EMU")
    wait_for 200 grep -q "node [0-9]* ready" "$T/ready-$1"
    NODE=$(sed -n 's/.*node \([0-9]*\) ready.*/\1/p' "$T/ready-$1")
}

# seen NAME: 2 s after the client's stream first streamed, what the client's own stream did
# from then on ($T/own-NAME: "active:0", "active:1", "paused -> streaming", one a line) and what
# the producer saw ($T/seen-NAME).
seen() {
    wait_for 400 grep -q "update state from [a-z]* -> streaming" "$T/logs/$1.log"
    sleep 2
    sed -n '/update state from [a-z]* -> streaming/,$p' "$T/logs/$1.log" |
        grep -o "active:[01]\|update state from [a-z]* -> [a-z]*" |
        sed 's/^update state from //' >"$T/own-$1"
    sed -n '/-> streaming/,$p' "$T/logs/emulate-$1.log" | grep -o "stream [a-z]* -> [a-z]*" \
        >"$T/seen-$1" || true
}

# paused_and_resumed NAME: "pause-resume" when the client, once streaming, deactivated its
# stream and activated it again; "keep" otherwise.
paused_and_resumed() {
    if paste -sd' ' "$T/own-$1" | grep -q "active:0.* active:1"; then echo pause-resume; else
        echo keep
    fi
}

stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }

producer gst
PIPEWIRE_DEBUG=pw.stream:4 gst-launch-1.0 -q pipewiresrc path="$NODE" ! video/x-raw ! fakesink \
    >"$T/logs/gst.log" 2>&1 &
gst=$!
PIDS+=("$gst")
seen gst
stop "$gst"
stop "$EMU"

producer replay
PIPEWIRE_DEBUG=pw.stream:4 "$PWZC" negotiate --node "$NODE" --client "$client" --timeout 10 \
    >"$T/logs/replay.log" 2>&1 &
replay=$!
PIDS+=("$replay")
seen replay
stop "$replay"
stop "$EMU"

real=$(paused_and_resumed gst)
ours=$(paused_and_resumed replay)
note "gst-launch's stream: $(paste -sd, "$T/own-gst"); its producer saw: $(paste -sd, "$T/seen-gst")"
note "the replay of $client: $(paste -sd, "$T/own-replay"); its producer saw: $(paste -sd, "$T/seen-replay")"
[ -s "$T/own-gst" ] && [ -s "$T/own-replay" ] ||
    fail "a client's libpipewire said nothing of its stream (PIPEWIRE_DEBUG=pw.stream:4)"
want=keep
grep -q "^on-start = pause-resume" "$PWZC_DATADIR/clients/$client.client" && want=pause-resume
[ "$real" = "$want" ] ||
    fail "$client says on-start = $want, but the real pipewiresrc's stream did $real"
[ "$ours" = "$real" ] ||
    fail "the real pipewiresrc's stream did $real once it streamed, $client's replay did $ours"
