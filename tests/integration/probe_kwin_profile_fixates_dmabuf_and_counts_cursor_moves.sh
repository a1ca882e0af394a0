#!/bin/bash
# Proves: the emulated KWin 6.7 (data/profiles/kwin.profile, from KWin's screencaststream.cpp)
# shows a consumer KWin's quirks, and pwzc reads them as KWin means them:
# - two EnumFormats, BGRA|BGRx each: DMA-BUF with modifiers MANDATORY|DONT_FIXATE, then SHM;
# - the producer fixates: dmabuf-linear and dmabuf+shm stream DMA-BUF with the modifier KWin
#   announced (LINEAR), two Format events each; shm streams MemFd; a MemPtr-only offer and an
#   implicit-modifier one find nothing in common (0.3.x: silent-stall, 1.x: error);
# - KWin's cursor moves, buffers whose chunk is flagged CORRUPTED with a cursor meta set, are
#   counted cursor-only, never corrupted, and never called broken frames;
# - on PipeWire 1.2+ its DMA-BUF Buffers ask for explicit sync first, beside a plain param.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate kwin --offers shm,memptr,dmabuf-linear,dmabuf-implicit,dmabuf+shm --timeout 2 --json
expect_rc 0 "KWin's formats work"
validate pwzc-probe.schema.json "$T/out"
[ "$(json "$T/out" "len(d['producer']['enum_formats'])")" = 2 ] ||
    fail "not two EnumFormats: $(json "$T/out" "d['producer']['enum_formats']")"
[ "$(json "$T/out" "d['producer']['modifier_property']")" = True ] || fail "no modifier property"
expect_offer verdict shm works
expect_offer data_type shm MemFd
expect_offer verdict memptr "$ALLOC_VERDICT"
expect_offer verdict dmabuf-implicit "$NO_FORMAT_VERDICT"
for o in dmabuf-linear dmabuf+shm; do
    expect_offer verdict "$o" works
    expect_offer data_type "$o" DmaBuf
    mod=$(json "$T/out" "next(o for o in d['offers'] if o['name']=='$o')['format']['modifier']['values'][0]['name']")
    [ "$mod" = LINEAR ] || fail "$o: streams modifier $mod, not the one KWin fixated (LINEAR)"
    expect_offer format_changes "$o" 2
done
f() { json "$T/out" "next(o for o in d['offers'] if o['name']=='$1')['fates'].get('$2', 0)"; }
for o in shm dmabuf-linear; do
    [ "$(f "$o" cursor-only)" -gt 0 ] || fail "$o: KWin's cursor moves not counted cursor-only"
    [ "$(f "$o" corrupted)" = 0 ] || fail "$o: $(f "$o" corrupted) cursor moves counted corrupted"
    offer reason "$o" | grep -q "cursor-only)" || fail "$o: $(offer reason "$o")"
    ! offer reason "$o" | grep -q corrupted || fail "$o: $(offer reason "$o")"
done
sync() { json "$T/out" "next(o for o in d['offers'] if o['name']=='$1')['explicit_sync']['$2']"; }
if [ "$(pw_generation)" = 0.3 ]; then
    [ "$(sync dmabuf-linear producer)" = none ] || fail "SyncTimeline on 0.3.x"
else
    [ "$(sync dmabuf-linear producer)" = offered ] ||
        fail "explicit sync: producer $(sync dmabuf-linear producer), expected offered"
fi
[ "$(sync shm producer)" = none ] || fail "the SHM format asks for explicit sync"
