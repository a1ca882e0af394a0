#!/bin/bash
# Proves: pwzc's replay of the webrtc profile makes the input port that real Chromium (156 in the
# forky root: libwebrtc's PipeWire capturer) makes, and both take frames. Chromium shares the
# screen of a headless sway from a page (getDisplayMedia, through the ScreenCast portal and
# xdg-desktop-portal-wlr 0.8.4: tests/peers/chromium.sh), and `pwzc negotiate --portal --client`
# replays the profile in a session of its own; the params of the port each links to xdpw's node,
# as pw-dump shows them (EnumFormat, Buffers, Meta), must be equal, once the profile's `gpu`
# token is the modifier list Chromium's EGL gave here (as for OBS:
# clients_replay_port_params_equal_real_obs.sh). And the page got pictures exactly as the replay
# says works. While Chromium streams, `pwzc watch` must say of its link what the page saw, and the
# profile `pwzc learn` reads off Chromium's port must replay as Chromium did.
# Where the suite installs Chromium (tests/roots/forky.conf) a missing one fails.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/peers/chromium.sh"
set -e
{ have_sway_portal patched && stock_xdpw_streams_without_gpu && have_chromium; } ||
    peer_missing "Chromium, or sway + xdg-desktop-portal-wlr 0.8 (and a test root)" forky
xdpw_activatable
start_stack
start_sway_portal patched

chromium_start_through_xdpw
r() { chromium_said "$1"; }
[ "$(r error)" = None ] || fail "the page's getDisplayMedia failed: $(r error)"
note "Chromium: $(r frames) frames, $(r distinct) distinct pictures (the first $(r first_frame_ms) ms after getDisplayMedia answered), $(r settings)"
portal_consumer_port chromium
if [ "$(r distinct)" -ge 5 ]; then real=frames; else real=none; fi
# While Chromium streams: pwzc watch explains its link as the page saw it, and learn reads its port.
"$PWZC" watch --once --interval 2 --node "$(portal_screencast_node)" --json >"$T/watch.json" || true
validate pwzc-watch.schema.json "$T/watch.json"
watched=$(json "$T/watch.json" "d['links'][0]['verdict'] if len(d['links']) == 1 else 'links: %d' % len(d['links'])")
note "watch: $watched: $(json "$T/watch.json" "d['links'][0]['reason'] if d['links'] else ''")"
if [ "$watched" = works ]; then seen=frames; else seen=none; fi
[ "$seen" = "$real" ] || fail "the page got $real, watch says $watched"
"$PWZC" learn --node "$(json "$T/watch.json" "d['links'][0]['consumer']['node_id']")" \
    -o "$T/chromium-learned.client" >/dev/null || fail "learn could not read Chromium's port"
stop_chromium_through_xdpw

mods=$(/usr/bin/python3 -c '
import json, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("EnumFormat "))
m = next(p["modifier"] for p in json.loads(line.split(" ", 1)[1]) if "modifier" in p)
vals = [m] if isinstance(m, int) else [m[k] for k in sorted(m, key=lambda k: (k != "default", len(k), k))][1:]
print(", ".join(hex(v) for v in dict.fromkeys(vals) if v != (1 << 56) - 1))' "$T/chromium")
[ -n "$mods" ] || fail "Chromium sent no modifier but INVALID: $(head -c 300 "$T/chromium")"
note "Chromium's modifiers from its EGL here: $mods (and INVALID)"
[ "$(grep -c '^modifiers = gpu, invalid$' "$PWZC_DATADIR/clients/webrtc.client")" -gt 0 ] ||
    fail "the webrtc profile no longer says 'modifiers = gpu, invalid'"
sed "s/^modifiers = gpu, invalid$/modifiers = $mods, invalid/" \
    "$PWZC_DATADIR/clients/webrtc.client" >"$T/webrtc-here.client"

"$PWZC" negotiate --portal --client "$T/webrtc-here.client" --timeout 4 --json \
    >"$T/replay.json" 2>"$T/logs/pwzc.log" &
replay=$!
PIDS+=("$replay")
portal_consumer_port pwzc
wait "$replay" || true
verdict=$(json "$T/replay.json" "d['client']['verdict']")
note "replay: $verdict, $(json "$T/replay.json" "d['client']['frames']") frames"

diff -u "$T/chromium" "$T/pwzc" ||
    fail "the replay of the webrtc profile makes another input port than real Chromium"
note "$(grep ^Buffers "$T/chromium")"
if [ "$verdict" = works ]; then said=frames; else said=none; fi
[ "$real" = "$said" ] || fail "Chromium got $real, the replay says $verdict"
wait_for 200 no_portal_node

# The profile learned off Chromium's wire replays as Chromium did here.
"$PWZC" probe --portal --clients "$T/chromium-learned.client" --json >"$T/learned.json" || true
learned=$(json "$T/learned.json" "d['clients'][0]['verdict']")
if [ "$learned" = works ]; then said=frames; else said=none; fi
[ "$real" = "$said" ] || fail "Chromium got $real, the profile learned off it says $learned"
