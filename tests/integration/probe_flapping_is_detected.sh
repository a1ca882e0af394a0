#!/bin/bash
# Proves: a producer that streams and then drops back to Paused every 0.8 s is judged flapping
# (Streaming -> Paused at least twice), though frames do arrive in between.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
# Each offer is watched for 8 s (10 flap intervals), not 2.5 s (3): two drops still fit when a
# loaded machine takes seconds to link the stream.
run_pwzc probe --emulate flapping --offers shm,memfd --timeout 8 --json
expect_rc 1 "nothing is stable"
expect_offer verdict shm flapping
expect_offer verdict memfd flapping
[ "$(offer streaming_drops shm)" -ge 2 ] || fail "drops: $(offer streaming_drops shm)"
[ "$(offer frames shm)" -gt 0 ] || fail "no frames between the drops"
json "$T/out" "[s['state'] for s in next(o for o in d['offers'] if o['name']=='shm')['states']]" |
    grep -q "'streaming', 'paused', 'streaming', 'paused'" || fail "states do not alternate"
