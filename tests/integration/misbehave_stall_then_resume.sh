#!/bin/bash
# Proves: against a producer that sends nothing for 1.5 s while staying in Streaming, then
# goes on, probe says works but names the freeze (longest gap >= 1.2 s, "frames stopped");
# capture does not give up during the gap (its 6 s run ends by duration with frames from after
# it, and the file reads back); bench's frame-interval max shows the gap: all exit 0.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
# The stall ends 1.8 s into the stream: probe watches 6 s, capture and bench take 6 and 5 s of
# frames, so the frames after it arrive inside each window even on a loaded machine (with the
# defaults, 3, 3 and 2 s, bench had 0.2 s to spare).
run_all stall-then-resume 6 6 5
expect_codes 0 0 0 0
[ "$(shm_field verdict)" = works ] || fail "probe: $(shm_field reason)"
shm_field reason | grep -q "frames stopped for" || fail "probe does not name the stall: $(shm_field reason)"
[ "$(json "$T/probe.json" "int(next(o for o in d['offers'] if o['name']=='shm')['longest_gap_ms'])")" -ge 1200 ] ||
    fail "longest gap $(shm_field longest_gap_ms) ms"
[ "$(json "$T/capture.json" "d['capture']['stopped_by']")" = duration ] || fail "capture stopped early"
[ "$(json "$T/capture.json" "d['capture']['frames']")" -ge 30 ] || fail "capture: too few frames"
[ "$(file_frames)" = "$(json "$T/capture.json" "d['capture']['frames']")" ] || fail "frames in the file"
[ "$(json "$T/bench.json" "int(d['frame_interval']['max_ms'])")" -ge 1200 ] ||
    fail "bench's interval max does not show the stall: $(json "$T/bench.json" "d['frame_interval']")"
