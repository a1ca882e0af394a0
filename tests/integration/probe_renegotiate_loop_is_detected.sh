#!/bin/bash
# Proves: a producer that answers every Format with a new EnumFormat is judged a
# renegotiation-loop (Format events counted, no frames), probe exits 1 because nothing works,
# and the recommendation says why.
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
