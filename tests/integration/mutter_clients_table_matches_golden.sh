#!/bin/bash
# Proves: against a real GNOME Mutter 43 headless (SHM only, MemFd, no modifier property), the
# client table reads as recorded in tests/expected/clients/mutter (times and counts masked):
# gnome-remote-desktop, GStreamer and webrtc stream SHM; gpu-screen-recorder (DMA-BUF only)
# stalls with "no more input formats" and its restart changes nothing; OBS and Sunshine, whose
# Buffers ask MemPtr|DmaBuf, fail buffer allocation against Mutter's MemFd. The same verdicts
# as against the emulated producer that models this Mutter: the emulator is checked against the
# real one. gnome-headless models Mutter 43 (and 48 agrees); Mutter 50 announces its maxFramerate
# from 0/1, which on PipeWire 1.6 decides Sunshine's step: gnome-headless-50 models it.
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
cp "$T/out" "$T/mutter.json"
client_rows "$T/out" X | cut -d' ' -f2- >"$T/real"
run_pwzc probe --mutter --clients
expect_rc 1 "text report"
client_golden mutter
[ "${PWZC_BLESS:-}" = 1 ] && exit 0
model=gnome-headless
[ "$(mutter --version | sed -n 's/^mutter \([0-9]*\)\..*/\1/p')" -lt 50 ] || model=gnome-headless-50
run_pwzc probe --emulate "$model" --clients --json
client_rows "$T/out" X | cut -d' ' -f2- >"$T/emulated"
diff -u "$T/real" "$T/emulated" || fail "the $model emulator and real Mutter disagree"
