#!/bin/bash
# Proves, on a machine with an NVIDIA GPU (skipped elsewhere): the SHM -> CUDA conversion gives
# the same NV12 as the CPU, byte for byte, for every RGB layout and odd sizes; NVENC either works
# or fails with its named reason and --encoder auto falls back to openh264; the zero-copy import
# of a real DMA-BUF converts to the same NV12 too, or the report says why no DMA-BUF could be
# made. The figures (per-frame times) are in the JSON tests/tools/gpu-check prints.
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
if [ "$(json "$T/gpu.json" "d['encoders']['nvenc_ok']")" = False ]; then
    json "$T/gpu.json" "d['encoders']['nvenc']" | grep -q "NV_ENC_ERR\|no libnvidia-encode\|too old" ||
        fail "NVENC failed without a named reason"
    [ "$(json "$T/gpu.json" "d['encoders']['auto_encoder']")" = openh264 ] || fail "auto did not fall back"
fi
