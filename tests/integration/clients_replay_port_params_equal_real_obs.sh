#!/bin/bash
# Proves: pwzc's replay of the obs profile makes the input port that real OBS Studio makes. Real
# OBS (32.2.2 in the forky root) captures the screen of a headless sway through the ScreenCast
# portal (xdg-desktop-portal-wlr 0.8.4), and so does `pwzc negotiate --portal --client obs`, each
# in a session of its own; the params of the port each one links to xdpw's node, as pw-dump
# shows them (EnumFormat, Buffers, Meta: what libpipewire made of what the client sent), must be
# equal. One thing is the machine's, not the client's: the modifiers OBS takes from its EGL
# (eglQueryDmaBufModifiersEXT), which the profile writes as the token gpu-2d. On a machine
# without a GPU the replay stands in an H100's list for it, while real OBS gets what its EGL on
# sway's Wayland display lists (Mesa llvmpipe in the forky root: LINEAR); so the replay runs a
# copy of the profile with gpu-2d replaced by the modifiers OBS sent in its first DMA-BUF pod,
# and everything else (formats, their order, one pod per format, INVALID appended, the flags,
# size and framerate ranges, Buffers, Meta) must come out equal from the profile as shipped.
# While OBS streams, `pwzc watch` must find its link working, and the profile `pwzc learn` reads
# off OBS's port must, replayed through the portal, make OBS's port again and stream.
# Where the suite installs OBS (tests/roots/forky.conf) a missing OBS fails the test.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/peers/obs.sh"
set -e
{ have_sway_portal patched && stock_xdpw_streams_without_gpu && have_obs; } ||
    peer_missing "OBS Studio, or sway + xdg-desktop-portal-wlr 0.8" forky
xdpw_activatable
start_stack
start_sway_portal patched
obs_start_through_xdpw 1920x1080 0
portal_consumer_port obs
# While OBS streams: pwzc watch explains its link in probe's words, and learn reads its port.
"$PWZC" watch --once --interval 2 --client obs --json >"$T/watch.json" ||
    fail "watch exited $? on OBS's link: $(cat "$T/watch.json")"
validate pwzc-watch.schema.json "$T/watch.json"
/usr/bin/python3 - "$T/watch.json" <<'PY' || fail "watch on OBS's link: $(cat "$T/watch.json")"
import json, sys
links = json.load(open(sys.argv[1]))["links"]
assert len(links) == 1, links
l = links[0]
assert l["verdict"] == "works" and l["frames_per_s"] > 0, (l["verdict"], l["reason"])
assert "frames/s through the link" in l["reason"], l["reason"]
assert "MemFd" in l["shared_data_types"], l["shared_data_types"]
PY
"$PWZC" learn --node "$(json "$T/watch.json" "d['links'][0]['consumer']['node_id']")" \
    -o "$T/obs-learned.client" >/dev/null 2>"$T/logs/learn.log" ||
    fail "learn could not read OBS's port: $(cat "$T/logs/learn.log")"
stop_obs_through_xdpw
grep -q "\[pipewire\]" "$(obs_log)" || fail "OBS's log has no [pipewire] line: no capture source ran"

# The modifiers of OBS's first pod, INVALID (appended by OBS itself, and by the profile) left out.
mods=$(/usr/bin/python3 -c '
import json, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("EnumFormat "))
pods = json.loads(line.split(" ", 1)[1])
m = next(p["modifier"] for p in pods if "modifier" in p)
vals = [m] if isinstance(m, int) else [m[k] for k in sorted(m, key=lambda k: (k != "default", len(k), k))][1:]
print(", ".join(hex(v) for v in dict.fromkeys(vals) if v != (1 << 56) - 1))' "$T/obs")
[ -n "$mods" ] || fail "real OBS sent no modifier but INVALID: $(head -c 300 "$T/obs")"
note "real OBS's modifiers from its EGL here: $mods (and INVALID)"
grep -q '^modifiers = gpu-2d, invalid$' "$PWZC_DATADIR/clients/obs.client" ||
    fail "the obs profile no longer says 'modifiers = gpu-2d, invalid'"
sed "s/^modifiers = gpu-2d, invalid$/modifiers = $mods, invalid/" \
    "$PWZC_DATADIR/clients/obs.client" >"$T/obs-here.client"

"$PWZC" negotiate --portal --client "$T/obs-here.client" --timeout 10 >"$T/logs/pwzc.log" 2>&1 &
replay=$!
PIDS+=("$replay")
portal_consumer_port pwzc
kill "$replay" 2>/dev/null; wait "$replay" 2>/dev/null || true

diff -u "$T/obs" "$T/pwzc" ||
    fail "the replay of the obs profile makes another input port than real OBS"
wait_for 200 no_portal_node

# The profile learned off OBS's wire, replayed through the portal, makes OBS's port again and
# streams as OBS did.
"$PWZC" negotiate --portal --client "$T/obs-learned.client" --timeout 10 --json \
    >"$T/learned.json" 2>"$T/logs/learned.log" &
replay=$!
PIDS+=("$replay")
portal_consumer_port learned
wait "$replay" || true
diff -u "$T/obs" "$T/learned" ||
    fail "the replay of the profile learned from OBS makes another input port than real OBS"
[ "$(json "$T/learned.json" "d['client']['verdict']")" = works ] ||
    fail "learned OBS: $(json "$T/learned.json" "d['client']['why']")"
note "$(grep ^Buffers "$T/obs")"
