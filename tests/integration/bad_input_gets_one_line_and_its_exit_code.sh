#!/bin/bash
# Proves: each kind of bad input gets one clear line on stderr naming the thing, and its own
# exit code (man pwzc: EXIT STATUS), quickly and without a crash: unknown or malformed profile
# (3), unknown offer or option (2), a node id that does not exist (5), no daemon (4), an --fd
# that is not a socket or a --remote that does not exist (4), a node that is not a video source
# (5).
. "$TESTS_SRCDIR/lib.sh"
set -e

one_line() {
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "$1: stderr is not one line"; }
    grep -q -- "$2" "$T/err" || { cat "$T/err"; fail "$1: stderr does not name '$2'"; }
}

# Before any daemon exists.
run_pwzc probe --node 42
expect_rc 4 "no daemon"
one_line "no daemon" "cannot connect to PipeWire"
run_pwzc --fd 0 probe --node 42 </dev/null
expect_rc 4 "--fd not a socket"
one_line "--fd" "not a socket"
run_pwzc probe --emulate no-such-compositor
expect_rc 3 "unknown profile"
one_line "unknown profile" "unknown profile 'no-such-compositor'"
printf '[producer]\nsize = 1280x720\n[format]\nformats = BGRx\nmodifers = LINEAR\n' >"$T/broken.profile"
run_pwzc probe --emulate "$T/broken.profile"
expect_rc 3 "malformed profile"
one_line "malformed profile" "broken.profile:5: unknown key 'modifers'"
run_pwzc probe --node 1 --offers shm,warp-drive
expect_rc 2 "unknown offer"
one_line "unknown offer" "unknown offer 'warp-drive'"
run_pwzc probe --frobnicate
expect_rc 2 "unknown option"
one_line "unknown option" "frobnicate"
run_pwzc negotiate --node 1 --format BGRx --modifier LINEAR,banana
expect_rc 2 "bad modifier"
one_line "bad modifier" "modifier"

start_stack
run_pwzc --remote no-such-remote probe --node 1
expect_rc 4 "unknown remote"
one_line "unknown remote" "remote no-such-remote"
start=$(date +%s%N)
run_pwzc probe --node 4242 --timeout 1
expect_rc 5 "no such node"
one_line "no such node" "node 4242 does not exist"
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 5000 ] || fail "a missing node took too long"
# Node 0 is the core, node-ish but no video source: the daemon's own objects are refused.
dummy=$(pw-cli ls Node | sed -n 's/^\s*id \([0-9]*\), type PipeWire:Interface:Node.*/\1/p' | head -1)
if [ -n "$dummy" ]; then
    run_pwzc probe --node "$dummy" --timeout 1
    expect_rc 5 "not a video source"
    one_line "not a video source" "not a video source"
fi
