#!/bin/bash
# Proves: negotiate records the whole negotiation in order (the offer's pods going out, each
# state change, the Format coming in with its pod, the Buffers/Meta answer, add_buffer with the
# real fd kind, the first frame), matches its JSON schema, and prints the same story as text.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc negotiate --emulate gnome-headless --offer shm --timeout 1 --json
expect_rc 0 "shm works"
validate pwzc-negotiate.schema.json "$T/out"
# The daemon's link events interleave as they come; the stream's own events have an order.
events=$(json "$T/out" "' '.join(e['event'] for e in d['result']['timeline'] if e['event'] != 'link')")
# 0.3.x sends the Format alone; 1.x sends Props and Latency before it.
echo "$events" | grep -Eq "^connect state state (param_changed )+update_params" || fail "order: $events"
echo "$events" | grep -q "add_buffer" || fail "no add_buffer: $events"
echo "$events" | grep -q "first_frame" || fail "no first frame: $events"
json "$T/out" "d['result']['timeline'][0]['detail'][0]['props']['format']['choice']" | grep -qx Enum ||
    fail "the offer's EnumFormat pod is not in the timeline"
json "$T/out" "[e for e in d['result']['timeline'] if e.get('param')=='Format'][0]['detail']['props']['format']" |
    grep -qx BGRx || fail "the received Format pod is not in the timeline"
json "$T/out" "[e for e in d['result']['timeline'] if e['event']=='add_buffer'][0]['detail']['fd_kind']" |
    grep -qx memfd || fail "add_buffer does not say the fd is a memfd"
times=$(json "$T/out" "' '.join('%.3f' % e['t_ms'] for e in d['result']['timeline'])")
[ "$times" = "$(echo "$times" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" ] || fail "times not ordered"

run_pwzc negotiate --emulate gnome-headless --offer shm --timeout 1
expect_rc 0 "shm works (text)"
grep -q "param_changed  Format" "$T/out" || fail "text timeline lacks param_changed"
grep -q "^verdict: works" "$T/out" || fail "text lacks the verdict"
grep -q "add_buffer     [0-9]*x MemFd, fd is memfd" "$T/out" || fail "buffers not folded"
