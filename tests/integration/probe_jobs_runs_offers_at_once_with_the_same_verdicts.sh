#!/bin/bash
# Proves: probe --jobs runs the offers (and the clients) at once, each against an emulator of its
# own, and comes to the verdicts the one-at-a-time probe comes to, offer by offer and client by
# client, on producers that work, refuse, loop, flap and resize; the report says how many ran at
# once and validates; a signal stops every offer, not only the one whose connection read it;
# --jobs is refused where offers cannot each have a producer (--node) or out of range. What it
# saves in time is measured in bench/probe-speed.sh, not here.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack

# verdicts FILE: "name verdict" lines of a report's offers or clients.
verdicts() {
    json "$1" "'\\n'.join(o['name'] + ' ' + o['verdict'] for o in d.get('offers', d.get('clients', [])))"
}

# same PROFILE ARGS...: the probe one at a time and with --jobs 7, the same verdicts.
same() {
    local profile=$1
    shift
    local rc_one
    run_pwzc probe --emulate "$profile" "$@" --json
    cp "$T/out" "$T/one.json"
    rc_one=$RC
    run_pwzc probe --emulate "$profile" "$@" --jobs 7 --json
    cp "$T/out" "$T/jobs.json"
    expect_rc "$rc_one" "$profile $*: --jobs 7 exits as one at a time does"
    [ "$(json "$T/jobs.json" "d['session'].get('at_once')")" = 7 ] ||
        fail "$profile: the report does not say 7 ran at once"
    validate pwzc-probe.schema.json "$T/jobs.json"
    [ -n "$(verdicts "$T/one.json")" ] || fail "$profile: no verdicts one at a time"
    if [ "$(verdicts "$T/one.json")" != "$(verdicts "$T/jobs.json")" ]; then
        diff <(verdicts "$T/one.json") <(verdicts "$T/jobs.json") >&2 || true
        fail "$profile $*: --jobs 7 came to other verdicts than one at a time"
    fi
    note "$profile $*: $(verdicts "$T/jobs.json" | awk '{print $2}' | sort | uniq -c | tr -s ' \n' ' ')"
}

# Works, refused (SHM only, DMA-BUF only, MemPtr only), loops, flaps, resizes mid-stream (one
# renegotiation: a busy daemon may take its link through Paused twice, still not flapping), and
# leaves the modifier to the consumer (a busy 0.3.65 daemon may lose its fixation: run again).
for profile in gnome-headless dmabuf-only memptr-only renegotiate-loop flapping resize-mid-stream \
    gnome-dmabuf; do
    same "$profile"
done
same gnome-headless --clients=obs,webrtc,gst-pipewiresrc,rustdesk,gpu-screen-recorder,sunshine,kpipewire-encoder

# A signal stops them all: the run ends long before a 30 s window (each offer watched whole).
"$PWZC" probe --emulate gnome-headless --jobs 7 --timeout 30 --frames 0 >"$T/out" 2>"$T/err" &
pid=$!
sleep 1.5
start=$SECONDS
kill -INT "$pid"
set +e
wait "$pid"
RC=$?
set -e
expect_rc 130 "interrupted"
[ $((SECONDS - start)) -lt 15 ] ||
    fail "--jobs: SIGINT took $((SECONDS - start)) s to stop the offers (a window is 30 s)"

run_pwzc probe --node 1 --jobs 2
expect_rc 2 "--jobs against an existing node"
grep -q "not against an existing node" "$T/err" || fail "no reason for refusing --jobs: $(cat "$T/err")"
run_pwzc probe --portal --jobs 2
expect_rc 2 "--jobs through the portal"
grep -q "not against the portal" "$T/err" || fail "no reason for refusing --jobs: $(cat "$T/err")"
run_pwzc probe --emulate gnome-headless --jobs 17
expect_rc 2 "--jobs 17"
grep -q "1 to 16" "$T/err" || fail "no range for --jobs: $(cat "$T/err")"
