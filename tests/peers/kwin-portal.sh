# Sourced by integration tests, after tests/lib.sh and start_stack: a real KWin 6 headless
# (`kwin_wayland --virtual`) + xdg-desktop-portal-kde + xdg-desktop-portal, as the peer for
# org.freedesktop.portal.ScreenCast on Plasma. Debian packages: tests/roots/forky.conf (KWin 6.7
# is not packaged for Debian 12 or 13).
#
#   have_kwin_portal || exit 77
#   start_kwin_portal       # KWin, foot, the permission store, xdg-desktop-portal-kde, the portal
#   (have_kwin and start_kwin: KWin and foot alone, for a client of KWin's own screencast
#   protocol: tests/peers/krdp.sh; start_kwin_portal_services adds the rest to that KWin)
#   pwzc probe --portal --restore ...
#
# No dialog: xdg-desktop-portal-kde shows a screen chooser on Start unless SelectSources brought
# restore data that names outputs it still has (screencast.cpp, ScreenCastPortal::Start). The
# frontend turns a client's restore_token into that data by looking the token up in the
# permission store's "screencast" table (xdp-session-persistence.c), where it saved the data the
# backend returned last time. kwin_seed_restore_token writes such an entry, as a user's first
# "Allow restoring" would have, and leaves the token where `pwzc --restore` reads it: every
# session then starts without a dialog, and each Start stores the data back under the same token.
#
# KWin screencasts only with OpenGL compositing (screencastmanager.cpp: any other compositing
# type answers "Unsupported compositing type"), and its OpenGL needs a DRM device: the virtual
# backend opens a render node (or vgem's primary node, as KWin's CI does) through drmGetDevices2
# and falls back to QPainter without one (virtual_backend.cpp). kwin_composites_with_opengl says
# which this run got; tests expect a stream only there.
# Everything is started with start_bg, so lib.sh's cleanup stops it.

KWIN_XDPK=/usr/lib/x86_64-linux-gnu/libexec/xdg-desktop-portal-kde
KWIN_XDP=/usr/libexec/xdg-desktop-portal
KWIN_PERMISSION_STORE=/usr/libexec/xdg-permission-store

have_kwin() {
    command -v kwin_wayland && command -v foot
} >/dev/null 2>&1

have_kwin_portal() {
    have_kwin && command -v gdbus && [ -x "$KWIN_XDPK" ] && [ -x "$KWIN_XDP" ] &&
        [ -x "$KWIN_PERMISSION_STORE" ]
} >/dev/null 2>&1

# Must KWin 6.7 be tested here? In a root whose suite installs it (tests/roots/forky.conf; run.sh
# names the suite in PWZC_ROOT_SUITE): there a missing KWin is a broken root, not a reason to
# skip. Debian 12 and 13 have no KWin 6.7; a desktop without it skips.
kwin_expected_here() {
    [ "${PWZC_ROOT_SUITE:-}" = forky ]
}

bus_has_name() {
    gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
        -m org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

peer_wait() {
    local pid=$1 tries=$2 i; shift 2
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || fail "peer (pid $pid) exited while waiting for: $*"
        sleep 0.05
    done
    fail "timed out waiting for: $*"
}

portal_screencast_ready() {
    gdbus call --session -d org.freedesktop.portal.Desktop -o /org/freedesktop/portal/desktop \
        -m org.freedesktop.DBus.Properties.Get org.freedesktop.portal.ScreenCast \
        AvailableSourceTypes | grep -q "uint32 [1-9]"
}

# Did KWin get OpenGL compositing? It logs the fallback when the backend offers QPainter only.
kwin_composites_with_opengl() {
    ! grep -q "Falling back to defaults" "$T/logs/kwin.log"
}

# QDataStream (Qt 6) of QVariantMap{"outputs": QVariantList{QString(ID)}}, as D-Bus ay text:
# xdg-desktop-portal-kde's restore payload (restoredata.cpp serialises the map so). An output's
# id is its position, "0x0" for the one virtual output (outputsmodel.cpp).
kwin_restore_payload() {
    /usr/bin/python3 - "$1" <<'PY'
import struct, sys
def qstring(s):
    b = s.encode('utf-16-be')
    return struct.pack('>I', len(b)) + b
def qvariant(type_id, body):          # QMetaType id, not null, the value
    return struct.pack('>Ib', type_id, 0) + body
QVARIANTLIST, QSTRING = 9, 10
outputs = struct.pack('>I', 1) + qvariant(QSTRING, qstring(sys.argv[1]))
payload = struct.pack('>I', 1) + qstring('outputs') + qvariant(QVARIANTLIST, outputs)
print('[' + ', '.join('byte 0x%02x' % b for b in payload) + ']')
PY
}

# kwin_seed_restore_token: a permission-store entry for a restore token of this (unsandboxed:
# app id "") client that restores output 0x0, and the token where pwzc --restore reads it.
kwin_seed_restore_token() {
    local token
    token=$(cat /proc/sys/kernel/random/uuid)
    gdbus call --session -d org.freedesktop.impl.portal.PermissionStore \
        -o /org/freedesktop/impl/portal/PermissionStore \
        -m org.freedesktop.impl.portal.PermissionStore.Set screencast true "$token" \
        "{'': ['yes']}" "<('KDE', uint32 1, <$(kwin_restore_payload 0x0)>)>" >/dev/null ||
        fail "cannot write the restore data into the permission store"
    mkdir -p "$XDG_STATE_HOME/pwzc"
    printf '%s\n' "$token" >"$XDG_STATE_HOME/pwzc/portal-restore-token"
}

# start_kwin: KWin headless on wayland-kwin (WAYLAND_DISPLAY, exported), and a terminal whose
# output keeps KWin's frames coming.
start_kwin() {
    local pid
    # --virtual: no DRM/KMS, one virtual output; --no-lockscreen: nothing covers the screen.
    # KWIN_WAYLAND_NO_PERMISSION_CHECKS is not set: xdg-desktop-portal-kde gets KWin's restricted
    # screencast protocol as on a desktop, through its desktop file's X-KDE-Wayland-Interfaces.
    start_bg kwin env "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        kwin_wayland --virtual --width 1280 --height 720 --socket wayland-kwin --no-lockscreen
    pid=${PIDS[-1]}
    peer_wait "$pid" 400 test -S "$XDG_RUNTIME_DIR/wayland-kwin"
    export WAYLAND_DISPLAY=wayland-kwin
    # Frames are damage-driven: a terminal printing the time keeps them coming.
    start_bg foot foot sh -c 'while :; do date +%T.%N; sleep 0.02; done'
}

start_kwin_portal() {
    start_kwin
    start_kwin_portal_services
}

# start_kwin_portal_services: the permission store, xdg-desktop-portal-kde and the portal, on the
# KWin that start_kwin started.
start_kwin_portal_services() {
    start_bg permission-store "$KWIN_PERMISSION_STORE" --replace
    peer_wait "${PIDS[-1]}" 200 bus_has_name org.freedesktop.impl.portal.PermissionStore
    kwin_seed_restore_token
    # The backend first (as for xdpw: the frontend reads AvailableSourceTypes once). Qt on KWin's
    # socket; it exports ScreenCast only under XDG_CURRENT_DESKTOP=KDE (desktopportal.cpp). No
    # KNotification or status-notifier service answers on this bus, which it survives.
    start_bg xdpk env QT_QPA_PLATFORM=wayland XDG_CURRENT_DESKTOP=KDE "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        QT_LOGGING_RULES='xdp-kde-*=true' "$KWIN_XDPK"
    peer_wait "${PIDS[-1]}" 400 bus_has_name org.freedesktop.impl.portal.desktop.kde
    start_bg xdp env XDG_CURRENT_DESKTOP=KDE "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        "$KWIN_XDP" -v
    peer_wait "${PIDS[-1]}" 200 portal_screencast_ready
}
