# Sourced by integration tests, after tests/lib.sh and start_stack: a real Hyprland 0.57
# (headless output) + xdg-desktop-portal-hyprland 1.4 + xdg-desktop-portal, as the peer for
# org.freedesktop.portal.ScreenCast (Debian sid: tests/roots/sid.conf).
#
#   have_hyprland_portal || exit 77
#   start_hyprland || { the compositor did not come up: $HYPRLAND_LOG says why }
#   start_hyprland_portal        # after start_hyprland: xdph, xdg-desktop-portal
#   then probe --portal as with sway-portal.sh: CreateSession / SelectSources / Start.
#
# Hyprland renders with OpenGL ES on a DRM device only: aquamarine, its backend library, makes
# its buffer allocator (GBM) from a DRM node, and it has none when no backend opens one (its
# headless backend has no DRM fd; its nested Wayland backend takes the parent's linux-dmabuf main
# device, a DRM node too). On a machine without /dev/dri, Hyprland exits at start with "Cannot
# open backend: no allocator available"; start_hyprland then returns 1 and leaves the log.
# xdph asks a share picker (hyprland-share-picker, a Qt dialog) which output to share. Its
# config names another picker (screencopy:custom_picker_binary); here a script that answers at
# once with the headless output, and the "r" flag (allow a restore token), in the picker's own
# format: "[SELECTION]r/screen:NAME".
# Exports WAYLAND_DISPLAY and HYPRLAND_INSTANCE_SIGNATURE. Everything is started with start_bg,
# so lib.sh's cleanup stops it.

XDPH=/usr/libexec/xdg-desktop-portal-hyprland
XDP=/usr/libexec/xdg-desktop-portal
HYPRLAND_LOG=$T/logs/hyprland.log
HYPRLAND_OUTPUT=PWZC-1

have_hyprland_portal() {
    command -v Hyprland && command -v hyprctl && command -v foot && command -v gdbus &&
        [ -x "$XDPH" ] && [ -x "$XDP" ] || return 1
    [ "$(id -u)" != 0 ] || command -v setpriv || return 1
} >/dev/null 2>&1

# Is NAME owned on the session bus? (Our bus activates nothing, so this is the daemon itself.)
bus_has_name() {
    gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
        -m org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

# ready = the frontend exports ScreenCast and has read the backend's source types (non-zero)
portal_screencast_ready() {
    gdbus call --session -d org.freedesktop.portal.Desktop -o /org/freedesktop/portal/desktop \
        -m org.freedesktop.DBus.Properties.Get org.freedesktop.portal.ScreenCast \
        AvailableSourceTypes | grep -q "uint32 [1-9]"
}

# hyprland_wait TRIES CMD...: CMD succeeds (0), or Hyprland exits (1), or time runs out (fail).
hyprland_wait() {
    local tries=$1 i; shift
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$HYPRLAND_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    fail "timed out waiting for Hyprland: $*"
}

# start_hyprland: Hyprland with one headless output of 1280x720 at 60 Hz. Returns 1 when it
# exits instead (see $HYPRLAND_LOG), 0 once its Wayland socket and IPC answer.
start_hyprland() {
    # short: Hyprland's IPC sockets go in HR/hypr/<62-character signature>/, and a Unix socket's
    # path holds 107 bytes ("path is too long. IPC will not work" under $T/hypr-run)
    local hr=$T/h
    local -a drop=()
    # As sway: not as root (Hyprland warns against it, and its crash reporter and seat code
    # differ); then it needs a runtime dir of its own and a traversable $T.
    mkdir -m 700 "$hr" "$T/hypr-home"
    if [ "$(id -u)" = 0 ]; then
        chmod o+x "$T"
        chown 65534:65534 "$hr" "$T/hypr-home"
        drop=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    # Hyprland 0.57 reads Lua (hl.*); its logs to stdout, so that the test's log keeps them.
    cat >"$T/hyprland.lua" <<'LUA'
hl.monitor({ output = "", mode = "1280x720@60", position = "0x0", scale = "1" })
hl.config({ debug = { enable_stdout_logs = true, disable_logs = false } })
LUA
    chmod 644 "$T/hyprland.lua"
    start_bg hyprland env XDG_RUNTIME_DIR="$hr" HOME="$T/hypr-home" HYPRLAND_NO_CRASHREPORTER=1 \
        HYPRLAND_NO_SD_NOTIFY=1 HYPRLAND_NO_SD_VARS=1 "${drop[@]}" Hyprland --config "$T/hyprland.lua"
    HYPRLAND_PID=${PIDS[-1]}
    hyprland_wait 400 compgen -G "$hr/hypr/*/.socket.sock" || return 1
    hyprland_wait 200 compgen -G "$hr/wayland-[0-9]" || return 1
    WAYLAND_DISPLAY=$(compgen -G "$hr/wayland-[0-9]" | head -n 1)
    HYPRLAND_INSTANCE_SIGNATURE=$(basename "$(dirname "$(compgen -G "$hr/hypr/*/.socket.sock" | head -n 1)")")
    export WAYLAND_DISPLAY HYPRLAND_INSTANCE_SIGNATURE
    # hyprctl finds the instance under $XDG_RUNTIME_DIR/hypr: Hyprland's, not the test's
    HYPRCTL=(env XDG_RUNTIME_DIR="$hr" hyprctl)
    # the headless backend's output, named, whatever fallback output Hyprland made itself
    "${HYPRCTL[@]}" output create headless "$HYPRLAND_OUTPUT" >/dev/null
    hyprland_wait 200 sh -c "$(printf '%q ' "${HYPRCTL[@]}") monitors | grep -q '$HYPRLAND_OUTPUT'"
    # Frames are damage-driven, as on sway: a terminal printing the time keeps them coming.
    start_bg foot foot sh -c 'while :; do date +%T.%N; sleep 0.02; done'
}

# start_hyprland_portal: xdph, its picker answered with $HYPRLAND_OUTPUT, and
# xdg-desktop-portal, on the compositor started before (start_hyprland, or another that xdph
# supports: start_sway_compositor).
start_hyprland_portal() {
    # The picker, answered at once: share $HYPRLAND_OUTPUT, allow a restore token.
    printf '#!/bin/sh\necho "[SELECTION]r/screen:%s"\n' "$HYPRLAND_OUTPUT" >"$T/pick-output"
    chmod +x "$T/pick-output"
    mkdir -p "$XDG_CONFIG_HOME/hypr"
    printf '%s\n' 'screencopy {' "    custom_picker_binary = $T/pick-output" \
        '    allow_token_by_default = true' '    max_fps = 30' '}' >"$XDG_CONFIG_HOME/hypr/xdph.conf"
    # The backend first: xdg-desktop-portal reads its AvailableSourceTypes once, when it starts.
    # line-buffered: xdph writes its log with C++ streams, block-buffered into a file, and a
    # test reads it while xdph runs
    start_bg xdph stdbuf -oL "$XDPH" --verbose
    peer_wait "${PIDS[-1]}" 200 bus_has_name org.freedesktop.impl.portal.desktop.hyprland
    # hyprland.portal: UseIn=Hyprland
    start_bg xdp env XDG_CURRENT_DESKTOP=Hyprland "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        "$XDP" -v
    peer_wait "${PIDS[-1]}" 200 portal_screencast_ready
}

# peer_wait PID TRIES CMD...: like wait_for, but fails at once when PID (the peer) has died.
peer_wait() {
    local pid=$1 tries=$2 i; shift 2
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || fail "peer (pid $pid) exited while waiting for: $*"
        sleep 0.05
    done
    fail "timed out waiting for: $*"
}
