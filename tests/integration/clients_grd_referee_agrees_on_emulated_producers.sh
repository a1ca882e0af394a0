#!/bin/bash
# Proves: real gnome-remote-desktop 51 (headless, sid root) referees the gnome-remote-desktop-rdp
# profile on both outcomes, against emulated producers (pwzc emulate: real PipeWire producers
# that behave as the compositor profiles say) where it works and where it does not: for each,
# grd got frames if and only if pwzc's replay of the profile takes frames from the same
# producer. tests/peers/fake-screencast.py --api remote-desktop stands in for headless Mutter's
# D-Bus side (RemoteDesktop with a real EIS server, ScreenCast's RecordVirtual and
# PipeWireStreamAdded) and hands grd the emulated node; a real FreeRDP 3 client connects to grd.
# The replay compared is the profile as this grd makes it (tests/peers/grd.sh, grd_client_here):
# without a GPU grd 51 sends the plain pod and MemFd alone, and a virtual monitor's pod has a
# fixed size, the RDP client's monitor. The profile as written models grd with an EGL thread
# (modifier pod, DmaBuf): held against a grd that sends neither, a disagreement would be the
# machine's, not the profile's; its replay is only said. The RDP client's monitor is the
# producer's size: real Mutter makes a virtual monitor the size the consumer asks, an emulated
# producer has one fixed size, and a size mismatch would decide every outcome alike.
# Where the suite installs grd (tests/roots/sid.conf) a missing grd or FreeRDP fails the test.
. "$TESTS_SRCDIR/lib.sh"
# mutter.sh for its peer_wait only: no Mutter runs here.
. "$TESTS_SRCDIR/peers/mutter.sh"
. "$TESTS_SRCDIR/peers/grd.sh"
set -e
have_grd || peer_missing "gnome-remote-desktop, FreeRDP 3 (xfreerdp3), Xvfb or openssl" sid
/usr/bin/python3 -c 'import ctypes, gi; ctypes.CDLL("libeis.so.1")' 2>/dev/null ||
    peer_missing "python3-gi or libeis1 (the fake's EIS server)" sid
export PWZC
PROFILE=gnome-remote-desktop-rdp
# SHM (MemFd) producers, where grd without a GPU works; DMA-BUF only and MemPtr only, where it
# cannot.
PRODUCERS="gnome-headless mutter-51 dmabuf-only memptr-only"
start_stack

seen=""
for producer in $PRODUCERS; do
    GRD_CLIENT_SIZE=$(sed -n 's/^size = \([0-9]*x[0-9]*\)$/\1/p' \
        "$PWZC_DATADIR/profiles/$producer.profile" | head -n 1)
    [ -n "$GRD_CLIENT_SIZE" ] || fail "$producer: the profile has no size"
    start_bg "fake-$producer" /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" \
        --api remote-desktop --profile "$producer"
    fake=${PIDS[-1]}
    peer_wait "$fake" 200 grep -q "^ready$" "$T/logs/fake-$producer.log"
    start_grd "grd-$producer"
    connect_freerdp
    node=$(grd_node)
    grep -q "^stream .* node $node$" "$T/logs/fake-$producer.log" ||
        fail "$producer: grd streams node '$node', not the fake's emulated producer"
    grd_outcome "$node"
    real=$GRD_OUTCOME
    note "$producer: grd: $GRD_WHY"
    stop_grd
    kill "$fake" 2>/dev/null || true
    wait "$fake" 2>/dev/null || true

    grd_client_here "$GRD_CLIENT_SIZE" "$T/grd-here.client"
    run_pwzc probe --emulate "$producer" --clients "$T/grd-here.client" --timeout 2 --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$producer: probe exit $RC"; }
    c="d['clients'][0]"
    if [ "$(json "$T/out" "$c['frames']")" -gt 0 ]; then replay=frames; else replay=none; fi
    why="$(json "$T/out" "$c['verdict']"): $(json "$T/out" "$c['why']")"
    note "$producer: real grd: $real; replay of $PROFILE as grd makes it here: $replay ($why)"
    run_pwzc probe --emulate "$producer" --clients "$PROFILE" --timeout 2 --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$producer: probe exit $RC"; }
    note "$producer: replay of $PROFILE as written (grd with an EGL thread):" \
        "$(json "$T/out" "$c['verdict']"), $(json "$T/out" "$c['frames']") frames"
    [ "$real" = "$replay" ] ||
        fail "$producer: real grd got $real, the replay of $PROFILE (as grd makes it here) $replay"
    seen="$seen $real"
done
# A referee that saw one outcome only has not refereed both.
case "$seen" in *frames*none* | *none*frames*) ;; *) fail "one outcome only:$seen" ;; esac
