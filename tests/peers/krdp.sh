# Sourced by integration tests, after tests/lib.sh, start_stack, tests/peers/kwin-portal.sh and
# start_kwin: real krdp 6.7 (KDE's RDP server, krdpserver) on the test's KWin, capturing through
# KWin's own screencast protocol (zkde_screencast_unstable_v1, through KPipeWire) rather than the
# portal, and a real FreeRDP 3 client (xfreerdp3 in an Xvfb of its own) that connects to it, so
# that krdp asks KWin for a stream. Debian packages: krdp kwin-wayland qt6-wayland freerdp3-x11
# xvfb xauth openssl (tests/roots/sid.conf).
#
#   have_krdp || peer_missing ...
#   start_krdp             krdp listening on $KRDP_PORT; its PID in $KRDP_PID, its log $KRDP_LOG
#   start_krdp_client      FreeRDP connects; returns once KWin answered krdp's stream request
#   krdp_stream_created    KWin made the stream (else it sent `failed`: krdp_stream_failure)
#   krdp_node, krdp_encoding   the KWin node krdp consumes, the encoding krdp chose
#
# Configuration, as krdp 6.7.4's source reads it (KDE/krdp v6.7.4, server/main.cpp):
# - --plasma (main.cpp:53-55, :129; built in by default, CMakeLists.txt:37): a
#   PlasmaScreencastV1Session, which asks KWin itself for the stream (src/screencasting.cpp,
#   zkde_screencast_unstable_v1) and injects input through org_kde_kwin_fake_input. Without it
#   krdp goes through the RemoteDesktop portal, whose xdg-desktop-portal-kde shows a dialog that
#   nobody answers here. KWin grants those restricted interfaces from krdp's desktop file
#   (org.kde.krdpserver.desktop: X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input,
#   zkde_screencast_unstable_v1), as it does xdg-desktop-portal-kde's: no permission switch.
# - -u/-p (main.cpp:96-101): one user from the command line; otherwise the users come from the
#   KCM's list with passwords in a keyring through QtKeychain (:103-127), which the test has not.
# - --certificate/--certificate-key (:85-86, :93-94): a TLS certificate and key must exist, or
#   start() refuses to run ("A valid TLS certificate ... is required", src/Server.cpp:52-56);
#   the help's "a temporary certificate will be generated" is not what 6.7.4 does.
# - --address 127.0.0.1 and --port: main.cpp listens on 0.0.0.0:3389 unless told (:80-84, :90-91).
# - No --monitor nor --virtual-monitor: with one output, createWorkspaceStream asks for that
#   output's stream (PlasmaScreencastV1Session.cpp:173-196; screencasting.cpp:121-137), as
#   xdg-desktop-portal-kde does for a monitor.
# krdp starts the session when an RDP client connects (SessionController.cpp:132-158) and
# closes the connection when KWin answers the stream request with `failed`, without logging
# KWin's reason: WAYLAND_DEBUG=client keeps krdp's side of the Wayland conversation in its log,
# where the request and KWin's answer are read.
# Everything is started with start_bg, so lib.sh's cleanup stops it.

# start_freerdp_client
. "$TESTS_SRCDIR/peers/freerdp.sh"

KRDP_USER=pwzc
KRDP_PASSWORD=pwzc-referee
# Not 3389 (a desktop's own RDP server), nor grd's 3399.
KRDP_PORT=3398
KRDP_CLIENT_SIZE=1024x768

have_krdp() {
    command -v krdpserver && command -v xfreerdp3 && command -v Xvfb && command -v openssl
} >/dev/null 2>&1

start_krdp() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -keyout "$T/krdp-tls.key" -out "$T/krdp-tls.crt" >"$T/logs/openssl.log" 2>&1 ||
        fail "openssl could not make krdp's TLS certificate"
    KRDP_LOG=$T/logs/krdp.log
    # Qt on KWin's socket (WAYLAND_DISPLAY from start_kwin); krdp's and KPipeWire's debug lines
    # (which encoding, which node) on.
    start_bg krdp env QT_QPA_PLATFORM=wayland WAYLAND_DEBUG=client \
        QT_LOGGING_RULES='org.kde.krdp*=true;kpipewire*=true' \
        "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        krdpserver --plasma --address 127.0.0.1 --port "$KRDP_PORT" \
        -u "$KRDP_USER" -p "$KRDP_PASSWORD" \
        --certificate "$T/krdp-tls.crt" --certificate-key "$T/krdp-tls.key"
    KRDP_PID=${PIDS[-1]}
    krdp_wait 400 grep -q "Listening for connections on" "$KRDP_LOG"
}

# krdp_log: krdp's log as the test's log quotes it: its own and FreeRDP's lines, and of its
# Wayland conversation (libwayland's "[TIME] {QUEUE} ..." lines, hundreds) the screencast's.
krdp_log() {
    sed -e '/^\[[0-9:.]*\] {/{/zkde_screencast/!d;}' -e 's/^/#   /' "$KRDP_LOG"
}

# krdp_wait TRIES CMD...: peer_wait on krdp, whose failure quotes krdp_log (the tail that
# lib.sh's cleanup shows is Wayland debug lines).
krdp_wait() {
    local tries=$1 i
    shift
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$KRDP_PID" 2>/dev/null || break
        sleep 0.05
    done
    note "krdp's log:"
    krdp_log
    kill -0 "$KRDP_PID" 2>/dev/null || fail "krdp (pid $KRDP_PID) exited while waiting for: $*"
    fail "timed out waiting for: $*"
}

# KWin's answer to krdp's stream request, in krdp's Wayland log: created(NODE) or failed(WHY).
krdp_stream_created() { grep -q "zkde_screencast_stream_unstable_v1#[0-9]*\.created(" "$KRDP_LOG"; }
krdp_stream_failed() { grep -q "zkde_screencast_stream_unstable_v1#[0-9]*\.failed(" "$KRDP_LOG"; }
krdp_stream_answered() { krdp_stream_created || krdp_stream_failed; }

# krdp_stream_failure: KWin's reason, as its failed event carried it.
krdp_stream_failure() {
    sed -n 's/.*zkde_screencast_stream_unstable_v1#[0-9]*\.failed("\(.*\)")$/\1/p' "$KRDP_LOG" |
        head -n 1
}

# krdp_node: the KWin node of the stream KWin made for krdp.
krdp_node() {
    sed -n 's/.*zkde_screencast_stream_unstable_v1#[0-9]*\.created(\([0-9]*\))$/\1/p' "$KRDP_LOG" |
        tail -n 1
}

# krdp_encoding: the encoding krdp chose for the RDP client's graphics (VideoStream.cpp:601):
# h264 or progressive.
krdp_encoding() {
    sed -n 's/.*Selected encoding mode: *"\{0,1\}\([a-z0-9]*\).*/\1/p' "$KRDP_LOG" | tail -n 1
}
krdp_encoding_chosen() { [ -n "$(krdp_encoding)" ]; }

# krdp requires the graphics pipeline and desktop resize (RdpConnection.cpp:493-518), which
# FreeRDP 3 offers unasked.
start_krdp_client() {
    start_freerdp_client "$KRDP_PORT" "$KRDP_USER" "$KRDP_PASSWORD" "$KRDP_CLIENT_SIZE"
    krdp_wait 600 krdp_stream_answered
}
