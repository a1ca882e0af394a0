#!/bin/bash
# Proves: against a producer that leaves the modifier open (MANDATORY|DONT_FIXATE) and waits for
# the consumer, what PipeWire does differs by generation, and pwzc reports each:
# - 0.3.x: the daemon's Format arrives with the modifier settled; pwzc's DMA-BUF offers fixate a
#   modifier (announced in a second update_params), stream DmaBuf buffers, and the report says
#   the DMA-BUFs are emulated (a memfd behind them) on a machine without dma-heap or udmabuf.
# - 1.x: the Format keeps the DONT_FIXATE choice, the daemon never readies the producer's port,
#   and every DMA-BUF offer ends in 'Buffer allocation failed', named as the producer's job to
#   fixate; SHM still works and is recommended.
# An implicit-modifier offer shares no modifier on both.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate gnome-dmabuf --timeout 1.5 --json
expect_rc 0 "some offer works"
expect_offer verdict dmabuf-implicit "$NO_FORMAT_VERDICT"
expect_offer verdict shm works
if [ "$(pw_generation)" != 0.3 ]; then
    for o in dmabuf-linear dmabuf+shm; do
        expect_offer verdict "$o" error
        offer reason "$o" | grep -q "DONT_FIXATE modifier choice" || fail "$o: cause not named"
    done
    [ "$(json "$T/out" "d['recommended']")" = shm ] || fail "recommended is not shm"
    exit 0
fi
expect_offer verdict dmabuf+shm works
expect_offer data_type dmabuf+shm DmaBuf
json "$T/out" "next(o for o in d['offers'] if o['name']=='dmabuf+shm')['fixated_modifier']['name']" |
    grep -qx LINEAR || fail "dmabuf+shm did not fixate LINEAR"
expect_offer verdict dmabuf-linear works
expect_offer data_type dmabuf-linear DmaBuf
source=$(json "$T/out" "d['session']['dmabuf_source']")
fd=$(offer fd_kind dmabuf+shm)
if [ "$source" = emulated-memfd ]; then
    [ "$fd" = memfd ] || fail "emulated DMA-BUF but the fd is $fd"
else
    [ "$fd" = dmabuf ] || fail "real DMA-BUF ($source) but the fd is $fd"
fi
[ "$(json "$T/out" "d['recommended']")" = "dmabuf+shm" ] || fail "recommended is not dmabuf+shm"

# negotiate shows the fixation as its own step, with the fixed modifier sent back.
run_pwzc negotiate --emulate gnome-dmabuf --offer dmabuf-linear --timeout 1 --json
expect_rc 0 "dmabuf-linear works"
json "$T/out" "[e['event'] for e in d['result']['timeline']]" | grep -q "'fixate', 'update_params'" ||
    fail "no fixate step followed by update_params"
