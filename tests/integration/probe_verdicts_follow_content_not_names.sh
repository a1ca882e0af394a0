#!/bin/bash
# Proves: verdicts come from what the stream does, never from a profile's name: the gnome-headless
# profile copied under the name "dmabuf-only" still gets gnome-headless's verdicts.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
cp "$PWZC_DATADIR/profiles/gnome-headless.profile" "$T/dmabuf-only.profile"
run_pwzc probe --emulate "$T/dmabuf-only.profile" --offers shm,dmabuf-linear --timeout 1.5 --json
expect_rc 0 "shm works"
expect_offer verdict shm works
expect_offer verdict dmabuf-linear "$NO_FORMAT_VERDICT"
