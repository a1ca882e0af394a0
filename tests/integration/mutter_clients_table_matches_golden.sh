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
run_pwzc probe --mutter --clients --json
expect_rc 1 "some clients do not work against headless Mutter"
validate pwzc-probe.schema.json "$T/out"
run_pwzc probe --mutter --clients
expect_rc 1 "text report"
client_golden mutter
