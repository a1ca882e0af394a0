# Sourced by integration tests, after tests/lib.sh, start_stack, tests/peers/sway-portal.sh and
# start_sway_portal: real OBS Studio (32.2.2 in the forky root) with one "Screen Capture
# (PipeWire)" source, headless, as a Wayland client of the test's sway, recording what its
# source captures through the ScreenCast portal (xdpw's chooser_type=none answers the portal with
# no dialog). Debian packages: obs-studio obs-plugins qt6-wayland ffmpeg (tests/roots/forky.conf).
#
#   have_obs || fail "..."        (where the suite installs it: a test that cannot run OBS fails)
#   start_obs [WxH]               OBS starts recording; its PID in $OBS_PID
#   obs_capture SECONDS           waits until its stream is past connecting, then SECONDS more
#   ... pw-dump while it captures ...
#   stop_obs                      SIGKILL, see there
#   obs_distinct_frames           distinct pictures in its recording (ffmpeg framemd5)
#   obs_log                       its log file ([pipewire] negotiation and stream states)
#
# OBS is configured as its defaults are, where the obs client profile relies on them: 30 fps,
# a 1920x1080 canvas and output (the size default of its EnumFormat pods), Simple output mode.

OBS_PLUGIN_DIRS="/usr/lib/x86_64-linux-gnu/obs-plugins /usr/lib/obs-plugins"

have_obs() {
    local d
    command -v obs && command -v ffmpeg || return 1
    for d in $OBS_PLUGIN_DIRS; do [ -e "$d/linux-pipewire.so" ] && return 0; done
    return 1
} >/dev/null 2>&1

# The configuration OBS reads at start: no first-run wizard, one profile that records to
# $T/obs-rec, one scene with the PipeWire screen capture source in it.
obs_config() {
    local cfg=$XDG_CONFIG_HOME/obs-studio ini w=${1%x*} h=${1#*x}
    mkdir -p "$cfg/basic/profiles/pwzc" "$cfg/basic/scenes" "$T/obs-rec"
    for ini in global.ini user.ini; do
        printf '%s\n' '[General]' 'FirstRun=true' 'EnableAutoUpdates=false' '' '[Basic]' \
            'Profile=pwzc' 'ProfileDir=pwzc' 'SceneCollection=pwzc' 'SceneCollectionFile=pwzc' \
            >"$cfg/$ini"
    done
    printf '%s\n' '[General]' 'Name=pwzc' '' '[Video]' "BaseCX=$w" "BaseCY=$h" \
        "OutputCX=$w" "OutputCY=$h" 'FPSType=0' 'FPSCommon=30' '' '[Output]' 'Mode=Simple' '' \
        '[SimpleOutput]' "FilePath=$T/obs-rec" 'RecFormat2=mkv' 'RecEncoder=x264' \
        'RecQuality=Stream' 'Preset=ultrafast' >"$cfg/basic/profiles/pwzc/basic.ini"
    cat >"$cfg/basic/scenes/pwzc.json" <<'JSON'
{"name": "pwzc", "current_scene": "Scene", "current_program_scene": "Scene",
 "scene_order": [{"name": "Scene"}],
 "sources": [
  {"id": "scene", "versioned_id": "scene", "name": "Scene",
   "uuid": "6d1c3a40-0000-4000-8000-000000000001",
   "settings": {"id_counter": 1, "custom_size": false, "items": [
     {"name": "Screen", "source_uuid": "6d1c3a40-0000-4000-8000-000000000002", "visible": true,
      "locked": false, "id": 1, "pos": {"x": 0.0, "y": 0.0}, "scale": {"x": 1.0, "y": 1.0},
      "rot": 0.0, "align": 5, "bounds_type": 0}]}},
  {"id": "pipewire-screen-capture-source", "versioned_id": "pipewire-screen-capture-source",
   "name": "Screen", "uuid": "6d1c3a40-0000-4000-8000-000000000002",
   "settings": {"ShowCursor": true}}]}
JSON
}

# start_obs [WxH]: its canvas and output size (default 1920x1080, what the obs profile writes).
# Every canvas frame is rendered by Mesa's llvmpipe here: a smaller one keeps up under load.
start_obs() {
    OBS_CANVAS=${1:-1920x1080}
    rm -rf "$XDG_CONFIG_HOME/obs-studio" "$T/obs-rec"
    obs_config "$OBS_CANVAS"
    # Qt on sway's Wayland socket; XDG_CURRENT_DESKTOP so that the portal picks the wlr backend
    # for OBS as it did for the test; --multi: no "already running" check against other tests.
    start_bg obs env QT_QPA_PLATFORM=wayland XDG_CURRENT_DESKTOP=sway XDG_SESSION_TYPE=wayland \
        "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-system-bus" \
        obs --startrecording --disable-shutdown-check --disable-updater --multi
    OBS_PID=${PIDS[-1]}
}

# SIGKILL, not SIGINT: on SIGINT OBS takes seconds to shut down (and may not finish), holding
# its PipeWire stream while it no longer takes buffers; xdpw 0.8.4 then logs "out of buffers",
# and once it hung destroying that stream when the session closed (the next portal client found
# no backend). Killed, OBS's connections close at once and xdpw tears the session down cleanly.
# The Matroska recording stays readable up to its last written cluster.
stop_obs() {
    kill -KILL "$OBS_PID" 2>/dev/null || true
    wait "$OBS_PID" 2>/dev/null || true
}

obs_log() { ls -t "$XDG_CONFIG_HOME"/obs-studio/logs/*.txt 2>/dev/null | head -n 1; }

# obs_stream_state: the last state OBS's PipeWire stream logged (connecting, paused, streaming,
# error, unconnected), or nothing before it made one.
obs_stream_state() {
    local log
    log=$(obs_log)
    [ -n "$log" ] && sed -n 's/.*\[pipewire\] Stream .* state: "\([a-z]*\)".*/\1/p' "$log" | tail -n 1
}

# obs_capture SECONDS [may-die]: waits (up to 90 s: OBS takes seconds to start, a minute under
# load) until OBS's stream has left connecting and paused, or has sat in paused for 10 s, then
# lets it capture for SECONDS more. OBS exiting once its stream exists fails the test, unless
# may-die is given: then OBS_DIED says how it ended (its wait status) and the capture stops.
obs_capture() {
    local i paused=0
    OBS_DIED=
    for ((i = 0; i < 1800; i++)); do
        case $(obs_stream_state) in
        streaming | error | unconnected) break ;;
        paused) paused=$((paused + 1)); [ "$paused" -lt 200 ] || break ;;
        esac
        if ! kill -0 "$OBS_PID" 2>/dev/null; then
            ! obs_died_capturing "${2:-}" || return 0
            # Seen in the forky root, rarely: OBS 32.2.2 killed by SIGSEGV while it starts,
            # after "audio settings reset", before any source ran. Once, it is started again.
            wait "$OBS_PID" 2>/dev/null || true
            [ -z "${OBS_RESTARTED:-}" ] && ! grep -q "\[pipewire\]" "$T/logs/obs.log" ||
                fail "OBS exited (see $T/logs/obs.log)"
            note "OBS died while starting ($(tail -n 1 "$T/logs/obs.log")): once more"
            cp "$T/logs/obs.log" "$T/logs/obs-died.log"
            OBS_RESTARTED=1
            start_obs "$OBS_CANVAS"
            i=0
        fi
        sleep 0.05
    done
    for ((i = 0; i < $1 * 20; i++)); do
        kill -0 "$OBS_PID" 2>/dev/null || { obs_died_capturing "${2:-}" ||
            fail "OBS exited while capturing (see $T/logs/obs.log)"; return 0; }
        sleep 0.05
    done
}

# obs_died_capturing [may-die]: 0 when OBS, now gone, had its PipeWire stream and may die: its
# wait status is in OBS_DIED. 1 otherwise (then it has not been waited for).
obs_died_capturing() {
    [ "${1:-}" = may-die ] && grep -q "\[pipewire\]" "$T/logs/obs.log" || return 1
    OBS_DIED=0
    wait "$OBS_PID" 2>/dev/null || OBS_DIED=$?
}

# obs_format_not_taken_since N: 0 when OBS's stream got its format but sits in paused while xdpw,
# since its logs had N lines, never took its own side's (sway-portal.sh xdpw_took_no_format_since):
# the daemon's and producer's race, not OBS's offer.
obs_format_not_taken_since() {
    grep -q "\[pipewire\] Negotiated format" "$T/logs/obs.log" &&
        [ "$(obs_stream_state)" = paused ] && xdpw_took_no_format_since "$1"
}

# obs_start_through_xdpw CANVAS SECONDS: start_obs and obs_capture, through real xdpw; a session
# in which xdpw never took its side of the format is closed and run again, up to 3 times in all.
# OBS is left running.
obs_start_through_xdpw() {
    OBS_CANVAS=$1 # start_obs sets it too; globals, as obs_capture reads them after this returns
    OBS_SECONDS=$2
    xdpw_session_again OBS obs_session obs_format_not_taken_since stop_obs_through_xdpw
}
obs_session() { start_obs "$OBS_CANVAS"; obs_capture "$OBS_SECONDS"; }

# stop_obs_through_xdpw: stop_obs, then waits until xdpw has closed OBS's session, and starts
# xdpw again if that took it down (xdpw_back_if_gone; the test made it xdpw_activatable).
stop_obs_through_xdpw() {
    stop_obs
    wait_for 200 no_portal_node
    xdpw_back_if_gone "as OBS's session closed (OBS killed)"
}

obs_recording() { ls -t "$T"/obs-rec/*.mkv 2>/dev/null | head -n 1; }

# The number of distinct pictures OBS recorded: a screen that changes (foot printing the time)
# gives many; a capture that never got a frame gives one (OBS's empty, black canvas) or none.
obs_distinct_frames() {
    local rec
    rec=$(obs_recording)
    [ -n "$rec" ] || { echo 0; return; }
    ffmpeg -v error -i "$rec" -map 0:v -f framemd5 - 2>/dev/null |
        awk -F, '!/^#/ {print $NF}' | sort -u | wc -l
}
