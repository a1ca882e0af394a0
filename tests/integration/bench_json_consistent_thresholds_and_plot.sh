#!/bin/bash
# Proves: bench --json on the emulator matches its schema and its figures agree with each other
# (delivered <= offered, p50 <= p95 <= p99 <= max everywhere, fps ~ measured frames / duration,
# latency measured from the emulator's stamps); a threshold that cannot be met exits 17 and names
# the figure that missed; --plot writes an SVG with a title naming the producer, size and path,
# round-number ticks, the latency series and the warm-up marked. No timing is asserted.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc bench --emulate gnome-headless --size 640x360 --duration 2 --warmup 0.5 \
    --encoder software --json --plot "$T/bench.svg"
expect_rc 0 "bench"
validate pwzc-bench.schema.json "$T/out"
j() { json "$T/out" "$1"; }
[ "$(j "d['frames']['delivered'] <= d['frames']['offered']")" = True ] || fail "delivered > offered"
[ "$(j "d['frames']['measured'] > 10")" = True ] || fail "too few frames measured"
for s in "d['frame_interval']" "d['latency']" "d['stages']['convert']" "d['stages']['encode']"; do
    [ "$(j "$s['p50_ms'] <= $s['p95_ms'] <= $s['p99_ms'] <= $s['max_ms']")" = True ] ||
        fail "percentiles out of order in $s: $(j "$s")"
done
[ "$(j "abs(d['fps'] - d['frames']['measured'] / d['duration_s']) < 0.05 * d['fps']")" = True ] ||
    fail "fps $(j "d['fps']") is not frames/duration"
[ "$(j "d['cpu']['ms_per_frame'] > 0")" = True ] || fail "no CPU time"
[ "$(j "d['encoder']")" = openh264 ] || fail "encoder"
[ "$(j "d['passed']")" = True ] || fail "passed without thresholds"
# The plot: an SVG whose title names the producer, the size and the path; whose ticks are round
# numbers (a step of 1, 2 or 5 x 10^n, every label a multiple of it, from 0); with the latency
# series drawn and the warm-up marked.
/usr/bin/python3 - "$T/bench.svg" gnome-headless 640x360 "$(j "d['path']")" <<'PY' ||
import math, sys, xml.etree.ElementTree as ET
svg, producer, size, path = sys.argv[1:]
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(svg).getroot()
def fail(why):
    sys.exit("plot: " + why)
if root.tag != ns + "svg":
    fail("not SVG")
classes = lambda e: (e.get("class") or "").split()
title = [e.text for e in root.iter(ns + "text") if "title" in classes(e)]
if len(title) != 1 or not all(w in title[0] for w in (producer, size, "path " + path)):
    fail("title %r does not name %s, %s and path %s" % (title, producer, size, path))
# Ticks in runs: the y ticks of a panel, then its x ticks, panel after panel.
runs, last = [], None
for e in root.iter(ns + "text"):
    kind = [c for c in classes(e) if "tick" in classes(e) and c in ("x", "y")]
    if not kind:
        continue
    if kind != last:
        runs.append([])
    runs[-1].append(float(e.text))
    last = kind
if len(runs) < 6:
    fail("%d tick runs, expected an x and a y axis on each of 3 panels" % len(runs))
for r in runs:
    step = r[1] - r[0] if len(r) > 1 else 0
    mantissa = step / 10 ** math.floor(math.log10(step)) if step > 0 else 0
    if len(r) < 2 or r[0] != 0 or not any(abs(mantissa - m) < 1e-6 for m in (1, 2, 5)):
        fail("ticks %s: not from 0 in steps of 1, 2 or 5 x 10^n" % r)
    if any(abs(v - i * step) > step * 1e-6 for i, v in enumerate(r)):
        fail("ticks %s: not every step %g" % (r, step))
latency = [e for e in root.iter(ns + "polyline") if "latency" in classes(e)]
if not latency or len(latency[0].get("points").split()) < 10:
    fail("no latency series")
warmup = [e for e in root.iter() if "warmup" in classes(e)]
if not any(e.tag == ns + "rect" and float(e.get("width")) > 0 for e in warmup):
    fail("the warm-up is not marked")
PY
    fail "the plot lacks what a reader needs (see above)"

run_pwzc bench --emulate gnome-headless --size 320x240 --duration 1 --warmup 0.2 --encoder none \
    --min-fps 100000 --json
expect_rc 17 "an fps nobody reaches"
grep -q "fps [0-9.]* is below --min-fps 100000" "$T/err" || fail "$(cat "$T/err")"
[ "$(j "d['passed']")" = False ] || fail "passed though it missed"
[ "$(j "d['thresholds'][0]['name']")" = min_fps ] || fail "threshold not listed"
run_pwzc bench --emulate gnome-headless --size 320x240 --duration 1 --warmup 0.2 --encoder none \
    --max-latency-p99-ms 0.000001
expect_rc 17 "a latency nobody reaches"
grep -q "latency p99 .* is above --max-latency-p99-ms" "$T/err" || fail "$(cat "$T/err")"
