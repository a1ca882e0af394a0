#!/bin/bash
# Proves: every client profile against the emulated producers that offer DMA-BUF (dmabuf-only,
# gnome-gpu, gnome-dmabuf) or misbehave (renegotiate-loop) gets the verdict PipeWire really
# gives, as in tests/expected/clients/emulated. In words: a client without modifiers against
# dmabuf-only gets "no more input formats"; against Mutter-with-a-GPU (gnome-gpu) a client that
# drops the modifier it cannot import and renegotiates (webrtc) ends on SHM, while one without
# that fallback (gnome-remote-desktop) gets DMA-BUF it cannot import, and the import is said to
# be unavailable here (no GPU), not failed; a producer that leaves the modifier for the
# consumer to fixate (gnome-dmabuf) gets no buffer to any real client (0.3.x: none fixates;
# 1.x: a DONT_FIXATE choice left in the Format stops the daemon from readying the port).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
start_stack
client_matrix dmabuf-only gnome-gpu gnome-dmabuf renegotiate-loop
[ "${PWZC_BLESS:-}" = 1 ] && exit 0
client_field dmabuf-only gst-pipewiresrc why | grep -q "no more input formats" ||
    fail "gst against dmabuf-only: no link error"
[ "$(client_field gnome-gpu webrtc)" = works ] || fail "webrtc did not fall back"
[ "$(client_field gnome-gpu webrtc data_type)" = MemFd ] || fail "webrtc did not end on SHM"
json "$T/gnome-gpu.json" "[s['action'] for s in next(c for c in d['clients'] if c['name']=='webrtc')['steps']]" |
    grep -q "drops LINEAR from" || fail "webrtc's drop step is not shown"
[ "$(client_field gnome-gpu gnome-remote-desktop-rdp)" = import-failed ] || fail "GRD on gnome-gpu"
[ "$(json "$T/gnome-gpu.json" "next(c for c in d['clients'] if c['name']=='gnome-remote-desktop-rdp')['import']['tried']")" = unavailable ] ||
    fail "the import is not said to be unavailable here"
# 0.3.x: the client never fixates; 1.x: the daemon never readies the producer's port either way.
client_field gnome-dmabuf obs why | grep -q "$(by_generation "never fixates" "DONT_FIXATE modifier choice")" ||
    fail "gnome-dmabuf: why not said: $(client_field gnome-dmabuf obs why)"
