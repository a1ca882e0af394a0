#!/bin/bash
# Proves: `pwzc emulate` runs as a producer of its own: it prints its node id (JSON per
# data/pwzc-emulate.schema.json), a consumer that targets that node gets frames whose stamps
# (sequence, CLOCK_MONOTONIC time) arrive in order, every frame the producer made is either
# received or counted as lost (a consumer on a loaded machine may miss some; the count must add
# up, whatever it is), and SIGTERM stops it cleanly.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
"$PWZC" emulate --profile wlroots-shm --size 640x360 --fps 30 --json >"$T/ready" 2>"$T/logs/emulate.log" &
EMU=$!
PIDS+=($EMU)
wait_for 100 test -s "$T/ready"
validate pwzc-emulate.schema.json "$T/ready"
node=$(json "$T/ready" "d['node_id']")
run_pwzc negotiate --node "$node" --offer shm --timeout 1.5 --json
expect_rc 0 "frames from the standalone emulator"
stamps() { json "$T/out" "d['result']['stamps']['$1']"; }
[ $(($(stamps last_seq) - $(stamps first_seq) + 1)) -eq $(($(stamps frames) + $(stamps lost))) ] ||
    fail "stamps do not add up: $(json "$T/out" "d['result']['stamps']")"
[ "$(stamps lost)" -lt "$(stamps frames)" ] || fail "most frames lost: $(stamps lost)"
[ "$(stamps frames)" -gt 10 ] || fail "too few frames at 30 fps in 1.5 s"
[ "$(stamps frames)" = "$(json "$T/out" "d['result']['frames']")" ] || fail "stamped != counted"
json "$T/out" "d['result']['format']['size']" | grep -qx 640x360 || fail "size not 640x360"
kill -TERM "$EMU"
for i in $(seq 100); do kill -0 "$EMU" 2>/dev/null || break; sleep 0.05; done
kill -0 "$EMU" 2>/dev/null && fail "emulate ignored SIGTERM"
wait "$EMU" || fail "emulate exited with $?"
