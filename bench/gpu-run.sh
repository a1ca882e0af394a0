#!/bin/bash
# Runs on the GPU machine, from the bundle bench/gpu-bundle.sh made (it is copied into it): the
# GPU paths end to end, the emulator through a real PipeWire into CUDA, beside gpu-check's
# figures for the same conversion without PipeWire. Everything lands in OUTDIR: machine.txt,
# version.json, gpu-check.json, one bench-PATH-ENCODER-SIZE.json (and .err) a run, the captures'
# JSON and stderr, capture.h264 and the mid-stream renegotiations' files, the zero-copy attempts,
# and the GPU test's output.
#   BUNDLE/gpu-run.sh OUTDIR [SECONDS]     (SECONDS measured a bench run, default 5)
set -u
B=$(cd "$(dirname "$0")" && pwd)
O=${1:?usage: gpu-run.sh OUTDIR [SECONDS]}
S=${2:-5}
R=$B/run
mkdir -p "$O"

{
    date -u +%Y-%m-%dT%H:%M:%SZ
    uname -srm
    grep PRETTY_NAME /etc/os-release
    echo "cores: $(nproc);$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
    nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.max,memory.total --format=csv,noheader
    for d in /dev/dri /dev/dma_heap /dev/udmabuf; do
        [ -e "$d" ] && echo "$d: $(ls "$d" 2>&1 | tr '\n' ' ')" || echo "$d: absent"
    done
    ls -d /sys/module/nvidia_drm 2>/dev/null || echo "nvidia_drm: not loaded"
} >"$O/machine.txt" 2>&1

# step NAME COMMAND...: runs it with the bundle's environment, JSON to NAME.json, stderr to
# NAME.err, and its exit status and time to steps.txt.
step() {
    local name=$1 t0 rc
    shift
    t0=$EPOCHREALTIME
    "$R" "$@" >"$O/$name.json" 2>"$O/$name.err"
    rc=$?
    printf '%-36s rc=%-3s %5.1fs  %s\n' "$name" "$rc" "$(awk "BEGIN { print $EPOCHREALTIME - $t0 }")" "$*" |
        tee -a "$O/steps.txt"
}

step version pwzc --version --json
step gpu-check gpu-check
for size in 1920x1080 3840x2160; do
    common=(--sandbox --size "$size" --fps 0 --duration "$S" --warmup 1 --json)
    step "bench-shm-cuda-none-$size" pwzc bench "${common[@]}" --path shm-cuda --encoder none
    step "bench-shm-cpu-none-$size" pwzc bench "${common[@]}" --path shm-cpu --encoder none
    step "bench-shm-cuda-auto-$size" pwzc bench "${common[@]}" --path shm-cuda --encoder auto
done
# A file to decode elsewhere: 60 fps, 2 s, NVENC asked for by auto and refused, openh264 instead.
step capture-shm-cuda pwzc capture --sandbox --size 1920x1080 --fps 60 --path shm-cuda \
    --frames 120 -o "$O/capture.h264" --json
step capture-nvenc pwzc capture --sandbox --size 1920x1080 --path shm-cuda --encoder nvenc \
    --frames 10 -o "$O/nvenc.h264" --json
# New buffers mid-stream (a resize, a format change): each capture's frames carry the emulator's
# stamps, read back from the decoded file elsewhere (tests/tools/read-stamps), so a frame taken
# from a buffer that is gone would show.
for profile in resize-mid-stream format-change-mid-stream; do
    for path in shm-cuda shm-cpu; do
        step "capture-$profile-$path" pwzc capture --sandbox --emulate "$profile" --path "$path" \
            --frames 60 -o "$O/$profile-$path.h264" --json
    done
done
# Zero-copy: what the path says here, asked for outright and left to auto, on a producer that
# offers DMA-BUF only (the emulator's DMA-BUFs are real where there is a dma-heap or udmabuf).
step capture-zerocopy pwzc capture --sandbox --emulate dmabuf-only --path zerocopy --frames 30 \
    -o "$O/zerocopy.h264" --json
step capture-auto-dmabuf pwzc capture --sandbox --emulate gnome-dmabuf --path auto --frames 30 \
    -o "$O/auto-dmabuf.h264" --json
step probe-dmabuf pwzc probe --sandbox --emulate gnome-dmabuf --json

# The GPU test of make check, as far as it runs here (it needs only gpu-check and python3).
# Only the programs it runs get the bundle's environment (the test's python3 is the machine's).
mkdir -p "$O/t/tools" "$O/t/bin"
for p in tools/gpu-check bin/pipewire; do
    printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$R" "${p#*/}" >"$O/t/$p"
    chmod +x "$O/t/$p"
done
PATH=$O/t/bin:$PATH PWZC=$B/bin/pwzc TESTS_SRCDIR=$B/tests TESTS_BUILDDIR=$O/t \
    bash "$B/tests/integration/gpu_paths_match_the_cpu.sh" >"$O/gpu-test.log" 2>&1
echo "gpu_paths_match_the_cpu.sh rc=$?" | tee -a "$O/steps.txt"
rm -rf "$O/t"
