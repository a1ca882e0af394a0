#!/bin/bash
# Proves: when the producer's node goes away 1.5 s into the stream, probe, negotiate, capture
# and bench each stop at once with exit 8 and say the node went away; probe and negotiate keep
# what they saw (frames before it); capture's file holds the frames taken and ffprobe reads it.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
# The node goes 1.5 s into the stream: probe, left to itself, trusts `works` by then (10 frames
# in 1.5 s) and never sees it go; --frames 0 watches the whole window.
PROBE_ARGS="--frames 0" run_all vanish-mid-stream
expect_codes 8 8 8 8
[ "$(shm_field frames)" -gt 10 ] || fail "probe lost the frames before the node went"
[ "$(json "$T/negotiate.json" "d['result']['frames']")" -gt 10 ] || fail "negotiate lost its frames"
grep -q "went away" "$T/capture.err" || fail "capture: $(cat "$T/capture.err")"
frames=$(json "$T/capture.json" "d['capture']['frames']")
[ "$frames" -gt 10 ] || fail "capture took $frames frames"
[ "$(json "$T/capture.json" "d['capture']['stopped_by']")" = producer ] || fail "stopped_by"
[ "$(file_frames)" = "$frames" ] || fail "the file has $(file_frames) of $frames frames"
grep -q "went away" "$T/bench.err" || fail "bench: $(cat "$T/bench.err")"
