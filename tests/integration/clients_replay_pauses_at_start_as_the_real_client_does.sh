#!/bin/bash
# Proves: what the producer sees of a client's stream once it streams is the same for the real
# GStreamer pipewiresrc and pwzc's replay of its profile (lib.sh gst_profile): pipewiresrc since
# 1.1.83 pauses its stream as soon as it streams and resumes it (on-start = pause-resume), so an
# emulated producer sees Streaming -> Paused -> Streaming; 0.3.65's does not (on-start = keep).
# The emulator, run without --json, says each of its stream's state changes on stderr; what it
# said in the 2 s after it first streamed, before the consumer is stopped, must be equal.
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

# seen NAME: the producer's state changes from its first Streaming on, for 2 s, one a line.
seen() {
    wait_for 200 grep -q -- "-> streaming" "$T/logs/emulate-$1.log"
    sleep 2
    sed -n '/-> streaming/,$p' "$T/logs/emulate-$1.log" | grep -o "stream [a-z]* -> [a-z]*" \
        >"$T/seen-$1"
}

stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }

producer gst
gst-launch-1.0 -q pipewiresrc path="$NODE" ! video/x-raw ! fakesink >"$T/logs/gst.log" 2>&1 &
gst=$!
PIDS+=("$gst")
seen gst
stop "$gst"
stop "$EMU"

producer replay
"$PWZC" negotiate --node "$NODE" --client "$client" --timeout 10 >"$T/logs/replay.log" 2>&1 &
replay=$!
PIDS+=("$replay")
seen replay
stop "$replay"
stop "$EMU"

note "gst-launch: $(paste -sd, "$T/seen-gst"); the replay of $client: $(paste -sd, "$T/seen-replay")"
diff -u "$T/seen-gst" "$T/seen-replay" ||
    fail "the producer saw $client's replay do otherwise than gst-launch's pipewiresrc"
want=keep
grep -q "^on-start = pause-resume" "$PWZC_DATADIR/clients/$client.client" && want=pause-resume
if [ "$want" = pause-resume ]; then
    grep -qx "stream streaming -> paused" "$T/seen-gst" ||
        fail "$client says on-start = pause-resume, but the real pipewiresrc did not pause"
else
    ! grep -q "streaming -> paused" "$T/seen-gst" ||
        fail "$client says on-start = keep, but the real pipewiresrc paused once it streamed"
fi
