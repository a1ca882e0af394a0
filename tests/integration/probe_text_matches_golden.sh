#!/bin/bash
# Proves: the human report of a probe of the gnome-headless emulator reads as recorded in
# tests/expected/probe/gnome-headless (times, counts, ids and versions masked): the producer
# table, the GPU line, one row per offer with its verdict, the reasons, the recommendation.
# The dmabuf-gpu row depends on this machine's GPU and is left out. With PWZC_BLESS=1 the test
# rewrites the expected file instead.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate gnome-headless --timeout 1.5
expect_rc 0 "some offer works"
mask() {
    sed -E -e 's/node [0-9]+/node ID/' \
        -e 's/daemon [0-9.]+, library [0-9.]+ \(compiled against [0-9.]+\)/daemon V, library V (compiled against V)/' \
        -e '/^  features  daemon /d' \
        -e 's/[0-9]+(\.[0-9]+)? ms/T ms/g' \
        -e 's/[0-9]+ frames/F frames/g' \
        -e 's/^([a-z0-9+-]+ +(works|silent-stall|renegotiation-loop|flapping|error|no-frames) +)[0-9]+ /\1F /' \
        -e 's/DMA-BUFs: [a-z-]+/DMA-BUFs: SOURCE/' \
        -e 's/^GPU: .*/GPU: (this machine)/' \
        -e '/^  [A-Za-z0-9]+ +\([A-Z0-9]+\): /d' \
        -e '/^dmabuf-gpu/d' \
        -e 's/  +/ /g'
}
mask <"$T/out" >"$T/masked"
golden "$T/masked" probe/gnome-headless
