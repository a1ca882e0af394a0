#!/bin/bash
# Proves: when the producer changes size mid-stream (a new Format), capture reconfigures and
# goes on: it reports one reconfiguration, the file decodes at both sizes, frames of the new
# size start with a keyframe, and no frame is lost in the switch beyond what it reported.
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v ffprobe >/dev/null || { echo "ffmpeg not installed"; exit 77; }
start_stack
printf '[producer]\nsize = 640x360\nresize = 320x240\nresize-after = 0.7\n[format]\nformats = BGRx\n' \
    >"$T/resize.profile"
run_pwzc capture --emulate "$T/resize.profile" --frames 60 --encoder software -o "$T/out.h264" --json
expect_rc 0 "capture across a resize"
[ "$(json "$T/out" "d['capture']['reconfigurations']")" = 1 ] || fail "reconfigurations"
[ "$(json "$T/out" "d['capture']['size']")" = 320x240 ] || fail "final size"
ffprobe -v error -show_entries frame=width,height,key_frame -of csv=p=0 "$T/out.h264" >"$T/frames"
grep -q "^1,640,360" "$T/frames" || fail "no keyframe at 640x360"
grep -q "^1,320,240" "$T/frames" || fail "the new size does not start with a keyframe: $(uniq -c "$T/frames")"
[ "$(grep -c ',640,360$' "$T/frames")" -gt 0 ] && [ "$(grep -c ',320,240$' "$T/frames")" -gt 0 ] ||
    fail "not both sizes"
[ "$(wc -l <"$T/frames")" = 60 ] || fail "$(wc -l <"$T/frames") frames decoded"
