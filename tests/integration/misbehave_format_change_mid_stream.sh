#!/bin/bash
# Proves: against a producer that switches from BGRx to RGBx half a second into the stream,
# probe sees a second Format and still streams; capture converts the new layout (it ends on
# RGBx, takes frames after the change, and the frames' stamps decode from the file, so the
# colours were not read in the old order); bench goes on: every command exits 0.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
run_all format-change-mid-stream
expect_codes 0 0 0 0
[ "$(shm_field verdict)" = works ] || fail "probe: $(shm_field reason)"
[ "$(shm_field format_changes)" -ge 2 ] || fail "probe saw $(shm_field format_changes) Format events"
[ "$(json "$T/capture.json" "d['capture']['stream']['format']['format']")" = RGBx ] ||
    fail "capture did not follow to RGBx: $(json "$T/capture.json" "d['capture']['stream']['format']")"
frames=$(json "$T/capture.json" "d['capture']['frames']")
[ "$frames" -ge 40 ] || fail "capture took $frames frames in 3 s (the change stopped it?)"
[ "$(file_frames)" = "$frames" ] || fail "frames in the file"
ffmpeg -v error -i "$T/out.h264" -f rawvideo -pix_fmt gray - |
    "$TESTS_BUILDDIR/tools/read-stamps" 640 360 >"$T/seqs"
[ "$(wc -l <"$T/seqs")" = "$frames" ] || fail "stamps decode from $(wc -l <"$T/seqs") of $frames frames"
if grep -qvx '[0-9][0-9]*' "$T/seqs"; then
    fail "$(grep -cvx '[0-9][0-9]*' "$T/seqs") of $frames frames have no readable stamp"
fi
