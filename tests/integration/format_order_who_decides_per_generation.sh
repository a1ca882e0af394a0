#!/bin/bash
# Proves: when a consumer puts its formats in another order than the producer, pwzc says whose
# order the daemon followed, from what was agreed: a client profile listing BGRA before BGRx
# against Mutter 50 headless (BGRx, then BGRA) gets BGRx, the producer's first, on PipeWire
# 0.3.65 and 1.4.2, and BGRA, its own first, on 1.6 (the consumer's order decides since
# 1.5.81). JSON format_order and the text line both say so; a client that puts the producer's
# first format first gets no line, as there was nothing to decide.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
sed 's/^formats = .*/formats = BGRA, BGRx/; s/^description = .*/description = BGRA before BGRx/' \
    "$PWZC_DATADIR/clients/gst-pipewiresrc.client" >"$T/bgra-first.client"
grep -q '^formats = BGRA, BGRx$' "$T/bgra-first.client" || fail "no formats line to rewrite"

if [ "$(pw_generation)" = 1.6 ]; then by=consumer got=BGRA; else by=producer got=BGRx; fi
run_pwzc negotiate --emulate gnome-headless-50 --client "$T/bgra-first.client" --timeout 3 --json
validate pwzc-negotiate.schema.json "$T/out"
[ "$(json "$T/out" "d['client']['format']['format']")" = "$got" ] ||
    fail "PipeWire $(pw_generation) agreed $(json "$T/out" "d['client']['format']['format']"), not $got"
[ "$(json "$T/out" "d['client']['format_order']")" = \
    "{'decided_by': '$by', 'producer_first': 'BGRx', 'consumer_first': 'BGRA'}" ] ||
    fail "format_order: $(json "$T/out" "d['client']['format_order']")"

run_pwzc probe --emulate gnome-headless-50 --clients "$T/bgra-first.client" --timeout 3
expect_rc 0 "probe --clients"
grep -q "^format order: the daemon chose by the $by's order: bgra-first got $got" "$T/out" ||
    fail "probe does not name whose order decided: $(cat "$T/out")"

# The built-in offers put BGRx first, as the producer does: nothing to decide, no line.
run_pwzc probe --emulate gnome-headless-50 --offers shm --timeout 3 --json
[ "$(json "$T/out" "d['offers'][0]['format_order']['decided_by']")" = None ] ||
    fail "shm: $(json "$T/out" "d['offers'][0]['format_order']")"
echo "PipeWire $(pw_generation): the $by's order decided ($got)"
