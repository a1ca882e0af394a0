#!/bin/bash
# Proves: every client profile against the emulated KWin 6.7 with OpenGL (data/profiles/kwin:
# DMA-BUF with modifiers MANDATORY|DONT_FIXATE that the producer fixates, then SHM; explicit sync
# with a MANDATORY metaType; cursor moves flagged CORRUPTED) reads as recorded for this PipeWire
# generation in tests/expected/clients/kwin-profile (times and counts masked). It pins what each
# client meets on a Plasma desktop with a GPU on each generation, where real KWin cannot be run
# (kwin_probe_and_clients_agree_with_the_kwin_profile.sh compares the two where it can). The
# recorded table is for a machine whose GPU imports no DMA-BUF (clients that do import then
# stream DMA-BUF): with a DRM render node the test skips.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
if ls /dev/dri/renderD* >/dev/null 2>&1; then
    echo "this machine has a DRM render node: the recorded table is for one without"; exit 77
fi
start_stack
run_pwzc probe --emulate kwin --clients --json
[ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "probe --emulate kwin --clients: exit $RC"; }
validate pwzc-probe.schema.json "$T/out"
[ "$(json "$T/out" "next(c for c in d['clients'] if c['name']=='obs')['verdict']")" = works ] ||
    fail "OBS does not stream from KWin"
run_pwzc probe --emulate kwin --clients
[ "$RC" -le 1 ] || fail "text report: exit $RC"
# Where no DMA-BUF can be imported the reasons say why in this machine's words (which EGL device):
# masked, as the GPU line is.
mask_clients <"$T/out" |
    sed -E 's/\((only a software EGL device|no EGL)( \([^)]*\))?[^()]*\)/(this machine)/g' >"$T/masked"
golden "$T/masked" clients/kwin-profile
