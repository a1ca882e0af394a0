# Sourced by integration tests, after tests/lib.sh, start_stack, tests/peers/mutter.sh (its
# peer_wait) and start_mutter, or a stand-in for Mutter's D-Bus side (tests/peers/
# fake-screencast.py --api remote-desktop): real gnome-remote-desktop (51.0 in the sid root) in
# headless mode against the test's Mutter, with RDP on, and a real FreeRDP 3 client (xfreerdp3
# in an Xvfb of its own) that connects to it, so that grd opens its screencast of Mutter and
# consumes its PipeWire node.
# Debian packages: gnome-remote-desktop freerdp3-x11 xvfb xauth openssl (tests/roots/sid.conf).
#
#   have_grd || peer_missing ...
#   start_grd [NAME]     grd listening on $GRD_PORT; its PID in $GRD_PID, its log $GRD_LOG
#                        ($T/logs/NAME.log, default grd)
#   start_freerdp        FreeRDP connects; returns once grd's PipeWire stream is streaming
#   connect_freerdp      FreeRDP connects; returns once grd made its PipeWire stream for a node
#   grd_node             the Mutter node grd's stream consumes (from grd's own log)
#   grd_outcome NODE     GRD_OUTCOME: "frames" or "none", whether grd got frames from NODE;
#                        why in GRD_WHY
#   stop_grd             stops FreeRDP, its Xvfb and grd (not the stack, not Mutter)
#   grd_client_here SIZE FILE  the gnome-remote-desktop-rdp profile as this grd makes it
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

# start_freerdp_client
. "$TESTS_SRCDIR/peers/freerdp.sh"

GRD_DAEMON=/usr/libexec/gnome-remote-desktop-daemon
GRD_USER=pwzc
GRD_PASSWORD=pwzc-referee
# Not 3389: a desktop running the test may have its own RDP server there (negotiate-port would
# move grd elsewhere silently; it is turned off so that the port is known).
GRD_PORT=3399
# The RDP client's monitor, and so the size of grd's virtual monitor in Mutter (a test may set
# another before start_freerdp).
GRD_CLIENT_SIZE=1024x768

have_grd() {
    [ -x "$GRD_DAEMON" ] && command -v grdctl && command -v xfreerdp3 && command -v Xvfb &&
        command -v openssl && command -v gsettings
} >/dev/null 2>&1

grdctl_headless() {
    grdctl --headless "$@" >>"$T/logs/grdctl.log" 2>&1 || fail "grdctl --headless $* failed"
}

# Once per test: the keyfile, the certificate and the credentials outlive a grd that is stopped.
configure_grd() {
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
}

start_grd() {
    local name=${1:-grd}
    [ -e "$T/grd-status" ] || configure_grd
    GRD_LOG=$T/logs/$name.log
    # G_MESSAGES_DEBUG: grd says in debug messages which node it streams and its stream's states.
    start_bg "$name" env G_MESSAGES_DEBUG=all "$GRD_DAEMON" --headless
    GRD_PID=${PIDS[-1]}
    peer_wait "$GRD_PID" 400 grd_listens
}

# Not a connection to the port: grd would take it for an RDP client.
grd_listens() { grep -q "RDP server started" "$GRD_LOG"; }

connect_freerdp() {
    start_freerdp_client "$GRD_PORT" "$GRD_USER" "$GRD_PASSWORD" "$GRD_CLIENT_SIZE"
    peer_wait "$FREERDP_PID" 600 grep -q "Layout manager: Creating PipeWire stream" "$GRD_LOG"
}

start_freerdp() {
    connect_freerdp
    peer_wait "$FREERDP_PID" 600 grep -q "stream state changed from paused to streaming" "$GRD_LOG"
}

stop_grd() {
    kill "$FREERDP_PID" "$FREERDP_X_PID" "$GRD_PID" 2>/dev/null || true
    wait "$FREERDP_PID" "$FREERDP_X_PID" "$GRD_PID" 2>/dev/null || true
}

# grd_node: the node id grd's layout manager created its stream for.
grd_node() {
    sed -n 's/.*Layout manager: Creating PipeWire stream for node id \([0-9]*\).*/\1/p' "$GRD_LOG" |
        tail -n 1
}

# grd_outcome NODE: whether grd got frames from NODE (GRD_OUTCOME "frames" or "none", and why
# in GRD_WHY): its stream reached Streaming within 15 s, pwzc watch sees its link to NODE work with
# frames/s > 0 (the link's consumer being grd), and grd sent a first frame on to the RDP client
# (its metrics' "First frame"). A stream that fails (PipeWire 1.x sends the consumer "no more
# input formats"), or stays in Paused, got none.
grd_outcome() {
    local node=$1 i link consumer verdict fps why
    for ((i = 0; i < 300; i++)); do
        grep -q "stream state changed from paused to streaming\|PipeWire stream error" "$GRD_LOG" &&
            break
        sleep 0.05
    done
    if ! grep -q "stream state changed from paused to streaming" "$GRD_LOG"; then
        GRD_WHY=$(grep -o "PipeWire stream error: .*" "$GRD_LOG" | head -n 1)
        GRD_WHY=${GRD_WHY:-"its stream did not reach Streaming in 15 s"}
        GRD_OUTCOME=none
        return 0
    fi
    run_pwzc watch --once --interval 2 --json --node "$node"
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "watch exit $RC"; }
    validate pwzc-watch.schema.json "$T/out"
    cp "$T/out" "$T/watch.json"
    link="next(l for l in d['links'] if l['producer']['node_id'] == $node)"
    consumer=$(json "$T/watch.json" "$link['consumer']['name']")
    [ "$consumer" = gnome-remote-desktop-daemon ] || fail "node $node feeds '$consumer', not grd"
    verdict=$(json "$T/watch.json" "$link['verdict']")
    fps=$(json "$T/watch.json" "$link['frames_per_s']")
    why=$(json "$T/watch.json" "$link['reason']")
    GRD_WHY="its link from node $node: $verdict, $fps frames/s ($why)"
    if [ "$verdict" = works ] && /usr/bin/python3 -c "import sys; sys.exit(not float('$fps') > 0)" &&
        grep -q "Metrics: First frame" "$GRD_LOG"; then
        GRD_OUTCOME=frames
    else
        GRD_OUTCOME=none
    fi
}

# grd_client_here SIZE FILE: FILE becomes the gnome-remote-desktop-rdp profile as this grd (its
# log, $GRD_LOG) makes it, for a virtual monitor of SIZE (WxH): grd 51 sends the modifier pod and DmaBuf only
# when its EGL thread starts (grd-rdp-pipewire-stream.c, add_format_params,
# allowed_buffer_types); on a machine without a GPU it does not ("Failed to create EGL thread",
# logged when grd starts), and grd then sends the plain pod and MemFd alone. A virtual monitor's
# pod has a fixed size, the RDP client's monitor.
grd_client_here() {
    local egl=yes
    if grep -q "Failed to create EGL thread" "$GRD_LOG"; then egl=no; fi
    note "grd here: EGL thread $egl, virtual monitor $1"
    /usr/bin/python3 - "$PWZC_DATADIR/clients/gnome-remote-desktop-rdp.client" "$1" "$egl" \
        >"$2" <<'PY' ||
import re, sys
text, size, egl = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3] == "yes"
head, *formats = re.split(r"(?m)^(?=\[format\]$)", text)
if egl:
    keep = formats
else:
    head, n1 = re.subn(r"(?m)^data-types = memfd, dmabuf$", "data-types = memfd", head)
    head, n2 = re.subn(r"(?m)^data-types-plain = memfd, dmabuf$", "data-types-plain = memfd", head)
    keep = [f for f in formats if re.search(r"(?m)^modifiers = none$", f)]
    if (n1, n2, len(keep)) != (1, 1, 1):
        sys.exit("the profile no longer reads 'data-types(-plain) = memfd, dmabuf', one plain pod")
out = []
for f in keep:
    f, n = re.subn(r"(?m)^size = 1x1 1x1\.\.2147483647x2147483647$", "size = " + size, f)
    if n != 1:
        sys.exit("a pod of the profile no longer reads 'size = 1x1 1x1..2147483647x2147483647'")
    out.append(f)
sys.stdout.write(head + "".join(out))
PY
        fail "cannot make the gnome-remote-desktop-rdp profile as grd makes it here"
}
