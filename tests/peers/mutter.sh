# Sourced by integration tests, after tests/lib.sh and start_stack: a real GNOME Mutter 43,
# headless, as the peer for the org.gnome.Mutter.ScreenCast D-Bus API. Without a GPU it renders
# in software and offers SHM (MemFd) buffers only: it logs "Disabling DMA buffer screen sharing
# (not hardware accelerated)". Debian packages: see tests/peers/deps.sh.
#
#   have_mutter || exit 77
#   start_mutter      # mutter + foot; exports WAYLAND_DISPLAY; Mutter's pid in MUTTER_PID
#   then CreateSession / RecordMonitor("Meta-0") / Start on org.gnome.Mutter.ScreenCast and take
#   the node id from PipeWireStreamAdded (ids are reused across sessions). The session lives as
#   long as the D-Bus connection that created it.
# Everything is started with start_bg, so lib.sh's cleanup stops it.

have_mutter() {
    command -v mutter && command -v foot && command -v gdbus
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

start_mutter() {
    local pid
    # GSETTINGS_BACKEND=memory: the default (dconf) would try to activate dconf-service on a bus
    # that activates nothing, and would read the invoking user's settings; memory gives schema
    # defaults on every machine.
    # DBUS_SYSTEM_BUS_ADDRESS pointing nowhere: no system services (colord, locale1, logind) of
    # the host are used, so Mutter behaves on a desktop as on a CI machine without a system bus.
    # --wayland-display: a fixed socket name in our private runtime dir, known in advance.
    start_bg mutter env GSETTINGS_BACKEND=memory "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        mutter --headless --wayland --no-x11 --wayland-display=wayland-0 --virtual-monitor 1280x720
    pid=${PIDS[-1]}
    MUTTER_PID=$pid
    # ready = both the ScreenCast API on the bus and the Wayland socket for the damage source
    peer_wait "$pid" 400 bus_has_name org.gnome.Mutter.ScreenCast
    peer_wait "$pid" 200 test -S "$XDG_RUNTIME_DIR/wayland-0"
    export WAYLAND_DISPLAY=wayland-0
    # Mutter sends a frame only when the screen changes: a terminal printing the time every 20 ms
    # keeps frames flowing (~40 fps). When foot exits its shell gets SIGHUP and ends too.
    start_bg foot foot sh -c 'while :; do date +%T.%N; sleep 0.02; done'
}
