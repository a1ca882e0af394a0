#!/bin/bash
# Proves: a capture that fails before its first frame leaves an existing output file byte for
# byte as it was, with no temporary file left beside it: no daemon (4), a node that does not
# exist (5), an encoder this machine does not have (16, and no 0-frame summary), no frame at
# all (1). A capture that gets its frames replaces the file with a valid H.264 stream whose
# frames ffprobe counts, again leaving nothing else in the directory.
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v ffprobe >/dev/null || { echo "ffmpeg not installed"; exit 77; }
mkdir "$T/dir"
keep=$T/dir/keep.h264
printf 'a recording someone cares about\n' >"$keep"
cp "$keep" "$T/original"

untouched() {
    cmp -s "$T/original" "$keep" || fail "$1: keep.h264 changed ($(wc -c <"$keep") bytes)"
    [ "$(ls -A "$T/dir")" = keep.h264 ] || fail "$1: left behind: $(ls -A "$T/dir" | tr '\n' ' ')"
}

# No start_stack: there is no daemon to connect to.
run_pwzc capture --node 42 -o "$keep"
expect_rc 4 "no daemon"
untouched "no daemon"

run_pwzc capture --sandbox --node 999999 -o "$keep"
expect_rc 5 "no such node"
untouched "no such node"

if [ ! -e /dev/nvidia0 ]; then
    run_pwzc capture --sandbox --encoder nvenc --frames 5 -o "$keep"
    expect_rc 16 "nvenc without NVIDIA"
    untouched "nvenc without NVIDIA"
    [ ! -s "$T/out" ] || fail "nvenc without NVIDIA printed a summary: $(cat "$T/out")"
fi

run_pwzc capture --sandbox --emulate no-buffers --timeout 1 -o "$keep"
expect_rc 1 "no frame"
untouched "no frame"

run_pwzc capture --sandbox --frames 10 --size 320x240 --encoder software -o "$keep"
expect_rc 0 "a capture that works"
n=$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$keep")
[ "$n" = 10 ] || fail "the new keep.h264 holds $n frames, not 10"
[ "$(ls -A "$T/dir")" = keep.h264 ] || fail "left behind: $(ls -A "$T/dir" | tr '\n' ' ')"
