#!/bin/bash
# Proves, on a machine with an NVIDIA GPU (skipped elsewhere): the SHM -> CUDA conversion gives
# the same NV12 as the CPU, byte for byte, for every RGB layout and odd sizes, also from a new
# mapping at the address of one whose registration was dropped (a renegotiation); NVENC either works
# or fails with its named reason and --encoder auto falls back to openh264; the zero-copy import
# of a real DMA-BUF converts to the same NV12 too, or the report says why no DMA-BUF could be
# made (a DMA-BUF must convert where the machine has a DRM render node). The figures
# (per-frame times) are in the JSON tests/tools/gpu-check prints.
. "$TESTS_SRCDIR/lib.sh"
set -e
[ -x "$TESTS_BUILDDIR/tools/gpu-check" ] || { echo "built without the CUDA loader headers"; exit 77; }
set +e
"$TESTS_BUILDDIR/tools/gpu-check" >"$T/gpu.json" 2>"$T/err"
rc=$?
set -e
[ "$rc" -eq 77 ] && { echo "no CUDA here: $(json "$T/gpu.json" "d['cuda']")"; exit 77; }
cat "$T/gpu.json"
[ "$rc" -eq 0 ] || fail "gpu-check failed ($rc)"
json "$T/gpu.json" "all(c['y_bytes_differing'] == 0 and c['uv_bytes_differing'] == 0 for c in d['shm_cuda_equals_cpu'])" |
    grep -qx True || fail "SHM -> CUDA differs from the CPU"
json "$T/gpu.json" "d['new_mapping'].get('same_address') is True and d['new_mapping'].get('bytes_differing') == 0" |
    grep -qx True || fail "a new mapping at a dropped one's address was not read: $(json "$T/gpu.json" "d['new_mapping']")"
if [ "$(json "$T/gpu.json" "d['encoders']['nvenc_ok']")" = False ]; then
    json "$T/gpu.json" "d['encoders']['nvenc']" | grep -q "NV_ENC_ERR\|no libnvidia-encode\|too old" ||
        fail "NVENC failed without a named reason"
    [ "$(json "$T/gpu.json" "d['encoders']['auto_encoder']")" = openh264 ] || fail "auto did not fall back"
fi
# Zero-copy: where a DMA-BUF was imported its NV12 must equal the CPU's; a machine with a DRM
# render node must import one (that is what zero-copy is for); elsewhere the report must say why
# not, naming the DMA-BUF it made or could not make and the import's answer.
zc() { json "$T/gpu.json" "d['zero_copy'].get('$1')"; }
if [ "$(zc bytes_differing)" != None ]; then
    [ "$(zc bytes_differing)" = 0 ] || fail "zero-copy NV12 differs from the CPU in $(zc bytes_differing) bytes"
elif ls /dev/dri/renderD* >/dev/null 2>&1; then
    fail "this machine has a DRM render node but the zero-copy import did not convert: $(zc import)"
else
    [ "$(zc dmabuf)" != None ] && [ -n "$(zc dmabuf)" ] || fail "zero-copy says nothing of its DMA-BUF"
    [ "$(zc import)" != None ] && [ -n "$(zc import)" ] || fail "zero-copy did not convert and says not why"
    note "no DRM render node: zero-copy did not convert ($(zc dmabuf); $(zc import))"
fi
