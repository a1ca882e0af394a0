#!/bin/bash
# Proves: against the hostile-short-stride producer (every other frame's chunk is broken: short-stride),
# probe, negotiate, capture and bench each drop exactly the broken frames, count them as
# 'bad-stride', never read them, and go on with the good ones: every command exits 0, capture's
# file is read back by ffprobe with as many frames as capture took.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
need_ffprobe
start_stack
run_all hostile-short-stride
expect_codes 0 0 0 0
[ "$(shm_field verdict)" = works ] || fail "probe: $(shm_field verdict): $(shm_field reason)"
[ "$(json "$T/probe.json" "next(o for o in d['offers'] if o['name']=='shm')['dropped']['bad-stride']")" -gt 5 ] ||
    fail "probe did not count the broken frames as bad-stride"
frames=$(json "$T/capture.json" "d['capture']['frames']")
dropped=$(json "$T/capture.json" "d['capture']['stream']['dropped']['bad-stride']")
[ "$frames" -gt 10 ] || fail "capture took $frames frames"
[ "$dropped" -ge $((frames - 2)) ] || fail "capture dropped $dropped as bad-stride for $frames taken"
[ "$(file_frames)" = "$frames" ] || fail "the file has $(file_frames) frames, capture took $frames"
[ "$(json "$T/bench.json" "d['frames']['dropped']['bad-stride']")" -gt 5 ] ||
    fail "bench did not count the broken frames: $(json "$T/bench.json" "d['frames']")"
