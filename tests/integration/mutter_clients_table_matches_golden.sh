#!/bin/bash
# Proves: against a real GNOME Mutter 43 headless (SHM only, MemFd, no modifier property), the
# client table reads as recorded in tests/expected/clients/mutter (times and counts masked):
# gnome-remote-desktop, GStreamer and webrtc stream SHM; gpu-screen-recorder (DMA-BUF only)
# stalls with "no more input formats" and its restart changes nothing; OBS and Sunshine, whose
# Buffers ask MemPtr|DmaBuf, fail buffer allocation against Mutter's MemFd. Whether the
# emulated producer that models this Mutter gives the same verdicts is
# emulator_agrees_with_real_mutter.sh's to say (every client and every offer, a difference
# probed once more on both sides: a loaded machine sometimes holds a real Mutter's frames up,
# and a single "no-frames" there is not the profile's fault).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
have_mutter || { echo "mutter or foot not installed (tests/peers/deps.sh)"; exit 77; }
start_stack
start_mutter

# probe_clients [--json]: probe --mutter --clients. Mutter 43.8 was seen once (host suite, under
# load) killed by SIGSEGV during the gst-pipewiresrc-1.6 replay, after that client paused and
# resumed its stream as real pipewiresrc 1.6 does once it streams; pwzc named it and stopped
# (exit 8). Not reproduced in 30 such sessions nor 6 whole client runs since. A Mutter that
# died so is started again, once, with a note and its log kept: the table is about the
# clients, and a second death is a failure.
probe_clients() {
    run_pwzc probe --mutter --clients "$@"
    [ "$RC" = 8 ] && ! kill -0 "$MUTTER_PID" 2>/dev/null && [ -z "${MUTTER_RESTARTED:-}" ] ||
        return 0
    wait "$MUTTER_PID" 2>/dev/null || note "Mutter exited with status $?: $(head -n 1 "$T/err")"
    cp "$T/logs/mutter.log" "$T/logs/mutter-died.log"
    MUTTER_RESTARTED=1
    rm -f "$XDG_RUNTIME_DIR/wayland-0" "$XDG_RUNTIME_DIR/wayland-0.lock" # the dead one's
    start_mutter
    run_pwzc probe --mutter --clients "$@"
}
probe_clients --json
expect_rc 1 "some clients do not work against headless Mutter"
validate pwzc-probe.schema.json "$T/out"
probe_clients
expect_rc 1 "text report"
client_golden mutter
