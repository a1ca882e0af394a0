#!/bin/bash
# Proves: `pwzc probe --sandbox` (the README's first command) needs no daemon of the user's: it
# starts its own D-Bus, PipeWire and WirePlumber, probes the gnome-headless emulator by default,
# and leaves no process and no directory behind.
. "$TESTS_SRCDIR/lib.sh"
set -e
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
run_pwzc probe --sandbox --offers shm,dmabuf-linear --timeout 1.5
expect_rc 0 "shm works in the sandbox"
grep -q "profile gnome-headless, private sandbox" "$T/out" || fail "not the embedded default"
grep -q "^shm  *works" "$T/out" || fail "no working shm row"
grep -q "no modifier property: SHM only" "$T/out" || fail "producer not described"
[ -z "$(ls -A "$TMPDIR")" ] || fail "left behind: $(ls -A "$TMPDIR")"
sleep 0.2
if pgrep -f "$TMPDIR" >/dev/null; then fail "processes left behind"; fi
