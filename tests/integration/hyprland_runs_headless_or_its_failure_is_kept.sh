#!/bin/bash
# Proves: real Hyprland 0.57 (Debian sid) is started headless as tests/peers/hyprland-portal.sh
# starts it, and either it runs and `probe --portal` through xdg-desktop-portal-hyprland finds
# SHM streaming (where a DRM render node exists), or, on a machine without one, it exits at
# start for the reason found in aquamarine's source (src/backend/Backend.cpp, CBackend::start):
# no backend opened a DRM device ("drm: Found no gpus to use"), so no GBM allocator could be
# made ("Cannot open backend: no allocator available"), and Hyprland gives up ("m_pAqBackend
# couldn't start"). Its whole log is kept in this test's log. Hyprland has no software path to
# try instead: its headless backend has no DRM fd, its nested Wayland backend needs the parent's
# linux-dmabuf main device (a DRM node too), and its renderer makes its EGL display from a DRM
# device. Should it one day start without a DRM node, this test fails and says so: then it is
# to be probed for real here (README, "Hyprland").
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/hyprland-portal.sh"
set -e
have_hyprland_portal || { echo "Hyprland or xdg-desktop-portal-hyprland not installed (tests/roots/sid.conf)"; exit 77; }
start_stack
drm_node() { compgen -G "/dev/dri/renderD*" >/dev/null; }
if start_hyprland; then
    drm_node || fail "Hyprland now starts without a DRM render node: probe it through xdph here"
    start_hyprland_portal
    run_pwzc probe --portal --timeout 2 --json
    expect_rc 0 "an offer streams through xdph"
    validate pwzc-probe.schema.json "$T/out"
    expect_offer verdict shm works
    [ "$(json "$T/out" "d['session']['kind']")" = portal ] || fail "not a portal session"
    exit 0
fi
# Its log, without colour codes, in this test's log (automake keeps it).
sed 's/\x1b\[[0-9;]*m//g' "$HYPRLAND_LOG" >"$T/hyprland.txt"
note "Hyprland exited at start; its log:"
sed -e '/^ *[a-zA-Z]\{0,6\} *[a-zA-Z]* *$/d' -e 's/^/#   /' "$T/hyprland.txt"
! drm_node || fail "Hyprland did not start, though this machine has a DRM render node"
for why in "drm: Found no gpus to use, cannot continue" \
    "Cannot open backend: no allocator available" \
    "m_pAqBackend couldn't start!"; do
    grep -qF "$why" "$T/hyprland.txt" || fail "Hyprland failed, but not for the reason found: no '$why'"
done
note "as expected without a DRM node: no GBM allocator, so no backend"
