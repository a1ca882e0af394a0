#!/bin/bash
# Proves: against a producer that changes size half a second into the stream (1280x720 ->
# 1024x576), probe and negotiate still say works, capture follows the new Format (the encoder
# restarts with an IDR: one reconfiguration, and the file holds frames of both sizes, which
# ffprobe reads), and bench goes on through it: every command exits 0.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
run_all resize-mid-stream
expect_codes 0 0 0 0
[ "$(shm_field verdict)" = works ] || fail "probe: $(shm_field reason)"
[ "$(json "$T/capture.json" "d['capture']['reconfigurations']")" -ge 1 ] || fail "no reconfiguration"
[ "$(json "$T/capture.json" "d['capture']['size']")" = 1024x576 ] || fail "capture did not end at 1024x576"
sizes=$(ffprobe -v error -show_frames -select_streams v:0 -show_entries frame=width,height \
    -of csv=p=0 "$T/out.h264" | sort -u | tr '\n' ' ')
[ "$sizes" = "1024,576 1280,720 " ] || fail "sizes in the file: $sizes"
[ "$(file_frames)" = "$(json "$T/capture.json" "d['capture']['frames']")" ] || fail "frames in the file"
