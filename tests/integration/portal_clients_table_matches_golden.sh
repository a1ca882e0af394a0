#!/bin/bash
# Proves: through the real ScreenCast portal on sway (xdg-desktop-portal-wlr 0.7 with the SHM
# patch), the client table reads as recorded in tests/expected/clients/sway-xdpw (times and
# counts masked). Each client gets its own portal session (a fresh node), as a real app would.
# Through the portal's fd the daemon's link is not visible, and the reasons say so. On 1.x the
# first failing client's link error reaches xdpw, and an xdpw that exits on a core error (0.7.1
# on; the peer's binary says) exits: the report stops there and says who exited after which
# client, and that nothing on this bus restarts it (13). xdpw 0.7.0 lives on, and every client
# is reported (sway-xdpw.pw1).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
have_sway_portal patched || { echo "sway/portal peers not installed (tests/peers/deps.sh)"; exit 77; }
start_stack
start_sway_portal patched
if [ "$(pw_generation)" != 0.3 ] && [ "$XDPW_EXITS_ON_CORE_ERROR" = yes ]; then
    # The first client that fails takes xdpw down (its core gets the link's error and it exits):
    # the report stops there, says why, and keeps the clients it got through.
    run_pwzc probe --portal --clients=webrtc,gpu-screen-recorder,obs --json
    expect_rc 13 "xdpw exits after the first failing client"
    grep -q "after client gpu-screen-recorder's stream error: the report stops there" "$T/err" ||
        fail "the stop is not explained: $(cat "$T/err")"
    grep -q "xdg-desktop-portal-wlr (pid [0-9]*, org.freedesktop.impl.portal.desktop.wlr) exited, and nothing on this bus restarts it" "$T/err" ||
        fail "who exited is not named: $(cat "$T/err")"
    validate pwzc-probe.schema.json "$T/out"
    [ "$(json "$T/out" "len(d['clients'])")" = 2 ] || fail "the clients run are not all reported"
    [ "$(json "$T/out" "d['clients'][0]['verdict']")" = works ] || fail "webrtc"
    [ "$(json "$T/out" "d['clients'][1]['verdict']")" = error ] || fail "gsr"
    exit 0
fi
# portal_clients ARGS...: probe --portal --clients ARGS, once more if xdpw crashed (its SIGSEGV
# destroying a closed session's stream: run_pwzc_through_xdpw); a second crash fails the test.
portal_clients() { run_pwzc_through_xdpw probe --portal --clients "$@"; }
portal_clients --json
expect_rc 1 "some clients do not work against xdpw"
validate pwzc-probe.schema.json "$T/out"
[ "$(json "$T/out" "next(c for c in d['clients'] if c['name']=='webrtc')['verdict']")" = works ] ||
    fail "webrtc does not stream through the portal"
portal_clients
expect_rc 1 "text report"
client_golden sway-xdpw
