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
grd_outcome "$node"
real=$GRD_OUTCOME
note "grd: $GRD_WHY"
# Mutter's virtual monitors are grd's: FreeRDP and grd go before the replays.
stop_grd

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
grd_client_here "$size" "$T/grd-here.client"

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
