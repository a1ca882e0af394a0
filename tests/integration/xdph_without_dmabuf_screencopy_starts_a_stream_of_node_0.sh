#!/bin/bash
# Proves: real xdg-desktop-portal-hyprland 1.4.1 (Debian sid), the ScreenCast backend of
# Hyprland, which cannot run here (hyprland_runs_headless_or_its_failure_is_kept.sh), driven on
# another compositor it supports (its hyprland.portal lists sway; it captures through
# wlr-screencopy): sway headless on pixman, no GPU. Its share picker is answered without a dialog
# (screencopy:custom_picker_binary, tests/peers/hyprland-portal.sh). Without a DMA-BUF screencopy
# format xdph makes no PipeWire stream ("Couldn't obtain a format from dma": its
# Screencopy.cpp startFrameCopy returns before the stream, even for SHM), yet answers Start with
# success and a stream of node 0. probe --portal says that, with exit 12, instead of looking
# for node 0; the restore token it sent is saved all the same. So xdph, like Hyprland, needs a
# GPU: the hyprland-xdph emulator profile models it with one, from its source.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/peers/hyprland-portal.sh"
set -e
have_hyprland_portal || { echo "xdg-desktop-portal-hyprland not installed (tests/roots/sid.conf)"; exit 77; }
have_sway_portal stock || { echo "sway not installed (tests/peers/deps.sh)"; exit 77; }
start_stack
start_sway_compositor
HYPRLAND_OUTPUT=HEADLESS-1 start_hyprland_portal
run_pwzc probe --portal --timeout 2 --json
expect_rc 12 "xdph made no stream"
grep -q "the portal's Start succeeded, but its stream is node 0, which is PipeWire's core: the portal backend made no PipeWire stream" "$T/err" ||
    fail "node 0 is not explained: $(cat "$T/err")"
grep -q "Couldn't obtain a format from dma" "$T/logs/xdph.log" || fail "xdph failed for another reason"
grep -q "Selection: r/screen:HEADLESS-1" "$T/logs/xdph.log" || fail "the picker's answer did not reach xdph"
[ -s "$XDG_STATE_HOME/pwzc/portal-restore-token" ] || fail "xdph's restore token was not saved"
