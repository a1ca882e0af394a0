#!/bin/bash
# Proves: `pwzc learn` turns a running client into a profile that replays as the client behaves.
# The real GStreamer pipewiresrc is linked to an emulated GNOME headless producer; learn
# snapshots its input port into a .client file. Replayed by probe --clients, the learned profile
# works against that producer as the real pipewiresrc did, and fails against a DMA-BUF-only
# producer where the real one fails too. And the shipped profile of this pipewiresrc version
# makes, when pwzc replays it, the port that learn reads off the real client: the two learned
# profiles are equal but for their header (so a shipped profile that drifts from the real
# client's wire fails here).
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v gst-launch-1.0 >/dev/null && gst-inspect-1.0 pipewiresrc >/dev/null 2>&1 ||
    fail "gst-launch-1.0 or pipewiresrc missing (gstreamer1.0-tools, gstreamer1.0-pipewire)"
start_stack

producer() {
    local ready=$T/ready-$1-$RANDOM
    "$PWZC" emulate --profile "$1" --json >"$ready" 2>"$T/logs/emulate-$1.log" &
    PIDS+=($!)
    EMU=$!
    wait_for 200 test -s "$ready"
    NODE=$(json "$ready" "d['node_id']")
}

# consumer_of NODE: the node linked to NODE's output, once the link is active.
consumer_of() {
    pw-dump 2>/dev/null | python3 -c '
import json, sys
node = int(sys.argv[1])
links = [o["info"] for o in json.load(sys.stdin) if o["type"].endswith(":Link")]
active = [l["input-node-id"] for l in links if l["output-node-id"] == node and l["state"] == "active"]
sys.exit(1) if not active else print(active[0])' "$1"
}

# body FILE: the profile without its comment header and the lines that name where it came from.
body() { grep -v -e '^#' -e '^description =' -e '^source =' "$1"; }

# 1. Learn the real pipewiresrc, linked and streaming.
producer gnome-headless
gst-launch-1.0 -q pipewiresrc path="$NODE" ! video/x-raw ! fakesink >"$T/logs/gst.log" 2>&1 &
GST=$!
PIDS+=("$GST")
wait_for 200 consumer_of "$NODE"
gst_node=$(consumer_of "$NODE")
"$PWZC" learn --node "$gst_node" -o "$T/learned.client" >"$T/learn.out"
grep -q "wrote $T/learned.client" "$T/learn.out" || fail "learn's line: $(cat "$T/learn.out")"
grep -q "^\[format\]" "$T/learned.client" && grep -q "^data-types = " "$T/learned.client" ||
    fail "the learned profile lacks a [format] or its data types: $(cat "$T/learned.client")"
"$PWZC" learn --node "$gst_node" --json >"$T/learn.json"
validate pwzc-learn.schema.json "$T/learn.json"
python3 - "$T/learn.json" <<'PY' || fail "learn --json: $(cat "$T/learn.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["port"]["enum_formats"] and d["port"]["buffers"], d["port"]
assert "[client]" in d["profile"]
PY
kill "$GST"; wait "$GST" 2>/dev/null || true

# 2. The learned profile replays as the real client: works here...
"$PWZC" probe --node "$NODE" --clients "$T/learned.client" --json >"$T/works.json" ||
    fail "the learned profile does not work where the real pipewiresrc streamed: $(json "$T/works.json" "d['clients'][0]['why']")"
[ "$(json "$T/works.json" "d['clients'][0]['verdict']")" = works ] || fail "verdict on GNOME headless"
kill "$EMU"; wait "$EMU" 2>/dev/null || true

# ... and fails where the real one fails.
producer dmabuf-only
rc=0
timeout 20 gst-launch-1.0 -q pipewiresrc path="$NODE" num-buffers=5 ! video/x-raw ! fakesink \
    >"$T/logs/gst-dmabuf.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "the real pipewiresrc streamed from a DMA-BUF-only producer"
rc=0
"$PWZC" probe --node "$NODE" --clients "$T/learned.client" --json >"$T/fails.json" || rc=$?
[ "$rc" = 1 ] && [ "$(json "$T/fails.json" "d['clients'][0]['verdict']")" != works ] ||
    fail "the learned profile works where the real pipewiresrc fails (rc $rc)"
kill "$EMU"; wait "$EMU" 2>/dev/null || true

# 3. The shipped profile, replayed, makes the port learn read off the real client.
producer gnome-headless
"$PWZC" negotiate --node "$NODE" --client "$(gst_profile)" --timeout 60 >"$T/logs/replay.log" 2>&1 &
replay=$!
PIDS+=("$replay")
wait_for 200 consumer_of "$NODE"
"$PWZC" learn --node "$(consumer_of "$NODE")" -o "$T/replayed.client" >/dev/null
diff <(body "$T/learned.client") <(body "$T/replayed.client") >"$T/diff" ||
    fail "the shipped profile $(gst_profile) drifts from the real pipewiresrc's wire: $(cat "$T/diff")"
kill "$replay"; wait "$replay" 2>/dev/null || true

# 4. Bad input.
rc=0; "$PWZC" learn --node "$NODE" 2>"$T/err" || rc=$?
[ "$rc" = 5 ] && grep -q "no input port" "$T/err" || fail "learn on a producer: rc $rc, $(cat "$T/err")"
rc=0; "$PWZC" learn --node "$NODE" -o "$T/no-such-dir/x.client" 2>"$T/err" || rc=$?
[ "$rc" = 15 ] && [ "$(wc -l <"$T/err")" = 1 ] && [ ! -e "$T/no-such-dir" ] &&
    grep -qF "cannot write $T/no-such-dir/x.client: directory $T/no-such-dir does not exist" \
        "$T/err" ||
    fail "learn -o into a missing directory: rc $rc, $(cat "$T/err")"
rc=0; "$PWZC" learn 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--node ID is required" "$T/err" || fail "learn without --node: rc $rc"
echo "learned pipewiresrc from the wire; the profile replays as the real client does"
