#!/bin/bash
# Proves: each producer profile read from a compositor's source (niri, niri-window, cosmic,
# xdpw-0.8, gamescope, mutter-50-hdr, mutter-51) is probed as recorded for this PipeWire
# generation in tests/expected/producers/NAME: its EnumFormats as the consumer sees them (the
# quirks in them: niri's mHz maxFramerate, COSMIC's fixed 60/1 and RGBA/BGRA, gamescope's NV12,
# Mutter 50's HDR formats) and one verdict per built-in offer. Times, counts, ids, versions and
# where DMA-BUFs come from are masked; counts of 0 stay 0; a stream error that 1.6 reports twice
# counts once (how often varies from run to run). `make bless` rewrites the goldens.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
mask() {
    mask_report \
        's/^([a-z0-9+-]+ +(works|silent-stall|renegotiation-loop|flapping|error|no-frames) +)[1-9][0-9]* /\1F /' \
        's/DMA-BUFs: [a-z-]+/DMA-BUFs: SOURCE/' \
        's/DmaBuf \([a-z-]+\)/DmaBuf (SOURCE)/' \
        's/; here the fd is a [a-z-]+$//' \
        '/^  [A-Za-z0-9]+ +\([A-Z0-9]+\): /d' \
        '/^dmabuf-gpu/d' \
        's/>error>error/>error/'
}
for p in niri niri-window cosmic xdpw-0.8 gamescope mutter-50-hdr mutter-51; do
    run_pwzc probe --emulate "$p" --timeout 3
    expect_rc 0 "$p: some offer works"
    mask <"$T/out" >"$T/masked-$p"
    golden "$T/masked-$p" "producers/$p"
done
