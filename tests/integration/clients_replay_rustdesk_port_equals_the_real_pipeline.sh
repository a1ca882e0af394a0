#!/bin/bash
# Proves: the rustdesk profile is what RustDesk 1.4.9's pipeline really sends. The real
# `pipewiresrc keepalive-time=1000 always-copy=true ! videoconvert ! appsink caps=BGRx;RGBx`
# (libs/scrap/src/wayland/pipewire.rs) and pwzc's replay of rustdesk.client are each linked to
# a fresh emulated GNOME headless; as pw-dump shows their input ports, the Buffers and Meta
# params are equal, the real EnumFormats start with the appsink's BGRx and RGBx, and the real
# pods of the formats pwzc knows are, in order, exactly the replay's (the YUV, 16-bit and
# paletted pods videoconvert adds are left out of the profile). The profile models pipewiresrc
# 1.6, so this runs where that is installed (the forky root).
. "$TESTS_SRCDIR/lib.sh"
set -e
for element in pipewiresrc videoconvert appsink; do
    gst-inspect-1.0 "$element" >/dev/null 2>&1 ||
        { echo "GStreamer element $element missing (gstreamer1.0-pipewire, -plugins-base)"; exit 77; }
done
[ "$(gst_profile)" = gst-pipewiresrc-1.6 ] ||
    { echo "pipewiresrc $(gst-inspect-1.0 pipewiresrc | sed -n 's/^ *Version *//p'): rustdesk.client models 1.6"; exit 77; }
start_stack

# port_of NODE NAME: waits until a consumer is linked to NODE with its Buffers param set, and
# keeps its port params in $T/NAME.
port_of() {
    local i
    for ((i = 0; i < 200; i++)); do
        pw-dump >"$T/dump.json" 2>/dev/null &&
            "$TESTS_SRCDIR/port-params" "$T/dump.json" "$1" >"$T/$2" && return 0
        sleep 0.05
    done
    cat "$T/$2"
    fail "$2: no consumer linked to node $1 with its Buffers param"
}

# producer: a fresh emulated GNOME headless; its node id in $NODE, its PID in $EMU.
producer() {
    STARTS=$((${STARTS:-0} + 1))
    local ready=$T/ready-$STARTS
    "$PWZC" emulate --profile gnome-headless --json >"$ready" 2>"$T/logs/emulate-$STARTS.log" &
    EMU=$!
    PIDS+=("$EMU")
    wait_for 200 test -s "$ready"
    NODE=$(json "$ready" "d['node_id']")
}

stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }

producer
gst-launch-1.0 -q pipewiresrc path="$NODE" keepalive-time=1000 always-copy=true ! videoconvert ! \
    appsink caps="video/x-raw,format=BGRx;video/x-raw,format=RGBx" drop=true max-buffers=1 \
    >"$T/logs/gst.log" 2>&1 &
gst=$!
PIDS+=("$gst")
port_of "$NODE" real
stop "$gst"
stop "$EMU"

producer
"$PWZC" negotiate --node "$NODE" --client rustdesk --timeout 10 >"$T/logs/pwzc.log" 2>&1 &
replay=$!
PIDS+=("$replay")
port_of "$NODE" replay
stop "$replay"
stop "$EMU"

for key in Buffers Meta; do
    diff -u <(grep "^$key " "$T/real") <(grep "^$key " "$T/replay") ||
        fail "the replay's $key params are not the real pipeline's"
done
/usr/bin/python3 - "$T/real" "$T/replay" <<'PY' || fail "the replay's EnumFormats are not the real pipeline's"
import json, sys
def pods(path):
    line = next(l for l in open(path) if l.startswith('EnumFormat '))
    return json.loads(line[len('EnumFormat '):])
real, replay = pods(sys.argv[1]), pods(sys.argv[2])
if [p.get('format') for p in real[:2]] != ['BGRx', 'RGBx']:
    sys.exit(f"real pipeline's first pods: {[p.get('format') for p in real[:2]]}")
known = {p['format'] for p in replay}
kept = [p for p in real if isinstance(p.get('format'), str) and p['format'] in known]
if kept != replay:
    print('real:  ', [p['format'] for p in kept]); print('replay:', [p['format'] for p in replay])
    for a, b in zip(kept, replay):
        if a != b: print(json.dumps(a, sort_keys=True)); print(json.dumps(b, sort_keys=True)); break
    sys.exit(1)
print(f'# {len(real)} real pods, {len(kept)} of formats pwzc knows: equal to the replay\'s')
PY
