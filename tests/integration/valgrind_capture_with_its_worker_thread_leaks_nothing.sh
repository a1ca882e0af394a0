#!/bin/bash
# Proves: capture with its encoding thread runs clean under valgrind's memcheck: no invalid read
# or write and no definite or indirect leak, from an unthrottled producer (so the queue between
# the loop and the worker fills and frames are dropped) into an MP4 (the muxer written from the
# worker), with the worker's last frames finished before the file is closed.
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
# An ASan binary cannot run under valgrind (both want to own the heap and the shadow memory);
# the sanitizer build runs the capture tests with ASan instead.
sanitizers=$(pwzc_sanitizers)
if [ -n "$sanitizers" ]; then
    echo "skipped: $PWZC is built with sanitizers ($sanitizers), which valgrind cannot run"
    exit 77
fi
out=$T/vg.h264
"$PWZC" --version | grep -q "^libavformat: built in (" && out=$T/vg.mp4
start_stack
vg_capture() {
    set +e
    valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect --trace-children=no "$PWZC" capture --emulate gnome-headless \
        --size 640x360 --fps 0 --frames 30 --encoder software -o "$1" --json >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}
vg_capture "$out"
# FFmpeg's libavcodec brings libjxl's libhwy, whose 1.0.x executes RDTSCP as it loads (Debian 12)
# whatever the CPU advertises; valgrind decodes it only where CPUID advertises it, which some
# virtual machines' CPUs do not. That is valgrind's limit, not pwzc's: the muxer is then checked
# where valgrind can run it (the forky root), and the capture itself still here, into raw H.264.
if [ "$RC" = 132 ] && grep -q "Illegal opcode" "$T/err" && grep -q "libhwy" "$T/err"; then
    grep -qw rdtscp /proc/cpuinfo && fail "valgrind cannot run libhwy though this CPU has RDTSCP"
    echo "valgrind cannot run FFmpeg's libhwy here (RDTSCP, not advertised by this CPU): the capture is checked into raw H.264"
    out=$T/vg.h264
    vg_capture "$out"
fi
[ "$RC" -ne 99 ] || { cat "$T/err"; fail "memcheck errors in capture"; }
expect_rc 0 "capture under valgrind"
[ "$(json "$T/out" "d['capture']['encoded_frames']")" = 30 ] || fail "not 30 frames encoded"
[ "$(json "$T/out" "d['capture']['queue']['depth']")" -ge 1 ] || fail "no worker ran"
