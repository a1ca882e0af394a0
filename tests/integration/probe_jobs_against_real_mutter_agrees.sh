#!/bin/bash
# Proves: against a real GNOME Mutter headless, probe --jobs opens a screencast session for each
# offer (and each client) at once, each session's D-Bus signals reaching its own thread, and comes
# to the verdicts the one-at-a-time probe comes to, offer by offer and client by client; Mutter is
# left standing (a probe after it still streams). What it saves in time is measured in
# bench/probe-speed.sh, not here.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
set -e
have_mutter || peer_missing "mutter (tests/peers/deps.sh)"
start_stack
start_mutter

verdicts() {
    json "$1" "'\\n'.join(o['name'] + ' ' + o['verdict'] for o in d.get('offers', d.get('clients', [])))"
}

# same JOBS ARGS...: one at a time and JOBS at once, the same exit code and verdicts.
same() {
    local jobs=$1 rc_one
    shift
    run_pwzc probe --mutter "$@" --json
    cp "$T/out" "$T/one.json"
    rc_one=$RC
    run_pwzc probe --mutter "$@" --jobs "$jobs" --json
    cp "$T/out" "$T/jobs.json"
    expect_rc "$rc_one" "--mutter $* --jobs $jobs exits as one at a time does"
    validate pwzc-probe.schema.json "$T/jobs.json"
    [ "$(json "$T/jobs.json" "d['session'].get('at_once')")" = "$jobs" ] ||
        fail "the report does not say $jobs ran at once"
    [ -n "$(verdicts "$T/one.json")" ] || fail "--mutter $*: no verdicts one at a time"
    if [ "$(verdicts "$T/one.json")" != "$(verdicts "$T/jobs.json")" ]; then
        diff <(verdicts "$T/one.json") <(verdicts "$T/jobs.json") >&2 || true
        fail "--mutter $*: --jobs $jobs came to other verdicts than one at a time"
    fi
    note "--mutter $*: $(verdicts "$T/jobs.json" | awk '{print $2}' | sort | uniq -c | tr -s ' \n' ' ')"
}

same 7
same 4 --clients=obs,webrtc,gst-pipewiresrc,gpu-screen-recorder

# Every session of the --jobs runs was stopped: Mutter still casts.
run_pwzc probe --mutter --offers shm --json
expect_rc 0 "a probe after the --jobs runs"
expect_offer verdict shm works
