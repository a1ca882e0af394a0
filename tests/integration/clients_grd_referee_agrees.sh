#!/bin/bash
# Proves: real gnome-remote-desktop 51 (headless, sid root) referees the gnome-remote-desktop-rdp
# profile against real Mutter 51 headless. A real FreeRDP 3 client connects to grd, grd records a
# virtual monitor of Mutter (headless grd shares in "extend" mode) and streams it; whether grd
# got frames (pwzc watch on grd's link: its verdict and frames/s; grd's own log: the first frame
# it sent to the client) must agree with whether pwzc's replay of the profile against the same
# Mutter takes frames, from a virtual monitor as grd records and from Meta-0.
# Then grd's real input port (pw-dump) must equal the port the replay makes, with the profile
# made what it is on this machine: grd 51 sends the modifier pod and DmaBuf only when its EGL
# thread starts (grd-rdp-pipewire-stream.c, add_format_params, allowed_buffer_types); on a
# machine without a GPU it does not ("Failed to create EGL thread"), and grd then sends the
# plain pod and MemFd alone. A virtual monitor's pod has a fixed size, the RDP client's monitor.
# Where the suite installs grd (tests/roots/sid.conf) a missing grd or FreeRDP fails the test.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
. "$TESTS_SRCDIR/peers/grd.sh"
set -e
{ have_mutter && have_grd; } ||
    peer_missing "gnome-remote-desktop, FreeRDP 3 (xfreerdp3), Xvfb, openssl or Mutter" sid
export PWZC
PROFILE=gnome-remote-desktop-rdp
start_stack
start_mutter
start_grd
start_freerdp
node=$(grd_node)
[ -n "$node" ] || fail "grd streams, but its log names no node"

# The real grd's input port, while it streams.
for ((i = 0; i < 100; i++)); do
    pw-dump >"$T/dump.json" 2>/dev/null &&
        "$TESTS_SRCDIR/port-params" "$T/dump.json" "$node" >"$T/grd-port" && break
    sleep 0.05
done
[ "$i" -lt 100 ] || fail "grd's port is not linked to node $node: $(cat "$T/grd-port")"
# port-params compares EnumFormat, Buffers and Meta; grd also tags a virtual monitor's stream
# (SPA_PARAM_Tag, org.gnome.preferred-scale), which pwzc does not replay: only said here.
note "grd's input port has params: $(json "$T/dump.json" "' '.join(sorted(next(
    p['info']['params'] for p in d if p['type'].endswith(':Port') and p.get('info')
    and p['info'].get('direction') == 'input' and p['info']['props'].get('node.id') == next(
        l['info']['input-node-id'] for l in d if l['type'].endswith(':Link') and l.get('info')
        and l['info']['output-node-id'] == $node))))")"
run_pwzc watch --once --interval 2 --json --node "$node"
[ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "watch exit $RC"; }
validate pwzc-watch.schema.json "$T/out"
cp "$T/out" "$T/watch.json"
link="next(l for l in d['links'] if l['producer']['node_id'] == $node)"
verdict=$(json "$T/watch.json" "$link['verdict']")
fps=$(json "$T/watch.json" "$link['frames_per_s']")
consumer=$(json "$T/watch.json" "$link['consumer']['name']")
[ "$consumer" = gnome-remote-desktop-daemon ] || fail "node $node feeds '$consumer', not grd"
why=$(json "$T/watch.json" "$link['reason']")
note "grd's link from node $node: $verdict, $fps frames/s ($why)"
# grd got frames: the link carries them and grd sent one on to the RDP client.
if [ "$verdict" = works ] && /usr/bin/python3 -c "import sys; sys.exit(not float('$fps') > 0)" &&
    grep -q "Metrics: First frame" "$GRD_LOG"; then
    real=frames
else
    real=none
fi
# What stops FreeRDP and grd before the replays: Mutter's virtual monitors are grd's.
stop_all_but_the_stack() {
    kill "$FREERDP_PID" "$FREERDP_X_PID" "$GRD_PID" 2>/dev/null || true
    wait "$FREERDP_PID" "$FREERDP_X_PID" "$GRD_PID" 2>/dev/null || true
}
stop_all_but_the_stack

# The replay of the profile as it is, from both sources.
for source in virtual monitor; do
    args=(--mutter)
    [ "$source" = monitor ] || args+=(--virtual)
    run_pwzc probe "${args[@]}" --clients "$PROFILE" --timeout 2 --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$source: probe exit $RC"; }
    c="d['clients'][0]"
    [ "$(json "$T/out" "$c['name']")" = "$PROFILE" ] || fail "$source: probe replayed another client"
    if [ "$(json "$T/out" "$c['frames']")" -gt 0 ]; then replay=frames; else replay=none; fi
    why="$(json "$T/out" "$c['verdict']"): $(json "$T/out" "$c['why']")"
    note "$source: real grd: $real; replay of $PROFILE: $replay ($why)"
    [ "$real" = "$replay" ] || fail "$source: real grd got $real, the replay of $PROFILE $replay"
done
[ "$real" = frames ] || fail "neither grd nor the replay got frames from Mutter: no referee"

# The profile as this grd makes it: $T/grd-here.client.
size=$(sed -n 's/.*New surface size: \[\([0-9]*\), \([0-9]*\)\].*/\1x\2/p' "$GRD_LOG" | tail -n 1)
[ -n "$size" ] || fail "grd's log names no surface size"
egl=yes
if grep -q "Failed to create EGL thread" "$GRD_LOG"; then egl=no; fi
/usr/bin/python3 - "$PWZC_DATADIR/clients/$PROFILE.client" "$size" "$egl" \
    >"$T/grd-here.client" <<'PY' ||
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
    fail "cannot make the $PROFILE profile as grd makes it here"
note "grd here: EGL thread $egl, virtual monitor $size"

mutter_node_of_replay() {
    pw-dump >"$T/dump.json" 2>/dev/null || return 1
    json "$T/dump.json" "next(l['info']['output-node-id'] for l in d
        if l['type'].endswith(':Link') and l.get('info'))" >"$T/replay-node" 2>/dev/null
}
"$PWZC" negotiate --mutter --virtual --client "$T/grd-here.client" --timeout 20 \
    >"$T/logs/replay.log" 2>&1 &
replay=$!
PIDS+=("$replay")
for ((i = 0; i < 200; i++)); do
    mutter_node_of_replay &&
        "$TESTS_SRCDIR/port-params" "$T/dump.json" "$(cat "$T/replay-node")" >"$T/replay-port" &&
        break
    sleep 0.05
done
kill "$replay" 2>/dev/null; wait "$replay" 2>/dev/null || true
[ "$i" -lt 200 ] ||
    fail "the replay's port never had its Buffers param: $(cat "$T/replay-port" 2>/dev/null)"
diff -u "$T/grd-port" "$T/replay-port" ||
    fail "the replay of $PROFILE (as grd makes it here) makes another input port than real grd"
note "grd's port, as the replay's: $(grep ^Buffers "$T/grd-port")"
