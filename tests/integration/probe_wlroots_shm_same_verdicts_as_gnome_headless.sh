#!/bin/bash
# Proves: xdg-desktop-portal-wlr without a GPU (SHM only, 30 fps cap, Header + VideoDamage +
# VideoTransform metas) gets the same per-offer verdicts as GNOME headless: both have no
# modifier property, and verdicts come from what the streams do.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate wlroots-shm --timeout 1.5 --json
expect_rc 0 "some offer works"
for o in shm memfd dmabuf+shm; do expect_offer verdict "$o" works; done
expect_offer verdict memptr "$ALLOC_VERDICT"
for o in dmabuf-linear dmabuf-implicit; do expect_offer verdict "$o" "$NO_FORMAT_VERDICT"; done
json "$T/out" "d['producer']['enum_formats'][0]['summary']['max_framerate']" | grep -q "30/1" ||
    fail "max framerate is not 30/1"
