#!/bin/bash
# Proves: the human report of a probe of the gnome-headless emulator reads as recorded in
# tests/expected/probe/gnome-headless (times, counts, ids and versions masked): the producer
# table, the GPU line, one row per offer with its verdict, the reasons, the recommendation.
# The dmabuf-gpu row depends on this machine's GPU and is left out. Counts of 0 stay 0 (lib.sh's
# mask_report): an offer that got no frame must say so. `make bless` rewrites the expected file.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate gnome-headless --timeout 1.5
expect_rc 0 "some offer works"
mask() {
    mask_report \
        's/^([a-z0-9+-]+ +(works|silent-stall|renegotiation-loop|flapping|error|no-frames) +)[1-9][0-9]* /\1F /' \
        's/DMA-BUFs: [a-z-]+/DMA-BUFs: SOURCE/' \
        '/^  [A-Za-z0-9]+ +\([A-Z0-9]+\): /d' \
        '/^dmabuf-gpu/d'
}
mask <"$T/out" >"$T/masked"
golden "$T/masked" probe/gnome-headless
