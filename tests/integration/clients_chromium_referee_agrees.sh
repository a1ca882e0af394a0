#!/bin/bash
# Proves: real Chromium (156 in the forky root: libwebrtc's PipeWire capturer) referees the webrtc
# profile against producers where it works and where it does not. For each emulated producer,
# tests/peers/fake-screencast.py stands in for the ScreenCast portal (the D-Bus side only) and
# hands the page's getDisplayMedia a fresh emulator's node over a real PipeWire connection; the
# page counts the pictures it gets (tests/peers/chromium/page.html). Whether Chromium got pictures
# must agree with whether the client in pwzc's replay of the profile took frames. Producers:
# gnome-headless (SHM: works), memptr-only (MemPtr only: libwebrtc's Buffers ask MemFd|DmaBuf, so
# the link never gets buffers), xdpw-0.8.0 (buffers without READABLE: libwebrtc maps the fd
# itself, so it streams where OBS crashes on PipeWire 1.6). These producers have no modifier, so
# the profile's EGL modifiers (a stand-in list in the replay, llvmpipe's in Chromium) play no
# part. clients_replay_port_params_equal_real_chromium.sh holds the port to Chromium's against
# real xdg-desktop-portal-wlr. Where the suite installs Chromium (tests/roots/forky.conf) a
# missing one fails.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/peers/chromium.sh"
set -e
{ have_sway_portal patched && have_chromium; } ||
    peer_missing "Chromium, or sway (and a test root)" forky
export PWZC
start_stack
start_sway

# chromium_got PRODUCER: "frames" or "none", from the page's report; "none" only once the page's
# stream was really handed the producer's node (the fake's log), so that a page that never
# reached the portal cannot pass for a producer that gives nothing.
chromium_got() {
    r() { chromium_said "$1"; }
    [ "$(r error)" = None ] || fail "$1: the page's getDisplayMedia failed: $(r error)"
    echo "$(r frames) frames, $(r distinct) distinct pictures$([ "$(r pending)" = None ] ||
        echo ", still pending: $(r pending)")" >"$T/seen"
    if [ "$(r distinct)" -ge 5 ]; then echo frames; return; fi
    [ "$(r distinct)" -le 1 ] || fail "$1: the page saw $(cat "$T/seen"): neither a capture nor none"
    grep -q "^Start: node" "$T/logs/fake-$1.log" && grep -q "^OpenPipeWireRemote" "$T/logs/fake-$1.log" ||
        fail "$1: the page got nothing, but Chromium never took the fake portal's node"
    echo none
}

agreed=0
for p in gnome-headless memptr-only xdpw-0.8.0; do
    /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" --api portal --profile "$p" \
        >"$T/fake-ready-$p" 2>"$T/logs/fake-$p.log" &
    fake=$!
    PIDS+=("$fake")
    wait_for 200 test -s "$T/fake-ready-$p"
    rm -f "$T/chromium-result"
    CHROMIUM_PROFILE=$T/chromium-$p
    start_chromium
    chromium_result
    got=$(chromium_got "$p")
    cp "$T/logs/chromium.log" "$T/logs/chromium-$p.log"
    stop_chromium
    kill "$fake"; wait "$fake" 2>/dev/null || true
    run_pwzc probe --emulate "$p" --clients webrtc --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$p: probe exit $RC"; }
    frames=$(json "$T/out" "d['clients'][0]['frames']")
    verdict=$(json "$T/out" "d['clients'][0]['verdict']")
    if [ "$frames" -gt 0 ]; then said=frames; else said=none; fi
    note "$p: Chromium: $got ($(cat "$T/seen")); replay: $said ($verdict, $frames frames)"
    [ "$got" = "$said" ] ||
        fail "$p: real Chromium got $got, the replay of the webrtc profile $said ($verdict: $(json "$T/out" "d['clients'][0]['why']"))"
    agreed=$((agreed + 1))
done
[ "$agreed" = 3 ] || fail "only $agreed pairs of 3 agreed"
