# Sourced by integration tests, after tests/lib.sh, start_stack, tests/peers/sway-portal.sh and
# start_sway_portal: real Chromium (156 in the forky root; libwebrtc's PipeWire capturer) as a
# Wayland client of the test's sway, sharing the screen from a page (tests/peers/chromium/) that
# counts the frames it gets. Debian package: chromium (tests/roots/forky.conf).
#
#   have_chromium || peer_missing ...
#   start_chromium         serves the page, opens it; the page calls getDisplayMedia at once
#   chromium_result        waits for the page's report: {"frames", "distinct", "settings"} or
#                          {"error"}, in $T/chromium-result; chromium_said FIELD reads it
#   stop_chromium          kills it and waits until none of its processes is left
#   chromium_start_through_xdpw   start_chromium and chromium_result through real xdpw, again
#                          when xdpw never took the link's format (up to 3 sessions)
# CHROMIUM_PROFILE: its user data directory (default $T/chromium-profile), one per start when a
# test starts it more than once.
#
# getDisplayMedia needs a user's gesture unless a managed policy lets the origin go without one
# (ScreenCaptureWithoutGestureAllowedForOrigins), and Chromium reads managed policies only from
# /etc/chromium/policies/managed. So this runs only inside a test root (PWZC_ROOT_SUITE), whose
# /etc is the test's to write: the policy there is a link into $T, gone with the test.

CHROMIUM_POLICY=/etc/chromium/policies/managed/pwzc-tests.json

have_chromium() { command -v chromium >/dev/null 2>&1 && [ -n "${PWZC_ROOT_SUITE:-}" ]; }

start_chromium() {
    local port
    rm -f "$T/logs/chromium-page.log" # an earlier start's: its port is not this server's
    start_bg chromium-page /usr/bin/python3 "$PEERS_DIR/chromium/serve.py" "$PEERS_DIR/chromium" \
        "$T/chromium-result"
    wait_for 200 test -s "$T/logs/chromium-page.log"
    port=$(head -n 1 "$T/logs/chromium-page.log")
    printf '{"ScreenCaptureWithoutGestureAllowedForOrigins": ["http://127.0.0.1:%s"]}\n' "$port" \
        >"$T/chromium-policy.json"
    mkdir -p "$(dirname "$CHROMIUM_POLICY")"
    ln -sf "$T/chromium-policy.json" "$CHROMIUM_POLICY"
    # Without XDG_SESSION_TYPE=wayland it takes the X11 capturer ("Unable to open display").
    # --use-fake-ui-for-media-stream: no picker of its own; the portal's is xdpw's chooser=none.
    start_bg chromium env XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=sway \
        "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        chromium --ozone-platform=wayland --no-sandbox --use-fake-ui-for-media-stream \
        --no-first-run --no-default-browser-check --user-data-dir="${CHROMIUM_PROFILE:-$T/chromium-profile}" \
        "http://127.0.0.1:$port/"
    CHROMIUM_PID=${PIDS[-1]}
}

# stop_chromium: Chromium and the processes it started (zygote, renderer, GPU), at once. The
# pattern's [-] keeps it from matching the command lines that carry it (pkill's, sh's).
stop_chromium() {
    local mine="[-]-user-data-dir=${CHROMIUM_PROFILE:-$T/chromium-profile}"
    pkill -KILL -f -- "$mine" || true
    wait "$CHROMIUM_PID" 2>/dev/null || true
    wait_for 200 sh -c "! pgrep -f -- '$mine' >/dev/null"
}

# chromium_said FIELD: a field of the page's report (None when it has none).
chromium_said() { json "$T/chromium-result" "d.get('$1')"; }

# chromium_result: up to 120 s (Chromium starts slowly under load; the page gives up on its
# stream after 90 s at the most) for the page's report.
chromium_result() {
    local i
    for ((i = 0; i < 2400; i++)); do
        [ -s "$T/chromium-result" ] && return 0
        kill -0 "$CHROMIUM_PID" 2>/dev/null || fail "Chromium exited (see $T/logs/chromium.log)"
        sleep 0.05
    done
    fail "the page reported nothing in 120 s"
}

# chromium_start_through_xdpw: start_chromium and chromium_result, through real xdpw. A session
# that got no picture while xdpw never took its side of the link's format (sway-portal.sh
# xdpw_took_no_format_since: the link negotiating in silence, seen with OBS and once, in CI's
# forky run, with Chromium: watch said "the link stayed negotiating") is the producer's race, not
# Chromium's offer: it is closed and run again, up to 3 times in all. Chromium is left running.
# xdpw 0.8.4 may die as a killed client's session closes: the test makes it xdpw_activatable.
chromium_start_through_xdpw() {
    xdpw_session_again Chromium chromium_session chromium_raced chromium_raced_stop
}
chromium_session() {
    rm -f "$T/chromium-result"
    CHROMIUM_PROFILE=$T/chromium-profile-$1
    start_chromium
    chromium_result
}
chromium_raced() {
    [ "$(chromium_said error)" = None ] && [ "$(chromium_said distinct)" -lt 5 ] &&
        xdpw_took_no_format_since "$1"
}
chromium_raced_stop() {
    cp "$T/logs/chromium.log" "$T/logs/chromium-raced-$1.log"
    stop_chromium_through_xdpw
}

# stop_chromium_through_xdpw: stop_chromium, then waits until xdpw has closed Chromium's session,
# and starts xdpw again if that took it down (xdpw_back_if_gone).
stop_chromium_through_xdpw() {
    stop_chromium
    wait_for 200 no_portal_node
    xdpw_back_if_gone "as Chromium's session closed (Chromium killed)"
}
