#!/bin/bash
# Proves: against a DMA-BUF-only producer whose modifier is MANDATORY (niri, wlroots with a GPU),
# offers without a modifier property never stream and the report names 'no more input formats'
# and the MANDATORY modifier as the cause; DMA-BUF offers that share LINEAR stream. On PipeWire
# 0.3.x the consumer is never told (silent stall, the daemon's link error names it); on 1.x
# the stream itself errors (lib.sh's NO_FORMAT_VERDICT, from the daemon under test), and the
# text must be there either way.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
# A wide window: the link error (0.3.x) or stream error (1.x) ends each failing offer early;
# under load WirePlumber may link later than a short window allows.
run_pwzc probe --emulate dmabuf-only --timeout 5 --json
expect_rc 0 "DMA-BUF offers work"
for o in shm memfd memptr; do
    expect_offer verdict "$o" "$NO_FORMAT_VERDICT"
    offer reason "$o" | names_link_error || fail "$o: cause not named"
    offer reason "$o" | grep -q "MANDATORY" || fail "$o: the mandatory modifier is not named"
    [ "$(offer frames "$o")" = 0 ] || fail "$o got frames"
done
expect_offer verdict dmabuf-linear works
expect_offer data_type dmabuf-linear DmaBuf
expect_offer verdict dmabuf+shm works
[ "$(json "$T/out" "d['producer']['modifier_property']")" = True ] || fail "modifier property not seen"
