#!/bin/bash
# Proves: against producers that ask for explicit sync (a Buffers param with the SyncTimeline
# meta and two syncobj data blocks, PipeWire 1.2 and later), probe reports per offer what the
# producer asks ("offered" beside a plain Buffers param, or "required" alone) and whether the
# offer took it, and names what PipeWire really does with an offer that ignores a required
# SyncTimeline. Observed on 1.4.2: the daemon links it anyway, from the consumer's own Buffers
# param: DMA-BUF frames flow, without syncobj data blocks. On 0.3.x there is no SyncTimeline:
# the emulator, as compositors do, sends plain buffers and the report says nothing of it.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
sync() { json "$T/out" "next(o for o in d['offers'] if o['name']=='$1')['explicit_sync']['$2']"; }
for profile in explicit-sync explicit-sync-only; do
    run_pwzc probe --emulate "$profile" --offers dmabuf-linear,shm --timeout 1.5 --json
    expect_rc 0 "$profile: an offer works"
    validate pwzc-probe.schema.json "$T/out"
    expect_offer verdict dmabuf-linear works
    expect_offer data_type dmabuf-linear DmaBuf
    [ "$(sync shm producer)" = none ] || fail "$profile: the SHM format asks for explicit sync"
    [ "$(sync shm points)" = none-asked ] || fail "$profile: shm points $(sync shm points)"
    if [ "$(pw_generation)" = 0.3 ]; then
        [ "$(sync dmabuf-linear producer)" = none ] || fail "$profile: SyncTimeline on 0.3.x"
        continue
    fi
    want=$([ "$profile" = explicit-sync ] && echo offered || echo required)
    [ "$(sync dmabuf-linear producer)" = "$want" ] || fail "$profile: producer $(sync dmabuf-linear producer)"
    [ "$(sync dmabuf-linear taken)" = False ] || fail "$profile: pwzc's offer took explicit sync"
    [ "$(sync dmabuf-linear syncobj_datas)" = 0 ] || fail "$profile: syncobj blocks reached the consumer"
    [ "$(sync dmabuf-linear points)" = not-taken ] || fail "$profile: points $(sync dmabuf-linear points)"
done
[ "$(pw_generation)" = 0.3 ] && exit 0
run_pwzc probe --emulate explicit-sync-only --offers dmabuf-linear,shm --timeout 1.5
expect_rc 0 "text report"
grep -q "^explicit sync: the producer requires SyncTimeline for its DMA-BUF buffers; no offer took it. The daemon linked dmabuf-linear anyway" "$T/out" ||
    fail "the report does not name what the daemon did: $(grep explicit "$T/out")"
