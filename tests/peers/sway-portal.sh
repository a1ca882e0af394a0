# Sourced by integration tests, after tests/lib.sh and start_stack: a real sway 1.7 (headless,
# pixman renderer, no GPU) + xdg-desktop-portal-wlr 0.7 + xdg-desktop-portal 1.16, as the peer
# for org.freedesktop.portal.ScreenCast. Debian packages: see tests/peers/deps.sh.
#
#   have_sway_portal patched || exit 77
#   start_sway_portal patched   # or: stock; the same as start_sway, then start_portals XDPW
#   start_sway                  # the compositor and foot alone (a Wayland display for a client
#                               # whose screencast comes from elsewhere)
#   then CreateSession / SelectSources / Start / OpenPipeWireRemote on the portal, each answered
#   by a Request's Response signal; take the node id from Start's `streams` (ids are reused).
#
# Variants:
#   stock    Debian's /usr/libexec/xdg-desktop-portal-wlr. On a pixman compositor its Start
#            answers response 2 and it logs "unable to receive a valid format from
#            wlr_screencopy": a real failure that pwzc must diagnose.
#   patched  the same 0.7.0 source with xdpw-0.7.0-shm-only.patch (built by build-xdpw.sh and
#            cached in $PWZC_PEERS_CACHE, default $TESTS_BUILDDIR/peers-cache): Start answers 0
#            and the stream offers BGRx 1280x720, SHM (MemFd) only, no modifier property.
# From xdg-desktop-portal-wlr 0.8 on, the stock binary is both: it captures through
# ext-image-copy-capture, which a pixman compositor answers with SHM formats, so it streams
# without the patch (stock_xdpw_streams_without_gpu). There `patched` is the stock binary, and
# `stock` no longer shows the 0.7 failure.
# Exports WAYLAND_DISPLAY, SWAYSOCK and XDPW_EXITS_ON_CORE_ERROR (yes/no: read in the binary).
# Everything is started with start_bg, so lib.sh's cleanup
# stops it.

PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEERS_CACHE=${PWZC_PEERS_CACHE:-${TESTS_BUILDDIR:-$TESTS_SRCDIR}/peers-cache}
STOCK_XDPW=/usr/libexec/xdg-desktop-portal-wlr
XDP=/usr/libexec/xdg-desktop-portal

# Does the stock xdpw stream from a compositor without a GPU? 0.7.x asks wlr-screencopy for a
# DMA-BUF format and answers Start with 2 on pixman (upstream issue #289); 0.8 captures through
# ext-image-copy-capture and takes the SHM format it is given (seen: 0.8.4 on sway 1.12, Debian
# forky). xdpw has no --version: the protocol's interface name in the binary says it.
stock_xdpw_streams_without_gpu() {
    [ -x "$STOCK_XDPW" ] && grep -q -a ext_image_copy_capture_manager_v1 "$STOCK_XDPW"
}

# have_sway_portal [VARIANT]: can this machine run the stack (for VARIANT; without one, for both)?
have_sway_portal() {
    local v=${1:-}
    command -v sway && command -v swaymsg && command -v foot && command -v gdbus &&
        [ -x "$XDP" ] || return 1
    [ "$(id -u)" != 0 ] || command -v setpriv || return 1
    if [ -z "$v" ] || [ "$v" = stock ]; then [ -x "$STOCK_XDPW" ] || return 1; fi
    if [ "$v" = patched ] && stock_xdpw_streams_without_gpu; then return 0; fi
    if [ -z "$v" ] || [ "$v" = patched ]; then
        # either built already, or buildable (build-xdpw.sh also needs a Debian mirror)
        [ -x "$PEERS_CACHE/xdg-desktop-portal-wlr" ] || {
            command -v apt-get && command -v dpkg-source && command -v meson && command -v ninja &&
                command -v cc && command -v patch && command -v flock &&
                pkg-config --exists libpipewire-0.3 wayland-client wayland-protocols inih gbm \
                    libdrm libsystemd
        } || return 1
    fi
} >/dev/null 2>&1

# Is NAME owned on the session bus? (Our bus activates nothing, so this is the daemon itself.)
bus_has_name() {
    gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
        -m org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

# peer_wait PID TRIES CMD...: like wait_for, but fails at once when PID (the peer) has died,
# rather than waiting out the timeout.
peer_wait() {
    local pid=$1 tries=$2 i; shift 2
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || fail "peer (pid $pid) exited while waiting for: $*"
        sleep 0.05
    done
    fail "timed out waiting for: $*"
}

sway_shows_foot() { swaymsg -t get_tree | grep -q '"app_id": "foot"'; }

# ready = the frontend exports ScreenCast and has read the backend's source types (non-zero)
portal_screencast_ready() {
    gdbus call --session -d org.freedesktop.portal.Desktop -o /org/freedesktop/portal/desktop \
        -m org.freedesktop.DBus.Properties.Get org.freedesktop.portal.ScreenCast \
        AvailableSourceTypes | grep -q "uint32 [1-9]"
}

start_sway_portal() {
    local variant=${1:?start_sway_portal patched|stock} xdpw
    case $variant in
    stock) xdpw=$STOCK_XDPW ;;
    patched)
        if stock_xdpw_streams_without_gpu; then
            xdpw=$STOCK_XDPW
        else
            # a no-op when the cached binary is newer than the patch; otherwise ~10 s (apt + build)
            "$PEERS_DIR/build-xdpw.sh" "$PEERS_CACHE" >"$T/logs/build-xdpw.log" 2>&1 ||
                fail "build-xdpw.sh failed (see $T/logs/build-xdpw.log)"
            xdpw=$PEERS_CACHE/xdg-desktop-portal-wlr
        fi ;;
    *) fail "start_sway_portal: unknown variant '$variant' (patched or stock)" ;;
    esac
    start_sway
    start_portals "$xdpw"
}

# start_sway: sway headless (pixman) with foot redrawing, without the portals; exports
# WAYLAND_DISPLAY and SWAYSOCK. For a client that needs a Wayland display but gets its screencast
# from elsewhere (tests/peers/fake-screencast.py), or a test of another portal backend on sway.
start_sway_compositor() { start_sway "$@"; }
start_sway() {
    local pid sr=$T/sway-run
    local -a drop=()
    # sway refuses to run as root: as root, run it as nobody (65534). It then needs a runtime
    # dir of its own that it can write its sockets into, and $T (mktemp, 0700) must be
    # traversable to reach that dir and its config. Root clients reach sway's sockets anyway.
    mkdir -m 700 "$sr"
    if [ "$(id -u)" = 0 ]; then
        chmod o+x "$T"
        chown 65534:65534 "$sr"
        drop=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    # no Xwayland (nothing needs it); the headless backend's one output, at a fixed size
    printf '%s\n' 'xwayland disable' 'output HEADLESS-1 resolution 1280x720 position 0,0' \
        >"$T/sway.conf"
    chmod 644 "$T/sway.conf"
    # headless backend, software (pixman) renderer, no input devices: no GPU, no seat, no display
    start_bg sway env XDG_RUNTIME_DIR="$sr" WLR_BACKENDS=headless WLR_RENDERER=pixman \
        WLR_LIBINPUT_NO_DEVICES=1 "${drop[@]}" sway -c "$T/sway.conf"
    pid=${PIDS[-1]}
    peer_wait "$pid" 200 compgen -G "$sr/sway-ipc.*.sock"
    peer_wait "$pid" 200 compgen -G "$sr/wayland-[0-9]"
    # sway's sockets live outside our XDG_RUNTIME_DIR: clients get absolute paths (libwayland
    # accepts an absolute WAYLAND_DISPLAY)
    WAYLAND_DISPLAY=$(compgen -G "$sr/wayland-[0-9]" | head -n 1)
    SWAYSOCK=$(compgen -G "$sr/sway-ipc.*.sock" | head -n 1)
    export WAYLAND_DISPLAY SWAYSOCK
    peer_wait "$pid" 200 swaymsg -t get_outputs

    # Frames are damage-driven: a static screen gives none. A terminal printing the time every
    # 20 ms keeps them coming (weston-simple-shm aborts under pixman sway; foot copes). When foot
    # exits its shell gets SIGHUP and ends too.
    start_bg foot foot sh -c 'while :; do date +%T.%N; sleep 0.02; done'
    peer_wait "$pid" 200 sway_shows_foot
}

# start_portals XDPW: the backend XDPW and xdg-desktop-portal, on the sway that start_sway ran.
start_portals() {
    local xdpw=$1
    # The backend first: xdg-desktop-portal reads the backend's AvailableSourceTypes once, when
    # it starts, and caches 0 forever if the backend is not on the bus yet.
    # chooser_type=none + output_name: no interactive output chooser, always HEADLESS-1;
    # max_fps=30: a known frame-rate cap (60 without it).
    printf '%s\n' '[screencast]' 'chooser_type=none' 'output_name=HEADLESS-1' 'max_fps=30' \
        >"$T/xdpw.conf"
    # Whether this xdpw exits when PipeWire sends its core an error (0.7.1 on: "fatal error event
    # from core"; 0.7.0 has no such handler): on 1.x a refused link sends the producer one.
    XDPW_EXITS_ON_CORE_ERROR=no
    grep -qa "fatal error event from core" "$xdpw" && XDPW_EXITS_ON_CORE_ERROR=yes
    export XDPW_EXITS_ON_CORE_ERROR
    XDPW_BIN=$xdpw
    launch_xdpw xdpw
    # As a desktop installs it: a D-Bus service that starts the backend again on the next
    # request after it exits (only where the test's bus reads service files: BUS_SERVICE_DIR).
    if [ -n "${BUS_SERVICE_DIR:-}" ]; then
        printf '#!/bin/sh\nexec env WAYLAND_DISPLAY=%s XDG_RUNTIME_DIR=%s %s -l DEBUG -c %s >>%s 2>&1\n' \
            "$WAYLAND_DISPLAY" "$XDG_RUNTIME_DIR" "$xdpw" "$T/xdpw.conf" "$T/logs/xdpw-activated.log" \
            >"$T/xdpw-activate"
        chmod +x "$T/xdpw-activate"
        printf '[D-BUS Service]\nName=org.freedesktop.impl.portal.desktop.wlr\nExec=%s\n' \
            "$T/xdpw-activate" >"$BUS_SERVICE_DIR/org.freedesktop.impl.portal.desktop.wlr.service"
        gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
            -m org.freedesktop.DBus.ReloadConfig >/dev/null
    fi

    # Portal 1.16 picks its backends by matching XDG_CURRENT_DESKTOP against UseIn= in
    # /usr/share/xdg-desktop-portal/portals/wlr.portal. A system bus that is not there keeps the
    # host's system services (geoclue, rtkit...) out of the test, as on a machine without one.
    start_bg xdp env XDG_CURRENT_DESKTOP=sway "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        "$XDP" -v
    peer_wait "${PIDS[-1]}" 200 portal_screencast_ready
}

# xdpw_losses: how many times an xdpw of this test lost its Wayland connection (sway ends a client
# that breaks a protocol: xdpw 0.8.4 starting a second ext-image-copy-capture frame while one is
# out, "session already has a frame object"), counted in the logs of the first xdpw and of those
# D-Bus activation started. xdpw says it either way, as the error reaches it.
xdpw_losses() {
    cat "$T"/logs/xdpw*.log 2>/dev/null |
        awk '/disconnected from wayland|wl_display_dispatch failed/ { n++ } END { print n + 0 }'
}

# xdpw_log_lines: where the logs of this test's xdpw stand now (for the *_since helpers).
xdpw_log_lines() {
    cat "$T"/logs/xdpw*.log 2>/dev/null | wc -l
}

# xdpw_log_since N: what the logs of this test's xdpw said after their first N lines.
xdpw_log_since() {
    cat "$T"/logs/xdpw*.log 2>/dev/null | tail -n +"$(($1 + 1))"
}

# xdpw_stuck_since N: 0 when xdpw, since its logs had N lines, kept finding every buffer taken
# ("out of buffers", 50 times or more): its capture loop has stopped for good. xdpw 0.7.0
# (Debian 13) ends so, about one session in two there, when a client pauses its stream as it
# starts (pipewiresrc 1.4): it goes on capturing and queueing into the paused graph, which takes
# no buffer back, and the trigger of its queue is lost while paused. Nothing restarts the graph
# then; the client waits in silence.
xdpw_stuck_since() {
    [ "$(xdpw_log_since "$1" | grep -c "out of buffers" || true)" -ge 50 ]
}

# xdpw_took_no_format_since N: 0 when xdpw, since its logs had N lines, returned a node to a
# Start and never took a format for it ("Format negotiated"). Seen in the forky root with OBS
# 32.2.2 and xdpw 0.8.4 on PipeWire 1.6.9, one session in a few while another test loaded the
# machine: OBS's side of the link got its format, xdpw's never came, the link stayed negotiating
# and OBS paused, in silence, until the session closed; xdpw served the next session normally.
xdpw_took_no_format_since() {
    xdpw_log_since "$1" | awk '/start: returning node/ { node = 1 } /Format negotiated/ { took = 1 }
        END { exit !(node && !took) }'
}

# xdpw_session_again WHO START RACED STOP: runs START (a client's session through real xdpw); when
# RACED, given where xdpw's logs stood before it, says the session was the producer's race (xdpw
# never took its side of the link's format: xdpw_took_no_format_since), STOP closes it and START
# runs again, up to 3 sessions in all. The client is left running.
xdpw_session_again() {
    local try since
    for try in 1 2 3; do
        since=$(xdpw_log_lines)
        "$2" "$try"
        "$3" "$since" || return 0
        [ "$try" -lt 3 ] || fail "xdpw never took the format of $1's link, 3 sessions in 3"
        note "$1's session $try: xdpw never took the format of its link: again"
        "$4" "$try"
    done
}

# xdpw_activatable: before start_stack. A backend that exits is started again by D-Bus activation,
# as on a desktop (start_portals writes its service file; xdpw_revive asks for it). An activated
# backend is the bus's child, not the test's: it is ended by its unique config path.
xdpw_activatable() {
    export BUS_SERVICE_DIR=$T/services
    mkdir -p "$BUS_SERVICE_DIR"
    trap 'rc=$?; pkill -f -- "$T/xdpw.conf" 2>/dev/null; (exit $rc); cleanup' EXIT
}

# xdpw_back_if_gone WHEN: when xdpw leaves the bus within a second, a note saying it exited WHEN,
# and the backend started again (xdpw_activatable). Seen: xdpw 0.8.4 killed by SIGSEGV as it
# destroyed the stream of a session whose client (OBS) had been killed, in its state callback.
xdpw_back_if_gone() {
    local i
    for ((i = 0; i < 20; i++)); do
        if ! bus_has_name org.freedesktop.impl.portal.desktop.wlr; then
            note "xdpw exited $1: started again"
            xdpw_revive
            return 0
        fi
        sleep 0.05
    done
}

# launch_xdpw LOG: start_portals' backend ($XDPW_BIN, $T/xdpw.conf), logging to LOG.log, on the bus.
launch_xdpw() {
    start_bg "$1" "$XDPW_BIN" -l DEBUG -c "$T/xdpw.conf"
    peer_wait "${PIDS[-1]}" 200 bus_has_name org.freedesktop.impl.portal.desktop.wlr
}

# xdpw_start_again: the backend started again as start_portals started it, after it died where
# the test's bus activates nothing (a crash the test did not expect); its log is xdpw-again.log.
xdpw_start_again() { launch_xdpw xdpw-again; }

# run_pwzc_through_xdpw ARGS...: run_pwzc ARGS, and once more on an xdpw started again when the
# run failed and xdpw is gone (it died before or during the run: pwzc names it, exit 13 where it
# saw it go, or the portal found no backend, exit 12). xdpw 0.7.0 (Debian 13's patched peer) and
# 0.8.4 (forky) were each seen killed by SIGSEGV under CI's load as they destroyed a closed
# session's stream, in its state callback: the crash is xdpw's, not a verdict. Only for runs
# that refuse the producer nothing (a refused link's exit is a verdict on 1.x); a second crash
# is left to the caller's expect_rc.
run_pwzc_through_xdpw() {
    run_pwzc "$@"
    if [ "$RC" != 0 ] && ! bus_has_name org.freedesktop.impl.portal.desktop.wlr; then
        note "xdpw is gone ($(cat "$T/err")); once more on an xdpw started again"
        xdpw_start_again
        run_pwzc "$@"
    fi
}

# xdpw_died_closing: xdpw is off the bus and its log ends in the teardown of a closed session's
# stream, the crash above, not an exit of its own (on a refused link it logs the core error).
xdpw_died_closing() {
    local log
    ! bus_has_name org.freedesktop.impl.portal.desktop.wlr || return 1
    log=$(ls -t "$T"/logs/xdpw*.log 2>/dev/null | head -n 1)
    [ -n "$log" ] && tail -n 8 "$log" | grep -q "pipewire: destroying stream" &&
        ! tail -n 8 "$log" | grep -q -i "core error"
}

# xdpw_revive: the backend on the bus again after it exited, started as a desktop's service file
# starts it (xdg-desktop-portal's next request would, but fails the one that found it gone).
xdpw_revive() {
    local i
    gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
        -m org.freedesktop.DBus.StartServiceByName org.freedesktop.impl.portal.desktop.wlr 0 \
        >/dev/null 2>&1 || true
    for ((i = 0; i < 200; i++)); do
        bus_has_name org.freedesktop.impl.portal.desktop.wlr && return 0
        sleep 0.05
    done
    fail "xdg-desktop-portal-wlr did not come back on the bus"
}

# portal_screencast_node: the node id of xdpw's one screencast node, or nothing.
portal_screencast_node() {
    pw-dump 2>/dev/null | json /dev/stdin "next((o['id'] for o in d if o['type'].endswith(':Node')
        and o.get('info') and o['info']['props'].get('media.class') == 'Video/Source'), '')"
}

# portal_consumer_port NAME: waits until a consumer is linked to xdpw's node with its Buffers
# param set, and keeps that input port's params (tests/port-params) in $T/NAME.
portal_consumer_port() {
    local i node
    for ((i = 0; i < 300; i++)); do
        if pw-dump >"$T/dump.json" 2>/dev/null; then
            node=$(json "$T/dump.json" "next((o['id'] for o in d if o['type'].endswith(':Node')
                and o.get('info') and o['info']['props'].get('media.class') == 'Video/Source'), '')")
            [ -n "$node" ] && "$TESTS_SRCDIR/port-params" "$T/dump.json" "$node" >"$T/$1" &&
                return 0
        fi
        sleep 0.05
    done
    cat "$T/$1" 2>/dev/null || true
    fail "$1: no consumer linked to xdpw's node with its Buffers param"
}

# no_portal_node: true once xdpw has no screencast node (a closed session's node is gone).
no_portal_node() { [ -z "$(portal_screencast_node)" ]; }
