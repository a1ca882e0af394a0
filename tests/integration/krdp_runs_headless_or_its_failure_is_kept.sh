#!/bin/bash
# Proves: real krdp 6.7.4 (KDE's RDP server, Debian sid) is run headless against real KWin 6.7
# (kwin_wayland --virtual), capturing through KWin's own screencast protocol as `krdpserver
# --plasma` does, with a real FreeRDP 3 client connected to it (tests/peers/krdp.sh), and either
# - krdp streams: KWin makes the stream, krdp's PipeWire link from KWin's node carries frames
#   (pwzc watch judges the link), and that agrees with pwzc's replay, against the same KWin
#   through the portal, of the profile of the encoding krdp chose (its log: h264 is
#   kpipewire-encoder, progressive krdp-progressive); or
# - it cannot, for the one reason known here: without a DRM device (this project's machines have
#   none: no GPU, no vgem) KWin composites with QPainter, and KWin 6.7 screencasts only with
#   OpenGL, so it answers krdp's stream request with failed("Unsupported compositing type"),
#   krdp drops the RDP connection, and no PipeWire link to krdp ever exists (pwzc watch sees
#   none). The lines that say so (KWin's fallback to QPainter, krdp's stream request and KWin's
#   answer, from krdp's own side of the Wayland conversation) are kept, masked, as the golden
#   tests/expected/krdp/attempt; krdp's log is quoted in this test's log. pwzc's replay of both
#   krdp profiles against the same KWin (through xdg-desktop-portal-kde, which asks KWin for the
#   same output stream) must then meet the same refusal and name it (exit 12).
# Any other end fails: krdp not starting or not reaching KWin, FreeRDP not connecting, another
# answer from KWin, a stream from a KWin without OpenGL. Nothing is skipped silently.
# What would make krdp stream here: a DRM node for KWin's OpenGL (vgem's primary node, as KWin's
# own CI has, or a GPU's render node); the streaming branch then runs.
# Where the suite installs krdp (tests/roots/sid.conf) a missing krdp, KWin or FreeRDP fails.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/kwin-portal.sh"
. "$TESTS_SRCDIR/peers/krdp.sh"
set -e
{ have_kwin && have_krdp; } ||
    peer_missing "krdp, KWin 6.7 (kwin_wayland, foot), FreeRDP 3 (xfreerdp3), Xvfb or openssl" sid
start_stack
start_kwin
start_krdp
start_krdp_client

if krdp_stream_created; then
    kwin_composites_with_opengl ||
        fail "KWin made krdp's stream while compositing with QPainter: the peer's premise is wrong"
    node=$(krdp_node)
    krdp_wait 200 krdp_encoding_chosen
    mode=$(krdp_encoding)
    case $mode in
    h264) PROFILE=kpipewire-encoder ;;
    progressive) PROFILE=krdp-progressive ;;
    *) fail "krdp's log names no encoding mode it chose ('$mode')" ;;
    esac
    run_pwzc watch --once --interval 2 --json --node "$node"
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "watch exit $RC"; }
    validate pwzc-watch.schema.json "$T/out"
    link="next(l for l in d['links'] if l['producer']['node_id'] == $node)"
    verdict=$(json "$T/out" "${link}['verdict']")
    fps=$(json "$T/out" "${link}['frames_per_s']")
    note "krdp ($mode) on KWin's node $node: $verdict, $fps frames/s" \
        "($(json "$T/out" "${link}['reason']"))"
    if [ "$verdict" = works ] && [ "$(json "$T/out" "${link}['frames_per_s'] > 0")" = True ]; then
        real=frames
    else
        real=none
    fi
    kill "$FREERDP_PID" "$FREERDP_X_PID" "$KRDP_PID" 2>/dev/null || true
    wait "$FREERDP_PID" "$FREERDP_X_PID" "$KRDP_PID" 2>/dev/null || true
    start_kwin_portal_services
    run_pwzc probe --portal --restore --clients "$PROFILE" --timeout 2 --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "probe exit $RC"; }
    c="d['clients'][0]"
    [ "$(json "$T/out" "${c}['name']")" = "$PROFILE" ] || fail "probe replayed another client"
    if [ "$(json "$T/out" "${c}['frames']")" -gt 0 ]; then replay=frames; else replay=none; fi
    note "real krdp: $real; replay of $PROFILE: $replay" \
        "($(json "$T/out" "${c}['verdict']"): $(json "$T/out" "${c}['why']"))"
    [ "$real" = "$replay" ] || fail "real krdp got $real, the replay of $PROFILE $replay"
    [ "$real" = frames ] || fail "neither krdp nor the replay got frames from KWin: no referee"
    exit 0
fi

# krdp's log in this test's log (automake keeps it).
note "krdp got no stream from KWin; its log:"
krdp_log
krdp_stream_failed || fail "KWin neither made nor refused krdp's stream"
why=$(krdp_stream_failure)
! kwin_composites_with_opengl ||
    fail "KWin composites with OpenGL, yet refused krdp's stream: '$why'"
[ "$why" = "Unsupported compositing type" ] ||
    fail "KWin refused krdp's stream, but not for the known cause: '$why'"
grep -q "zkde_screencast_unstable_v1#[0-9]*\.stream_output(" "$KRDP_LOG" ||
    fail "krdp did not ask KWin for its output's stream"
# krdp gave the connection up (it asks for the stream as soon as a client connects, before the
# client's TLS handshake and login: FreeRDP's log then says the handshake failed).
grep -q "org.kde.krdp: Closing session" "$KRDP_LOG" || fail "krdp kept the connection"
# No PipeWire link to krdp, or from KWin at all: no one else consumes here.
run_pwzc watch --once --interval 1 --json
[ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "watch exit $RC"; }
validate pwzc-watch.schema.json "$T/out"
[ "$(json "$T/out" "len(d['links'])")" = 0 ] || fail "a link exists: $(cat "$T/out")"

# The golden: KWin's fallback, krdp's request and KWin's answer, with times and Wayland object
# ids masked (libwayland's debug lines: "[TIME] [{QUEUE} ][-> ]interface#ID.message(args)").
{
    grep -h "Falling back to defaults" "$T/logs/kwin.log" | sed 's/^/kwin: /'
    grep -h -e "zkde_screencast_unstable_v1#[0-9]*\.stream_output(" \
        -e "zkde_screencast_stream_unstable_v1#[0-9]*\.failed(" "$KRDP_LOG" |
        sed -E -e 's/^\[[0-9:.]+\] +//' -e 's/^\{[^}]*\} +//' -e 's/#[0-9]+/#ID/g' -e 's/^/krdp: /'
} >"$T/attempt"
note "kept as tests/expected/krdp/attempt:"
sed 's/^/# /' "$T/attempt"
golden "$T/attempt" krdp/attempt

# pwzc's replay of krdp's profiles against the same KWin, through its portal (which asks KWin
# for the same output stream), meets the same refusal, and says why.
kill "$FREERDP_PID" "$FREERDP_X_PID" "$KRDP_PID" 2>/dev/null || true
start_kwin_portal_services
run_pwzc probe --portal --restore --clients krdp-progressive,kpipewire-encoder --timeout 2
expect_rc 12 "KWin without OpenGL refuses the replay's stream too: the portal's Start fails"
grep -q "composites with OpenGL" "$T/err" || fail "the cause is not named: $(cat "$T/err")"
grep -q '"Unsupported compositing type"' "$T/logs/xdpk.log" ||
    fail "KWin refused the replay's stream for another reason: $(cat "$T/logs/xdpk.log")"
note "pwzc's replay of krdp-progressive and kpipewire-encoder: $(cat "$T/err")"
