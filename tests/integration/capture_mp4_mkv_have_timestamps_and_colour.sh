#!/bin/bash
# Proves: capture -o NAME.mp4 / NAME.mkv writes a container (through libavformat) around the
# encoder's H.264, every frame in it, timed by the producer's own stamps (the emulator's Header
# meta) rather than the 25 fps ffprobe guesses for a raw stream, and declaring the colour the
# conversion makes (src/convert.c: BT.601 matrix, limited range); .h264 stays raw Annex-B. A
# build without libavformat refuses .mp4 with exit 18 and one line, before creating the file.
# No timing is asserted: the emulator runs at 10 fps, and a producer's timer cannot average
# more than its rate, while the guess would say 25.
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v ffprobe >/dev/null || { echo "ffmpeg not installed"; exit 77; }
if "$PWZC" --version | grep -q "^libavformat: not built in"; then
    run_pwzc capture --sandbox --frames 5 -o "$T/refused.mp4"
    expect_rc 18 "a container without libavformat"
    [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "built without libavformat" "$T/err" ||
        fail "not one line naming libavformat: $(cat "$T/err")"
    [ ! -e "$T/refused.mp4" ] || fail "the refused file was created"
    echo "pwzc built without libavformat: the refusal is right; containers cannot be tested"
    exit 77
fi
FPS=10
FRAMES=30

# probe FILE: ffprobe's view of the stream, KEY=VALUE lines.
probe() {
    ffprobe -v error -count_frames -show_entries \
        format=format_name:stream=codec_name,nb_read_frames,r_frame_rate,color_space,color_range,width,height \
        -of default=noprint_wrappers=1 "$1"
}
field() { sed -n "s/^$1=//p" "$T/probe"; }

for ext in mp4 mkv; do
    run_pwzc capture --sandbox --fps $FPS --size 640x360 --frames $FRAMES --encoder software \
        -o "$T/out.$ext" --json
    expect_rc 0 "capture to .$ext"
    validate pwzc-capture.schema.json "$T/out"
    [ "$(json "$T/out" "d['capture']['timestamps']")" = producer ] ||
        fail ".$ext: timestamps from $(json "$T/out" "d['capture']['timestamps']"), not the producer"
    probe "$T/out.$ext" >"$T/probe"
    case $ext in
    mp4) field format_name | grep -q mp4 || fail ".mp4 is $(field format_name)" ;;
    mkv) field format_name | grep -q matroska || fail ".mkv is $(field format_name)" ;;
    esac
    [ "$(field codec_name)" = h264 ] || fail ".$ext codec $(field codec_name)"
    [ "$(field width)x$(field height)" = 640x360 ] || fail ".$ext size"
    [ "$(field nb_read_frames)" = $FRAMES ] || fail ".$ext holds $(field nb_read_frames) frames"
    [ "$(field r_frame_rate)" != 25/1 ] || fail ".$ext: r_frame_rate is ffprobe's guess, 25/1"
    # Timestamps that only go forward, one per frame.
    ffprobe -v error -select_streams v -show_entries packet=pts -of csv=p=0 "$T/out.$ext" >"$T/pts"
    [ "$(wc -l <"$T/pts")" = $FRAMES ] || fail ".$ext: $(wc -l <"$T/pts") packets"
    sort -n -c -u "$T/pts" || fail ".$ext: timestamps not increasing: $(echo $(cat "$T/pts"))"
    # The rate the file's own timestamps give. Not ffprobe's avg_frame_rate: for Matroska (ms
    # stamps) it is an estimate that gives up, 0/0, when the producer's stamps jitter by a
    # millisecond under load (seen in the sanitizer suite and here: pts 0, 100, 200, 300, 401).
    tb=$(ffprobe -v error -select_streams v -show_entries stream=time_base -of csv=p=0 "$T/out.$ext")
    avg=$(/usr/bin/python3 -c "
import sys
from fractions import Fraction as F
pts = sorted(int(l) for l in open(sys.argv[1]) if l.strip())
print(float((len(pts) - 1) / ((pts[-1] - pts[0]) * F('$tb'))))" "$T/pts")
    /usr/bin/python3 -c "import sys; sys.exit(not 0 < $avg < 20)" ||
        fail ".$ext: $avg fps from its timestamps, for a producer at $FPS fps"
    # src/convert.c (and the CUDA kernel, bit for bit): BT.601 (smpte170m), limited range (tv).
    [ "$(field color_space)" = smpte170m ] || fail ".$ext color_space $(field color_space)"
    [ "$(field color_range)" = tv ] || fail ".$ext color_range $(field color_range)"
done

run_pwzc capture --sandbox --size 320x240 --frames 5 --encoder software -o "$T/out.h264" --json
expect_rc 0 "capture to .h264"
[ "$(json "$T/out" "d['capture']['container']")" = h264 ] || fail ".h264 is not raw"
probe "$T/out.h264" >"$T/probe"
[ "$(field format_name)" = h264 ] || fail ".h264 is $(field format_name), not raw Annex-B"
[ "$(head -c 4 "$T/out.h264" | od -An -tx1 | tr -d ' ')" = 00000001 ] || fail "no start code"

# libavformat is loaded at run time: where the library the build names cannot be loaded (here a
# file of that name that is no ELF object, first on the search path), .mp4 is refused as a build
# without it refuses it, the loader's own words in the line, and --version says so.
soname=$("$PWZC" --version --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["libavformat"]["soname"])')
mkdir -p "$T/badlib"
echo "not a library" >"$T/badlib/$soname"
LD_LIBRARY_PATH=$T/badlib run_pwzc capture --sandbox --frames 5 -o "$T/unloadable.mp4"
expect_rc 18 "a container whose libavformat cannot be loaded"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "libavformat cannot be loaded (.*$soname" "$T/err" ||
    fail "not one line naming the library and why: $(cat "$T/err")"
[ ! -e "$T/unloadable.mp4" ] || fail "the refused file was created"
LD_LIBRARY_PATH=$T/badlib "$PWZC" --version | grep -q "^libavformat: built in, .* cannot be loaded" ||
    fail "--version does not say libavformat cannot be loaded: $(LD_LIBRARY_PATH=$T/badlib "$PWZC" --version)"
