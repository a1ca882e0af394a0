#!/bin/bash
# Proves: output goes where the help and pwzc(1) say: -v's timelines go to stderr and leave
# stdout the report (probe and probe --clients); `pwzc --version --json` is JSON that matches
# data/pwzc-version.schema.json and says what the text says, with and without a daemon; and on a
# terminal whose TERM is dumb nothing pwzc writes holds an escape code (a TERM=xterm run on the
# same terminal shows the check would see them).
. "$TESTS_SRCDIR/lib.sh"
set -e

version_json() {
    run_pwzc --version --json
    expect_rc 0 "--version --json"
    validate pwzc-version.schema.json "$T/out"
    run_pwzc --version
    cp "$T/out" "$T/version.txt"
    run_pwzc --version --json
    grep -qx "compiled with libpipewire $(json "$T/out" "d['pipewire']['compiled']"), linked with $(json "$T/out" "d['pipewire']['linked']")" "$T/version.txt" ||
        fail "--version --json and --version disagree: $(cat "$T/version.txt")"
}
version_json
[ "$(json "$T/out" "d['pipewire']['daemon']")" = None ] || fail "a daemon with none running"
grep -qF "none reachable ($(json "$T/out" "d['pipewire']['daemon_error']"))" "$T/version.txt" ||
    fail "daemon_error is not what the text says: $(cat "$T/version.txt")"

start_stack
version_json
daemon=$(pw-cli info 0 | sed -n 's/.*version: "\(.*\)"/\1/p')
[ "$(json "$T/out" "d['pipewire']['daemon']")" = "$daemon" ] || fail "daemon is not $daemon"

run_pwzc -v probe --emulate gnome-headless --offers shm,dmabuf-linear --timeout 1
expect_rc 0 "probe -v"
grep -q "^timeline of shm:" "$T/err" || fail "probe -v: no timeline on stderr: $(cat "$T/err")"
! grep -q "timeline of\| ms  state " "$T/out" || fail "probe -v: a timeline on stdout"
grep -q "^recommended: shm" "$T/out" || fail "probe -v: the report left stdout"

run_pwzc -v probe --emulate gnome-headless --clients obs --timeout 1
grep -q "^timeline of obs, step 1:" "$T/err" || fail "--clients -v: no timeline on stderr: $(cat "$T/err")"
! grep -q "timeline of\| ms  state " "$T/out" || fail "--clients -v: a timeline on stdout"
grep -q "^obs " "$T/out" || fail "--clients -v: the table left stdout"

# script(1) gives pwzc a terminal on both stdout and stderr: colour and progress would be on.
command -v script >/dev/null || { echo "no script(1) to make a terminal"; exit 77; }
on_terminal() {
    env -u NO_COLOR TERM="$1" script -qec "'$PWZC' probe --emulate gnome-headless --offers shm,dmabuf-linear --timeout 1" \
        /dev/null >"$T/terminal.$1" </dev/null
}
on_terminal xterm
grep -q $'\033' "$T/terminal.xterm" || fail "no escape code even for TERM=xterm: the check sees nothing"
on_terminal dumb
grep -q "^recommended: shm" "$T/terminal.dumb" || fail "TERM=dumb: no report: $(cat "$T/terminal.dumb")"
! grep -q $'\033' "$T/terminal.dumb" || fail "TERM=dumb: escape codes: $(cat -v "$T/terminal.dumb")"
