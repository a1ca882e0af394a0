#!/bin/bash
# Proves: a portal backend that an offer takes down is named, and brought back as a desktop
# brings it back. On PipeWire 1.x a failing offer's link error is a fatal core error for the
# producer, and xdg-desktop-portal-wlr exits on it. Here its bus name is D-Bus activatable, as a
# desktop installs it (a service file in the test bus's own service directory). With
# --allow-backend-restart, the offers the producer would refuse (memptr, dmabuf-linear) run last;
# probe names the backend that exited after memptr's stream error, starts it again through
# activation, runs dmabuf-linear in a fresh session and says what happened before it, and after
# dmabuf-linear takes the backend down again starts it once more: the desktop is left standing.
# On 0.3.x the link error never reaches the producer, and xdpw 0.7.0 (no core error handler; the
# peer's binary says which) survives it: the backend stays, no note.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
set -e
have_sway_portal patched || { echo "sway/portal peers not installed (tests/peers/deps.sh)"; exit 77; }
xdpw_activatable
start_stack
start_sway_portal patched
first=$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.impl.portal.desktop.wlr)

run_pwzc probe --portal --allow-backend-restart --offers shm,memptr,dmabuf-linear,memfd --timeout 3 --json
expect_rc 0 "shm and memfd work"
validate pwzc-probe.schema.json "$T/out"
expect_offer verdict shm works
expect_offer verdict memfd works
expect_offer verdict memptr "$ALLOC_VERDICT"
expect_offer verdict dmabuf-linear "$NO_FORMAT_VERDICT"
order=$(json "$T/out" "' '.join(o['name'] for o in d['offers'])")
note=$(json "$T/out" "next(o for o in d['offers'] if o['name'] == 'dmabuf-linear').get('note')")
events=$(json "$T/out" "len(d.get('backend_events', []))")
bus_has_name org.freedesktop.impl.portal.desktop.wlr || fail "the probe left no backend on the bus"
now=$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.impl.portal.desktop.wlr)
if [ "$(pw_generation)" = 0.3 ] || [ "$XDPW_EXITS_ON_CORE_ERROR" = no ]; then
    # 0.3.x sends the producer no error; xdpw 0.7.0 does not exit on one
    [ "$(pw_generation)" = 0.3 ] && want="shm memptr dmabuf-linear memfd" ||
        want="shm memfd memptr dmabuf-linear"
    [ "$order" = "$want" ] || fail "offers in the order $order, expected $want"
    [ "$note" = None ] && [ "$events" = 0 ] || fail "a backend event where nothing died: $note"
    [ "$now" = "$first" ] || fail "the backend changed ($first -> $now) though nothing died"
    exit 0
else
    [ "$order" = "shm memfd memptr dmabuf-linear" ] || fail "refused offers are not last: $order"
    [[ $note == "xdg-desktop-portal-wlr exited after offer memptr's stream error '"*"'; D-Bus activation started it again (pid "* ]] ||
        fail "dmabuf-linear's note does not say who died and what brought it back: $note"
    # memptr's death, and dmabuf-linear's after the last offer: the desktop is left standing
    [ "$events" = 2 ] || fail "$events backend events, expected 2: $(json "$T/out" "d.get('backend_events')")"
    json "$T/out" "d['backend_events'][1]" | grep -q "exited after offer dmabuf-linear's stream error .*D-Bus activation started it again" ||
        fail "the last offer's backend death is not told: $(json "$T/out" "d['backend_events']")"
    [ "$now" != "$first" ] || fail "the backend is the same process ($now): it did not die?"
fi
run_pwzc probe --portal --allow-backend-restart --offers memptr,memfd --timeout 3
grep -q "^memfd: Streaming" "$T/out" || fail "the text report lost memfd: $(cat "$T/out")"
grep -q "^portal backend: xdg-desktop-portal-wlr exited after offer memptr" "$T/out" ||
    fail "the text report does not say what became of the backend: $(cat "$T/out")"
