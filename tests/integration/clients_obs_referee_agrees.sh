#!/bin/bash
# Proves: real OBS Studio (32.2.2, forky root) referees the obs profile. For each producer OBS
# captures from, whether OBS got pictures (distinct frames in its recording: a capture that got
# none records its empty canvas, one picture) must agree with whether the client in pwzc's replay
# of the profile took frames. Producers: the real sway 1.12 + xdg-desktop-portal-wlr 0.8.4
# through the real ScreenCast portal, and emulated producers chosen so that both outcomes occur.
# OBS dying while it captures is a third outcome ("crashed"): the replay must say "crashes"
# exactly then (xdpw-0.8.0's unreadable buffers on PipeWire 1.6).
# OBS only captures through the portal: tests/peers/fake-screencast.py stands in for the portal
# (the D-Bus side only) and hands OBS the emulator's node, over a real PipeWire connection.
# The replay runs the profile with what is this OBS's rather than the client's: its canvas (the
# size default of its pods) and the modifiers its EGL lists here (see
# clients_replay_port_params_equal_real_obs.sh), read from OBS's own port in the first run.
# Without a GPU, OBS imports a LINEAR DMA-BUF in Mesa's llvmpipe (its picture shows the
# emulator's bars from dmabuf-only), and the replay's import is tried in the same software EGL
# (Mesa 26 in the forky root imports what it can map): they must agree there too. Where the
# suite installs OBS (tests/roots/forky.conf) a missing OBS fails the test.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/peers/obs.sh"
set -e
{ have_sway_portal patched && stock_xdpw_streams_without_gpu && have_obs; } ||
    peer_missing "OBS Studio, or sway + xdg-desktop-portal-wlr 0.8" forky
xdpw_activatable
export PWZC
start_stack
start_sway
CANVAS=640x360 # llvmpipe renders every canvas frame: a small one keeps up on a loaded machine

# obs_got_frames: "frames" or "none" from OBS's recording; fails when it cannot tell.
obs_got_frames() {
    local n
    n=$(obs_distinct_frames)
    echo "$n distinct pictures" >"$T/distinct"
    if [ "$n" -ge 5 ]; then echo frames; elif [ "$n" -le 1 ]; then echo none; else
        fail "$1: OBS recorded $n distinct pictures: neither a capture nor none"
    fi
}

# OBS's modifiers (INVALID left out) and its profile as this OBS makes it: $T/obs-here.client.
write_obs_here() {
    local mods
    pw-dump >"$T/dump.json"
    "$TESTS_SRCDIR/port-params" "$T/dump.json" "$1" >"$T/obs-port" ||
        fail "OBS's port is not linked to node $1: $(cat "$T/obs-port")"
    mods=$(/usr/bin/python3 -c '
import json, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("EnumFormat "))
m = next(p["modifier"] for p in json.loads(line.split(" ", 1)[1]) if "modifier" in p)
vals = [m] if isinstance(m, int) else [m[k] for k in sorted(m, key=lambda k: (k != "default", len(k), k))][1:]
print(", ".join(hex(v) for v in dict.fromkeys(vals) if v != (1 << 56) - 1))' "$T/obs-port")
    [ -n "$mods" ] || fail "OBS sent no modifier but INVALID"
    sed -e "s/^modifiers = gpu-2d, invalid$/modifiers = $mods, invalid/" \
        -e "s/^size = 1920x1080 /size = $CANVAS /" "$PWZC_DATADIR/clients/obs.client" \
        >"$T/obs-here.client"
    grep -q "^modifiers = $mods, invalid$" "$T/obs-here.client" &&
        grep -q "^size = $CANVAS " "$T/obs-here.client" ||
        fail "the obs profile no longer reads 'modifiers = gpu-2d, invalid', 'size = 1920x1080 ...'"
    note "OBS's modifiers here: $mods (and INVALID)"
}

# producer_of_obs: the node OBS's stream is linked to (OBS's is the only input stream here).
producer_of_obs() {
    pw-dump | json /dev/stdin "next(l['info']['output-node-id'] for l in d
        if l['type'].endswith(':Link') and l.get('info') and any(o['id'] == l['info']['input-node-id']
        and o['info']['props'].get('media.class') == 'Stream/Input/Video' for o in d
        if o['type'].endswith(':Node') and o.get('info')))"
}

# replay_took: "frames", "none" or "crashed", from a client report in $T/out ($1: the JSON path
# to it).
replay_took() {
    if [ "$(json "$T/out" "$1['verdict']")" = crashes ]; then echo crashed
    elif [ "$(json "$T/out" "$1['frames']")" -gt 0 ]; then echo frames; else echo none; fi
}

# obs_crashed PRODUCER: "crashed" when OBS died of a signal while capturing (obs_capture
# may-die; against xdpw-0.8.0 on 1.6.9: SIGSEGV, status 139), not by an exit of its own.
obs_crashed() {
    echo "OBS exit status $OBS_DIED" >"$T/distinct"
    cp "$T/logs/obs.log" "$T/logs/obs-$1-died.log"
    [ "$OBS_DIED" -gt 128 ] ||
        fail "$1: OBS exited with status $OBS_DIED while capturing, not by a fault (see $T/logs/obs-$1-died.log)"
    echo crashed
}

agreed=0
check() { # PRODUCER OBS REPLAY VERDICT WHY
    note "$1: OBS: $2 ($(cat "$T/distinct")); replay: $3 ($4)"
    [ "$2" = "$3" ] || fail "$1: real OBS got $2, the replay of the obs profile $3 ($4: $5)"
    agreed=$((agreed + 1))
}

# xdpw-0.8.0 (last: OBS's port is read from a live OBS first): buffers without READABLE, which
# OBS's stream maps unreadable on PipeWire 1.6 and reads (profile header); readable before 1.6.
for p in gnome-headless memptr-only flapping gnome-dmabuf no-buffers empty-chunks dmabuf-only \
    xdpw-0.8.0; do
    ready=$T/fake-ready-$p
    /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" --api portal --profile "$p" \
        >"$ready" 2>"$T/logs/fake-$p.log" &
    fake=$!
    PIDS+=("$fake")
    wait_for 200 test -s "$ready"
    start_obs "$CANVAS"
    obs_capture 3 may-die
    [ -n "$OBS_DIED" ] || [ -f "$T/obs-here.client" ] || write_obs_here "$(producer_of_obs)"
    stop_obs
    kill "$fake"; wait "$fake" 2>/dev/null || true
    if [ -n "$OBS_DIED" ]; then got=$(obs_crashed "$p"); else got=$(obs_got_frames "$p"); fi
    run_pwzc probe --emulate "$p" --clients "$T/obs-here.client" --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$p: probe exit $RC"; }
    c="d['clients'][0]"
    check "$p" "$got" "$(replay_took "$c")" "$(json "$T/out" "$c['verdict']")" \
        "$(json "$T/out" "$c['why']")"
done

# The real producer, through the real portal.
start_portals "$STOCK_XDPW"
obs_start_through_xdpw "$CANVAS" 3
stop_obs_through_xdpw
got=$(obs_got_frames sway-xdpw)
run_pwzc negotiate --portal --client "$T/obs-here.client" --timeout 3 --json
[ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "sway-xdpw: negotiate exit $RC"; }
check sway-xdpw "$got" "$(replay_took "d['client']")" "$(json "$T/out" "d['client']['verdict']")" \
    "$(json "$T/out" "d['client']['why']")"
[ "$agreed" = 9 ] || fail "only $agreed pairs of 9 agreed"
