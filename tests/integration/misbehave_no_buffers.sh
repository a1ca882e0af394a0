#!/bin/bash
# Proves: against a producer that reaches Streaming and never sends a buffer, probe and
# negotiate say no-frames (exit 1) instead of waiting; capture and bench give up after their
# first-frame timeout with exit 1 and probe's verdict in one line, and capture's output is
# left empty (nothing half-written).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
start_stack
run_all no-buffers
expect_codes 1 1 1 1
[ "$(shm_field verdict)" = no-frames ] || fail "probe: $(shm_field verdict): $(shm_field reason)"
[ "$(json "$T/negotiate.json" "d['result']['verdict']")" = no-frames ] || fail "negotiate"
grep -q "no frame within 3.0 s: probe would say no-frames" "$T/capture.err" ||
    fail "capture: $(cat "$T/capture.err")"
[ "$(wc -l <"$T/capture.err")" = 1 ] || fail "capture's error is not one line"
[ ! -s "$T/out.h264" ] || fail "capture wrote $(stat -c %s "$T/out.h264") bytes without a frame"
grep -q "no frame within" "$T/bench.err" || fail "bench: $(cat "$T/bench.err")"
