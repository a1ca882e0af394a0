#!/bin/bash
# Proves: against the gnome-headless emulator (Mutter 43 headless as it offers: BGRx, no
# modifier property, MemFd) the SHM offers stream with frames, DMA-BUF-only offers fail with the
# daemon's link error named (0.3.x: a silent stall; 1.x: the stream error itself), dmabuf+shm falls back to SHM and is recommended,
# and the report says the producer has no modifier property.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate gnome-headless --timeout 1.5 --json
expect_rc 0 "some offer works"
validate pwzc-probe.schema.json "$T/out"

[ "$(json "$T/out" "d['producer']['modifier_property']")" = False ] || fail "modifier property reported"
[ "$(json "$T/out" "d['producer']['shm_only']")" = True ] || fail "not reported as SHM only"
expect_offer verdict shm works
expect_offer data_type shm MemFd
[ "$(offer frames shm)" -gt 10 ] || fail "shm: too few frames"
expect_offer verdict dmabuf-linear "$NO_FORMAT_VERDICT"
expect_offer format_changes dmabuf-linear 0
# 0.3.x: only the daemon's link says it; 1.x: the stream error does (the link may be gone).
offer reason dmabuf-linear | names_link_error || fail "dmabuf-linear: link error not named"
expect_offer verdict dmabuf-implicit "$NO_FORMAT_VERDICT"
expect_offer verdict dmabuf+shm works
expect_offer data_type dmabuf+shm MemFd
# MemPtr-only consumers cannot share memory with a MemFd producer: the link fails to allocate.
expect_offer verdict memptr "$ALLOC_VERDICT"
offer reason memptr | grep -q "alloc buffers" || fail "memptr: no allocation error"
[ "$(json "$T/out" "d['recommended']")" = "dmabuf+shm" ] || fail "recommended $(json "$T/out" "d['recommended']")"
# The emulator's stamps arrive in order, and every frame it made was received or counted as lost
# (a consumer on a loaded machine may miss some: the count must add up, whatever it is).
stamps() { json "$T/out" "next(o for o in d['offers'] if o['name']=='shm')['stamps']['$1']"; }
[ $(($(stamps last_seq) - $(stamps first_seq) + 1)) -eq $(($(stamps frames) + $(stamps lost))) ] ||
    fail "shm: stamps do not add up: $(json "$T/out" "next(o for o in d['offers'] if o['name']=='shm')['stamps']")"
[ "$(stamps lost)" -lt "$(stamps frames)" ] || fail "shm: most frames lost: $(stamps lost)"
