#!/bin/bash
# Proves: every client profile against the emulated producers that stream SHM (gnome-headless,
# wlroots-shm, memptr-only, flapping), each in a fresh producer, gets the verdict PipeWire
# really gives, as recorded in tests/expected/clients/emulated. In words: clients with a plain
# EnumFormat and MemFd stream from GNOME headless; DMA-BUF-only gpu-screen-recorder never does
# (no more input formats), not even after its restart; clients whose Buffers ask only
# MemPtr|DmaBuf (OBS, Sunshine) stream MemFd from a MemFd-only producer because their streams map
# buffers (libpipewire adds MemFd to their port's dataType): the same profile without
# map-buffers fails buffer allocation there; they work against a MemPtr-only producer too; a
# flapping producer flaps for every client that streams at all.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
start_stack
client_matrix gnome-headless wlroots-shm memptr-only flapping
[ "${PWZC_BLESS:-}" = 1 ] && exit 0
[ "$(client_field gnome-headless gnome-remote-desktop-rdp)" = works ] || fail "GRD on GNOME headless"
[ "$(client_field gnome-headless gpu-screen-recorder)" = "$NO_FORMAT_VERDICT" ] || fail "gsr streamed"
client_field gnome-headless gpu-screen-recorder why | names_link_error ||
    fail "gsr: the link error is not named"
# gsr restarts a capture that stalls (0.3.x) and gives up on a stream error (1.x).
[ "$(client_field gnome-headless gpu-screen-recorder step)" = "$(by_generation 2 1)" ] ||
    fail "gsr: step $(client_field gnome-headless gpu-screen-recorder step)"
[ "$(client_field gnome-headless obs)" = works ] || fail "obs on GNOME headless: $(client_field gnome-headless obs why)"
[ "$(client_field gnome-headless obs data_type)" = MemFd ] || fail "obs did not stream MemFd"
json "$T/gnome-headless.json" "next(c for c in d['clients'] if c['name'] == 'obs')['stream']['port_data_types']" |
    grep -q MemFd || fail "obs's port is not said to carry MemFd"
# The mechanism, not a name: OBS's profile without map-buffers gets the link error.
sed 's/^stream-flags = .*/stream-flags = autoconnect/' "$PWZC_DATADIR/clients/obs.client" >"$T/obs-unmapped.client"
run_pwzc probe --emulate gnome-headless --clients "$T/obs-unmapped.client" --json
[ "$(json "$T/out" "d['clients'][0]['verdict']")" = "$ALLOC_VERDICT" ] ||
    fail "OBS's pods from a stream that maps nothing: $(json "$T/out" "d['clients'][0]['why']")"
json "$T/out" "d['clients'][0]['why']" | grep -q "error alloc buffers" || fail "obs-unmapped: no alloc error"
[ "$(client_field memptr-only obs data_type)" = MemPtr ] || fail "obs against memptr-only"
[ "$(client_field flapping webrtc)" = flapping ] || fail "webrtc against flapping"
