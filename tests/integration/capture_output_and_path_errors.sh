#!/bin/bash
# Proves: capture's own errors each get one line and their exit code: an output path that
# cannot be written fails before connecting (15, even with no daemon); a full disk (/dev/full)
# stops the capture with ENOSPC named (15); no frame within the timeout says which verdict probe
# would give (1); a path or encoder this machine cannot run is refused with the reason (16);
# `-o -` writes nothing but the H.264 stream to stdout; and a reader that goes away (SIGPIPE)
# is a closed output (15), said in one line, not a death by signal.
. "$TESTS_SRCDIR/lib.sh"
set -e
one_line() {
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "$1: stderr is not one line"; }
    grep -q -- "$2" "$T/err" || { cat "$T/err"; fail "$1: stderr does not name '$2'"; }
}
run_pwzc capture --emulate gnome-headless -o /nonexistent/dir/out.h264
expect_rc 15 "unwritable output, no daemon"
one_line "unwritable" "cannot write /nonexistent/dir/out.h264"
run_pwzc capture --emulate gnome-headless
expect_rc 2 "no -o"
start_stack
run_pwzc capture --emulate gnome-headless --encoder software -o /dev/full --frames 100
expect_rc 15 "disk full"
grep -q "writing /dev/full: No space left on device" "$T/err" || fail "$(cat "$T/err")"
run_pwzc capture --emulate dmabuf-only --timeout 1.5 -o "$T/none.h264"
expect_rc 1 "no frames"
grep -q "no frame within 1.5 s: probe would say $NO_FORMAT_VERDICT" "$T/err" || fail "$(cat "$T/err")"
names_link_error <"$T/err" || fail "the link error is not named: $(cat "$T/err")"
if ! "$PWZC" --version | grep -q "EGL: built in" || [ ! -e /dev/nvidia0 ]; then
    run_pwzc capture --emulate gnome-headless --path zerocopy -o "$T/z.h264"
    expect_rc 16 "zerocopy without a GPU"
    one_line "zerocopy" "--path zerocopy cannot run here"
    run_pwzc capture --emulate gnome-headless --encoder nvenc -o "$T/n.h264" --frames 5
    expect_rc 16 "nvenc without a GPU"
    one_line "nvenc" "no encoder"
fi
set +e
"$PWZC" capture --emulate gnome-headless --encoder software -o - --duration 10 2>"$T/err" |
    head -c 2000 >/dev/null
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 15 ] || { cat "$T/err"; fail "a closed pipe gave exit $rc, expected 15"; }
grep -q "Broken pipe" "$T/err" || fail "the closed pipe is not named: $(cat "$T/err")"
command -v ffprobe >/dev/null || { echo "ffmpeg not installed: the -o - half is skipped"; exit 77; }
"$PWZC" capture --emulate gnome-headless --size 320x240 --frames 15 --encoder software -o - \
    >"$T/stdout.h264" 2>"$T/err"
n=$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$T/stdout.h264")
[ "$n" = 15 ] || fail "stdout held $n frames"
grep -q "pwzc capture: 15 frames" "$T/err" || fail "the summary did not go to stderr"
