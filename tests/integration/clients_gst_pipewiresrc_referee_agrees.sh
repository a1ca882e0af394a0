#!/bin/bash
# Proves: a real client referees the gst-pipewiresrc profile (the installed version's: lib.sh
# gst_profile). For every emulator profile, a
# fresh producer is given to the installed GStreamer
#     gst-launch-1.0 pipewiresrc path=N num-buffers=30 ! video/x-raw ! fakesink
# and another fresh one to `pwzc probe --clients gst-pipewiresrc`; whether gst-launch really
# got its 30 buffers must agree with whether the client in pwzc's replay took 30 frames or more
# (the replay trusts `works` only after 30 frames, as gst-launch waits for 30 buffers, and watches
# up to 6 s: ended after 10 frames, a replay slowed down by ASan on a loaded machine had 19 and
# read as none; gst-launch gets 10 s). A disagreement means the profile is wrong: this
# test found that pipewiresrc 0.3.65 stops for good at the first Streaming -> Paused (the
# flapping producer), which the profile now says (on-pause = stop), and that pipewiresrc 1.6
# holds its frames after a restart until its clock, started again from zero, is back where it
# was (on-pause = wait-for-clock; a rule on the Paused's length failed here under load).
. "$TESTS_SRCDIR/lib.sh"
set -e
# Every generation runs it (bootstrap --tests and tests/roots/*.conf install GStreamer): missing
# is a failure, not a skip.
need_gst
start_stack
client=$(gst_profile)

# gst_gets_buffers PROFILE: 0 when gst-launch got 30 buffers from a fresh emulated producer.
gst_gets_buffers() {
    local ready=$T/ready-$1 pid rc
    "$PWZC" emulate --profile "$1" --json >"$ready" 2>"$T/logs/emulate-$1.log" &
    pid=$!
    PIDS+=("$pid")
    wait_for 200 test -s "$ready"
    set +e
    timeout 10 gst-launch-1.0 -q pipewiresrc path="$(json "$ready" "d['node_id']")" \
        num-buffers=30 ! video/x-raw ! fakesink >"$T/logs/gst-$1.log" 2>&1
    rc=$?
    set -e
    kill "$pid"; wait "$pid" 2>/dev/null || true
    return "$rc"
}

checked=0
for profile in "$PWZC_DATADIR"/profiles/*.profile; do
    p=$(basename "$profile" .profile)
    if gst_gets_buffers "$p"; then gst=buffers; else gst=none; fi
    run_pwzc probe --emulate "$p" --clients "$client" --frames 30 --timeout 6 --json
    # 8: the node went away mid-run (vanish-mid-stream); the report still stands
    [ "$RC" -le 1 ] || [ "$RC" = 8 ] || { cat "$T/err" >&2; fail "$p: probe exit $RC"; }
    c() { json "$T/out" "d['clients'][0]['$1']"; }
    if [ "$(c frames)" -ge 30 ]; then pwzc=buffers; else pwzc=none; fi
    held=$(c "fates']['held-by-clock")
    note "$p: gst-launch: $gst; pwzc $client: $(c verdict), $(c frames) frames, $held held by its clock"
    # pipewiresrc 1.6 on PipeWire 1.6: its clock starts from zero at each restart of the
    # stream, and the flapping producer's restarts come before it is back; that is why.
    if [ "$client" = gst-pipewiresrc-1.6 ] && [ "$p" = flapping ]; then
        [ "$held" -gt 0 ] || fail "flapping: the 1.6 replay held no frame by its clock"
    fi
    [ "$gst" = "$pwzc" ] ||
        fail "$p: gst-launch got $gst, the profile's replay $pwzc ($(c verdict): $(c why))"
    checked=$((checked + 1))
done
[ "$checked" -ge 8 ] || fail "only $checked emulator profiles checked"
