#!/bin/bash
# Proves: capture from the emulator through the CPU path with the software encoder writes an
# H.264 stream that ffprobe reads as h264 at the right size with the right frame count, and
# decoding it gives back the emulator's sequence numbers in order, with no frame lost or
# duplicated beyond what capture itself reported (lost in transit, or dropped while the encoder
# was behind). The summary matches its JSON schema.
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v ffprobe >/dev/null || { echo "ffmpeg not installed"; exit 77; }
start_stack
run_pwzc capture --emulate gnome-headless --size 640x360 --frames 90 --path shm-cpu \
    --encoder software -o "$T/out.h264" --json
expect_rc 0 "capture"
validate pwzc-capture.schema.json "$T/out"
c() { json "$T/out" "d['capture']$1"; }
[ "$(c "['frames']")" = 90 ] || fail "frames $(c "['frames']")"
[ "$(c "['encoder']")" = openh264 ] || fail "encoder $(c "['encoder']")"
[ "$(c "['path']")" = shm-cpu ] || fail "path $(c "['path']")"
[ "$(c "['stopped_by']")" = frames ] || fail "stopped by $(c "['stopped_by']")"
probe=$(ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,nb_read_frames \
    -of default=noprint_wrappers=1 "$T/out.h264")
echo "$probe" | grep -qx "codec_name=h264" || fail "not h264: $probe"
echo "$probe" | grep -qx "width=640" || fail "width: $probe"
echo "$probe" | grep -qx "height=360" || fail "height: $probe"
echo "$probe" | grep -qx "nb_read_frames=90" || fail "frame count: $probe"
ffmpeg -v error -i "$T/out.h264" -f rawvideo -pix_fmt gray - |
    "$TESTS_BUILDDIR/tools/read-stamps" 640 360 >"$T/seqs"
[ "$(wc -l <"$T/seqs")" = 90 ] || fail "decoded $(wc -l <"$T/seqs") frames"
grep -q '?' "$T/seqs" && fail "a frame without a readable stamp"
sort -n -c "$T/seqs" || fail "sequence numbers out of order"
[ "$(sort -n -u "$T/seqs" | wc -l)" = 90 ] || fail "a frame was duplicated"
span=$(( $(tail -n 1 "$T/seqs") - $(head -n 1 "$T/seqs") + 1 ))
lost=$(c "['stream']['stamps']['lost']")
dropped=$(c "['queue']['dropped']")
[ $((span - 90)) -eq $((lost + dropped)) ] ||
    fail "file misses $((span - 90)) frames, capture reported $lost lost and $dropped dropped"
