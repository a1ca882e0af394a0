#!/bin/bash
# Proves: bench --json on the emulator matches its schema and its figures agree with each other
# (delivered <= offered, p50 <= p95 <= p99 <= max everywhere, fps ~ measured frames / duration,
# latency measured from the emulator's stamps); a threshold that cannot be met exits 17 and names
# the figure that missed; --plot writes an SVG an XML parser accepts. No timing is asserted.
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
/usr/bin/python3 -c "import sys, xml.dom.minidom; d = xml.dom.minidom.parse(sys.argv[1]); \
assert d.documentElement.tagName == 'svg'; assert d.getElementsByTagName('polyline')" "$T/bench.svg" ||
    fail "the plot is not SVG"

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
