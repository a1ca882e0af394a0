#!/bin/bash
# Proves: pwzc's replay of a client makes the input port the real client makes. The real
# GStreamer pipewiresrc (gst-launch-1.0 pipewiresrc path=N ! video/x-raw ! fakesink) and pwzc's
# replay of its profile (negotiate --client) are each linked to a fresh emulated producer, and
# the params each one's input port carries as pw-dump shows them (EnumFormat, Buffers, Meta:
# what libpipewire made of what the client sent, e.g. MemFd added to a MemPtr dataType for a
# stream that maps buffers) must be equal, for an SHM producer and a DMA-BUF one. The profile is
# the installed pipewiresrc's version's (lib.sh gst_profile).
. "$TESTS_SRCDIR/lib.sh"
set -e
# Every generation runs it (bootstrap --tests and tests/roots/*.conf install GStreamer): missing
# is a failure, not a skip.
need_gst
start_stack
client=$(gst_profile)

# port_of NODE NAME: waits until a consumer is linked to NODE with its Buffers param set, and
# keeps its port params in $T/NAME.
port_of() {
    local i
    for ((i = 0; i < 200; i++)); do
        pw-dump >"$T/dump.json" 2>/dev/null &&
            "$TESTS_SRCDIR/port-params" "$T/dump.json" "$1" >"$T/$2" && return 0
        sleep 0.05
    done
    cat "$T/$2"
    fail "$2: no consumer linked to node $1 with its Buffers param"
}

# producer PROFILE: a fresh emulated producer; its node id in $NODE, its PID in $EMU.
producer() {
    # A file of its own each time: `>` truncates in the child, after wait_for may have looked.
    STARTS=$((${STARTS:-0} + 1))
    local ready=$T/ready-$1-$STARTS
    "$PWZC" emulate --profile "$1" --json >"$ready" 2>"$T/logs/emulate-$1-$STARTS.log" &
    EMU=$!
    PIDS+=("$EMU")
    wait_for 200 test -s "$ready"
    NODE=$(json "$ready" "d['node_id']")
}

stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }

for profile in gnome-headless gnome-gpu; do
    producer "$profile"
    gst-launch-1.0 -q pipewiresrc path="$NODE" ! video/x-raw ! fakesink \
        >"$T/logs/gst-$profile.log" 2>&1 &
    gst=$!
    PIDS+=("$gst")
    port_of "$NODE" "gst-$profile"
    stop "$gst"
    stop "$EMU"

    producer "$profile"
    "$PWZC" negotiate --node "$NODE" --client "$client" --timeout 10 \
        >"$T/logs/pwzc-$profile.log" 2>&1 &
    replay=$!
    PIDS+=("$replay")
    port_of "$NODE" "pwzc-$profile"
    stop "$replay"
    stop "$EMU"

    diff -u "$T/gst-$profile" "$T/pwzc-$profile" ||
        fail "$profile: the replay of $client makes another input port than gst-launch's pipewiresrc"
    note "$profile: $(grep ^Buffers "$T/gst-$profile")"
done
