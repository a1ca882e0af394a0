#!/bin/bash
# Proves: the consumer's own behaviour is an option of negotiate and probe, and its verdict names
# the cause. Against a producer with a pool of 2 buffers (as xdg-desktop-portal-wlr 0.8 has), a
# consumer that keeps its last 2 buffers (--hold 2, a client that keeps frames, as Chromium did
# against xdpw 0.8.3) gets a frame or two and then nothing: `stalled`, "the producer has 2
# buffers and the consumer holds 2". Keeping 1 leaves the producer one: it works, and says what
# the consumer held. A consumer that takes 200 ms a frame (--frame-delay) works at the rate it
# can take, and the reason says so. Bad values get one line and exit 2.
. "$TESTS_SRCDIR/lib.sh"
set -e
sed -e 's/^buffers = .*/buffers = 2..2/' \
    -e 's/^description = .*/description = GNOME headless with a pool of 2 buffers/' \
    "$PWZC_DATADIR/profiles/gnome-headless.profile" >"$T/two.profile"

run_pwzc negotiate --sandbox --emulate "$T/two.profile" --offer shm --hold 2 --timeout 3 --json
expect_rc 1 "a consumer holding the whole pool"
validate pwzc-negotiate.schema.json "$T/out"
[ "$(json "$T/out" "d['result']['verdict']")" = stalled ] ||
    fail "holding 2 of 2: $(json "$T/out" "d['result']['verdict']"): $(json "$T/out" "d['result']['reason']")"
json "$T/out" "d['result']['reason']" | grep -q "the producer has 2 buffers and the consumer holds 2" ||
    fail "the reason does not name the cause: $(json "$T/out" "d['result']['reason']")"
[ "$(json "$T/out" "d['result']['frames']")" -le 3 ] || fail "frames kept coming while the pool was held"

run_pwzc negotiate --sandbox --emulate "$T/two.profile" --offer shm --hold 1 --timeout 3 --json
expect_rc 0 "a consumer holding 1 of 2"
[ "$(json "$T/out" "d['result']['verdict']")" = works ] || fail "holding 1 of 2: not works"
json "$T/out" "d['result']['reason']" | grep -q "the consumer held 1 of the producer's 2 buffers" ||
    fail "the reason does not say what was held: $(json "$T/out" "d['result']['reason']")"
[ "$(json "$T/out" "d['result']['frames']")" -gt 3 ] || fail "holding 1 of 2 stopped the stream"

run_pwzc negotiate --sandbox --emulate "$T/two.profile" --offer shm --frame-delay 200 --timeout 3 --json
expect_rc 0 "a slow consumer"
reason=$(json "$T/out" "d['result']['reason']")
echo "$reason" | grep -q "the consumer took 200 ms a frame" || fail "slow consumer: $reason"
rate=$(echo "$reason" | sed -n 's/.*ms a frame: \([0-9.]*\) frames a second.*/\1/p')
/usr/bin/python3 -c "import sys; sys.exit(not 0 < float('$rate') <= 5.5)" ||
    fail "a consumer taking 200 ms a frame got $rate frames a second"

# probe takes the same behaviour for every offer.
run_pwzc probe --sandbox --emulate "$T/two.profile" --offers shm --hold 2 --timeout 3 --json
expect_rc 1 "probe with a consumer holding the whole pool"
[ "$(offer verdict shm)" = stalled ] || fail "probe --hold 2: $(offer verdict shm)"

run_pwzc negotiate --sandbox --offer shm --hold 99
expect_rc 2 "--hold 99"
grep -q -- "--hold '99' is out of range" "$T/err" || fail "--hold 99: $(cat "$T/err")"
run_pwzc probe --sandbox --frame-delay soon
expect_rc 2 "--frame-delay soon"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "--frame-delay soon: $(cat "$T/err")"
echo "holding the pool stalls and is named; holding less and a slow consumer work, and say so"
