#!/bin/bash
# Proves: a failing offer does not harm a GNOME session. Against real headless Mutter (through
# org.gnome.Mutter.ScreenCast, a fresh session per offer), the offers that fail run first, in
# the order given (--mutter holds nothing back): DMA-BUF only (no common format), MemPtr only (no
# common buffer type). On PipeWire 1.x the refused link puts Mutter's stream in error too, yet
# Mutter is the same process afterwards, still owns its bus name, reports no backend event, and
# the offers after the failures stream frames; so does a new session after the probe. (xdpw exits
# on the same errors: portal_backend_killed_by_an_offer_is_named_and_restarted.sh.)
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
set -e
have_mutter || { echo "mutter or foot not installed (tests/peers/deps.sh)"; exit 77; }
start_stack
start_mutter
proc=${PIDS[-2]}    # mutter (foot was started after it)
mutter_pid() {
    gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
        -m org.freedesktop.DBus.GetConnectionUnixProcessID org.gnome.Mutter.ScreenCast
}
before=$(mutter_pid)
run_pwzc probe --mutter --offers dmabuf-linear,memptr,dmabuf-implicit,shm,dmabuf+shm --timeout 2 --json
expect_rc 0 "shm works after the failing offers"
validate pwzc-probe.schema.json "$T/out"
order=$(json "$T/out" "' '.join(o['name'] for o in d['offers'])")
[ "$order" = "dmabuf-linear memptr dmabuf-implicit shm dmabuf+shm" ] ||
    fail "--mutter reordered the offers: $order"
expect_offer verdict dmabuf-linear "$NO_FORMAT_VERDICT"
expect_offer verdict memptr "$ALLOC_VERDICT"
expect_offer verdict dmabuf-implicit "$NO_FORMAT_VERDICT"
for o in shm dmabuf+shm; do
    expect_offer verdict "$o" works
    [ "$(offer frames "$o")" -gt 0 ] || fail "$o: no frames after the failing offers"
done
[ "$(json "$T/out" "d.get('backend_events')")" = None ] ||
    fail "a backend event though Mutter stayed: $(json "$T/out" "d.get('backend_events')")"
for o in dmabuf-linear memptr dmabuf-implicit; do
    ! offer reason "$o" | grep -q -i "exited\|not tried" || fail "$o: $(offer reason "$o")"
done
kill -0 "$proc" 2>/dev/null || fail "Mutter exited"
[ "$(mutter_pid)" = "$before" ] || fail "Mutter changed ($before -> $(mutter_pid))"
note "Mutter $(mutter --version | head -n 1), PipeWire generation $(pw_generation): survived"

run_pwzc negotiate --mutter --offer shm --timeout 1.5 --json
expect_rc 0 "a new session after the failures streams"
