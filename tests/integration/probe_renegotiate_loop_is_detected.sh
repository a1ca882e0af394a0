#!/bin/bash
# Proves: a producer that answers every Format with a new EnumFormat is judged a
# renegotiation-loop (Format events counted, no frames), probe exits 1 because nothing works,
# and the recommendation says why. A loop beyond doubt (64 Format events and a second without a
# frame) ends its offer there, the timeline says so, and no Format is taken after it, however long
# the window.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate renegotiate-loop --offers shm,dmabuf+shm --timeout 1.5 --json
expect_rc 1 "no offer works"
expect_offer verdict shm renegotiation-loop
expect_offer verdict dmabuf+shm renegotiation-loop
[ "$(offer format_changes shm)" -ge 4 ] || fail "too few Format events: $(offer format_changes shm)"
expect_offer frames shm 0
[ "$(json "$T/out" "d['recommended']")" = None ] || fail "something recommended"
json "$T/out" "d['recommendation']" | grep -q "new EnumFormat" || fail "recommendation does not say why"

run_pwzc negotiate --emulate renegotiate-loop --offer shm --timeout 3 --json
expect_rc 1 "the loop does not work"
python3 - "$T/out" <<'PY' || fail "the loop was not ended when it was beyond doubt"
import json, sys
r = json.load(open(sys.argv[1]))["result"]
assert r["verdict"] == "renegotiation-loop", r["verdict"]
tl = r["timeline"]
notes = [i for i, e in enumerate(tl) if "the loop is beyond doubt" in (e.get("text") or "")]
assert len(notes) == 1, [e for e in tl if e["event"] == "note"]
n = int(tl[notes[0]]["text"].split()[0])
assert n >= 64 and n == r["format_changes"], (n, r["format_changes"])
assert tl[notes[0]]["t_ms"] >= 1000, tl[notes[0]]["t_ms"]
after = [e for e in tl[notes[0]:] if e["event"] == "param" and "Format" in (e.get("text") or "")]
assert not after, after[:2]
PY
