# Sourced by integration tests, after tests/lib.sh, start_stack, tests/peers/mutter.sh and
# start_mutter: real gnome-remote-desktop (51.0 in the sid root) in headless mode against the
# test's Mutter, with RDP on, and a real FreeRDP 3 client (xfreerdp3 in an Xvfb of its own) that
# connects to it, so that grd opens its screencast of Mutter and consumes its PipeWire node.
# Debian packages: gnome-remote-desktop freerdp3-x11 xvfb xauth openssl (tests/roots/sid.conf).
#
#   have_grd || peer_missing ...
#   start_grd            grd listening on $GRD_PORT; its PID in $GRD_PID, its log $GRD_LOG
#   start_freerdp        FreeRDP connects; returns once grd's PipeWire stream is streaming
#   grd_node             the Mutter node grd's stream consumes (from grd's own log)
#
# Configuration, as grd 51's source reads it (src/grd-settings-headless.c, src/grd-ctl.c):
# - headless mode reads org.gnome.desktop.remote-desktop.rdp.headless (enable, port...) and
#   tls-cert/tls-key of org.gnome.desktop.remote-desktop.rdp. GSettings' keyfile backend in the
#   test's own XDG_CONFIG_HOME carries what grdctl writes to the daemon: the memory backend
#   Mutter uses would keep it inside grdctl.
# - `grdctl --headless rdp enable` first asks systemd to enable
#   gnome-remote-desktop-headless.service and gives up when there is no systemd (there is none
#   on the test's bus), so the enable key is set with gsettings, which is all the daemon reads.
# - credentials: with no TPM, grd (and grdctl) keep them in a GKeyFile under
#   XDG_DATA_HOME ("Init TPM credentials failed ... using GKeyFile as fallback"): no keyring,
#   no prompt.
# - headless grd shares in "extend" mode: for each monitor of the RDP client it asks Mutter for
#   a virtual monitor (RecordVirtual) of the client's size, not for the existing Meta-0.
# Everything is started with start_bg, so lib.sh's cleanup stops it.

GRD_DAEMON=/usr/libexec/gnome-remote-desktop-daemon
GRD_USER=pwzc
GRD_PASSWORD=pwzc-referee
# Not 3389: a desktop running the test may have its own RDP server there (negotiate-port would
# move grd elsewhere silently; it is turned off so that the port is known).
GRD_PORT=3399
# The RDP client's monitor, and so the size of grd's virtual monitor in Mutter.
GRD_CLIENT_SIZE=1024x768

have_grd() {
    [ -x "$GRD_DAEMON" ] && command -v grdctl && command -v xfreerdp3 && command -v Xvfb &&
        command -v openssl && command -v gsettings
} >/dev/null 2>&1

grdctl_headless() {
    grdctl --headless "$@" >>"$T/logs/grdctl.log" 2>&1 || fail "grdctl --headless $* failed"
}

start_grd() {
    export GSETTINGS_BACKEND=keyfile XDG_DATA_HOME=$T/home/.local/share
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -keyout "$T/grd-tls.key" -out "$T/grd-tls.crt" >"$T/logs/openssl.log" 2>&1 ||
        fail "openssl could not make grd's TLS certificate"
    grdctl_headless rdp set-tls-cert "$T/grd-tls.crt"
    grdctl_headless rdp set-tls-key "$T/grd-tls.key"
    grdctl_headless rdp set-credentials "$GRD_USER" "$GRD_PASSWORD"
    grdctl_headless rdp set-port "$GRD_PORT"
    grdctl_headless rdp disable-port-negotiation
    grdctl_headless rdp disable-view-only
    gsettings set org.gnome.desktop.remote-desktop.rdp.headless enable true
    grdctl --headless status --show-credentials >"$T/grd-status" 2>&1
    grep -q "Status: enabled" "$T/grd-status" && grep -q "Username: $GRD_USER" "$T/grd-status" ||
        fail "grd is not configured: $(cat "$T/grd-status")"
    GRD_LOG=$T/logs/grd.log
    # G_MESSAGES_DEBUG: grd says in debug messages which node it streams and its stream's states.
    start_bg grd env G_MESSAGES_DEBUG=all "$GRD_DAEMON" --headless
    GRD_PID=${PIDS[-1]}
    peer_wait "$GRD_PID" 400 grd_listens
}

# Not a connection to the port: grd would take it for an RDP client.
grd_listens() { grep -q "RDP server started" "$GRD_LOG"; }

start_freerdp() {
    local display=:$((50 + RANDOM % 900))
    start_bg xvfb Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp
    FREERDP_X_PID=${PIDS[-1]}
    peer_wait "$FREERDP_X_PID" 200 test -S "/tmp/.X11-unix/X${display#:}"
    # /cert:ignore: the certificate is the test's own, made a second ago.
    start_bg freerdp env DISPLAY="$display" xfreerdp3 "/v:127.0.0.1:$GRD_PORT" \
        "/u:$GRD_USER" "/p:$GRD_PASSWORD" /cert:ignore "/size:$GRD_CLIENT_SIZE" /log-level:INFO
    FREERDP_PID=${PIDS[-1]}
    peer_wait "$FREERDP_PID" 600 grep -q "stream state changed from paused to streaming" "$GRD_LOG"
}

# grd_node: the node id grd's layout manager created its stream for.
grd_node() {
    sed -n 's/.*Layout manager: Creating PipeWire stream for node id \([0-9]*\).*/\1/p' "$GRD_LOG" |
        tail -n 1
}
