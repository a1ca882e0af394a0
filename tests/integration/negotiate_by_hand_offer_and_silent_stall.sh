#!/bin/bash
# Proves: an offer built by hand (--format/--modifier/--data-types) is sent as given; a
# DMA-BUF-only hand offer to a SHM-only producer fails with exit code 1 and no Format (0.3.x: a
# silent stall with zero param_changed; 1.x: the stream error, after Props and Latency), and a
# plain one works with exit code 0.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc negotiate --emulate wlroots-shm --format BGRx,BGRA --modifier LINEAR --data-types dmabuf --timeout 1 --json
expect_rc 1 "a DMA-BUF-only offer does not work against SHM"
[ "$(json "$T/out" "d['result']['verdict']")" = "$NO_FORMAT_VERDICT" ] || fail "verdict $(json "$T/out" "d['result']['verdict']")"
[ "$(json "$T/out" "d['result']['format_changes']")" = 0 ] || fail "a Format was set"
[ "$(pw_generation)" != 0.3 ] || [ "$(json "$T/out" "d['result']['param_changed']")" = 0 ] || fail "param_changed seen"
json "$T/out" "d['offer']['enum_formats'][0]['props']['modifier']['flags']" | grep -q mandatory ||
    fail "hand-made modifier is not MANDATORY"

run_pwzc negotiate --emulate wlroots-shm --format BGRx --modifier none --data-types memfd --timeout 1 --json
expect_rc 0 "a plain hand offer works"
[ "$(json "$T/out" "d['result']['data_type']")" = MemFd ] || fail "not MemFd"
