#!/bin/bash
# The benchmark (not a test): pwzc beside its peers on one machine, in one run, on the same
# unthrottled emulated producer (BGRx, --fps 0) at 1920x1080 and 3840x2160:
#   floor   one memcpy of a frame (bench/floor.c)
#   gst     pipewiresrc ! video/x-raw ! fakesink                 capture only
#           pipewiresrc always-copy=true ! ... ! fakesink        capture + one copy
#           ... ! videoconvert ! video/x-raw,format=NV12 ! ...  capture + NV12
#           ... ! videoconvert ! openh264enc ! fakesink          software encoding (openh264
#                                                                set up as pwzc sets it up)
#   pwzc    bench --copy-only / --encoder none / --encoder software
# and prints frames/s and CPU time a frame for each, with the ratios the targets are about; then
# the same software capture from a producer paced at 60 fps, as a compositor's is: the fps it
# keeps, the frames its queue dropped, and the latency.
# Run from a built tree: bench/run.sh [SECONDS]   (results: bench/RESULTS.md records a run)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export PWZC=${PWZC:-$HERE/../pwzc} TESTS_SRCDIR=$HERE/../tests
SECONDS_EACH=${1:-4}
. "$TESTS_SRCDIR/lib.sh"
set -e
cc -O2 -o "$T/floor" "$HERE/floor.c"
start_stack
TIMEFORMAT='%R %U %S'

# gst_run FRAMES PIPELINE...: prints "fps cpu_ms_per_frame" (CPU of the whole gst process)
gst_run() {
    local frames=$1 t; shift
    t=$( { time gst-launch-1.0 -q pipewiresrc path="$NODE" num-buffers="$frames" "$@" \
        >/dev/null 2>&1; } 2>&1 | tail -n 1)
    awk -v t="$t" -v n="$frames" 'BEGIN { split(t, a, " "); printf "%.1f %.3f\n", n / a[1], (a[2] + a[3]) * 1000 / n }'
}

# pwzc_run ARGS...: prints "fps cpu_ms_per_frame"
pwzc_run() {
    "$PWZC" bench --node "$NODE" --duration "$SECONDS_EACH" --warmup 1 --path shm-cpu --json "$@" \
        >"$T/bench.json" 2>/dev/null || { echo "0 0"; return; }
    json "$T/bench.json" "'%.1f %.3f' % (d['fps'], d['cpu']['ms_per_frame'])"
}

row() { printf '  %-44s %9s fps %9s ms CPU a frame\n' "$1" $2; }

for size in 1920x1080 3840x2160; do
    w=${size%x*} h=${size#*x}
    rm -f "$T/ready" # not the last emulator's: wait_for could see it before this one truncates it
    "$PWZC" emulate --profile gnome-headless --size "$size" --fps 0 --json >"$T/ready" 2>/dev/null &
    PIDS+=($!)
    wait_for 100 test -s "$T/ready"
    NODE=$(json "$T/ready" "d['node_id']")
    frames=$([ "$w" -gt 2000 ] && echo 400 || echo 1200)
    # the least of three: a shared machine only ever makes a copy slower
    floor=$(for i in 1 2 3; do "$T/floor" "$w" "$h" 300; done | sort -n | head -n 1)
    echo "$size BGRx, producer unthrottled (pwzc emulate --fps 0), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    printf '  %-44s %9s     %9s ms CPU a frame\n' "floor: one memcpy of a frame" "" "$floor"
    gst_cap=$(gst_run "$frames" ! video/x-raw ! fakesink); row "gst: pipewiresrc ! fakesink" "$gst_cap"
    gst_copy=$(gst_run "$frames" always-copy=true ! video/x-raw ! fakesink); row "gst: pipewiresrc always-copy ! fakesink" "$gst_copy"
    # the least of three too, measured the same way as the floor it is compared with
    pw_copy=$(for i in 1 2 3; do pwzc_run --copy-only; done | sort -n -k2 | head -n 1)
    row "pwzc bench --copy-only (least of three)" "$pw_copy"
    gst_nv12=$(gst_run "$frames" ! video/x-raw ! videoconvert ! video/x-raw,format=NV12 ! fakesink)
    row "gst: ... ! videoconvert ! NV12 ! fakesink" "$gst_nv12"
    pw_nv12=$(pwzc_run --encoder none); row "pwzc bench --encoder none (capture + NV12)" "$pw_nv12"
    if gst-inspect-1.0 openh264enc >/dev/null 2>&1; then
        # The encoder as pwzc sets it (src/encode-sw.c): screen content, 8 Mbit/s, bitrate rate
        # control, a slice and a thread a core (openh264 takes four at most); openh264enc's
        # defaults (camera, 128 kbit/s, one slice) would make it a different encoder's cost.
        slices=$(( $(nproc) > 4 ? 4 : $(nproc) ))
        gst_enc=$(gst_run $((frames / 4)) ! video/x-raw ! videoconvert ! openh264enc usage-type=screen \
            bitrate=8000000 rate-control=bitrate slice-mode=n-slices num-slices=$slices \
            multi-thread=$slices ! fakesink)
        row "gst: ... ! videoconvert ! openh264enc (as pwzc)" "$gst_enc"
    else
        gst_enc="0 0"; echo "  (gst openh264enc missing: apt-get install gstreamer1.0-plugins-bad)"
    fi
    pw_enc=$(pwzc_run --encoder software); row "pwzc bench --encoder software (openh264)" "$pw_enc"
    # On a machine with CUDA: the SHM -> CUDA upload and NV12 kernel, per frame (target at 4K:
    # 1 ms on an H100). Elsewhere the row says why it cannot run.
    if "$PWZC" bench --node "$NODE" --duration "$SECONDS_EACH" --warmup 1 --path shm-cuda \
        --encoder none --json >"$T/cuda.json" 2>"$T/cuda.err"; then
        printf '  %-44s %9s     %9s ms GPU upload + convert a frame (p50)\n' \
            "pwzc bench --path shm-cuda --encoder none" \
            "$(json "$T/cuda.json" "'%.1f fps' % d['fps']")" \
            "$(json "$T/cuda.json" "'%.3f' % (d['stages']['upload']['p50_ms'] + d['stages']['convert']['p50_ms'])")"
    else
        printf '  %-44s %s\n' "pwzc bench --path shm-cuda" "not here: $(tail -n 1 "$T/cuda.err")"
    fi
    awk -v f="$floor" -v c="${pw_copy#* }" -v gn="${gst_nv12#* }" -v pn="${pw_nv12#* }" \
        -v ge="${gst_enc#* }" -v pe="${pw_enc#* }" 'BEGIN {
        printf "  ratios: pwzc copy-only / memcpy floor = %.2f (target <= 1.3)\n", c / f
        printf "          pwzc capture+NV12 / gst videoconvert pipeline = %.2f (target <= 0.5)\n", pn / gn
        if (ge > 0) printf "          pwzc software encode / gst openh264enc pipeline = %.2f\n", pe / ge
    }'
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
    # A producer at 60 fps: does software capture keep up (fps 60, nothing dropped)?
    rm -f "$T/ready"
    "$PWZC" emulate --profile gnome-headless --size "$size" --fps 60 --json >"$T/ready" 2>/dev/null &
    PIDS+=($!)
    wait_for 100 test -s "$T/ready"
    NODE=$(json "$T/ready" "d['node_id']")
    if "$PWZC" bench --node "$NODE" --duration "$SECONDS_EACH" --warmup 1 --path shm-cpu \
        --encoder software --json >"$T/paced.json" 2>/dev/null; then
        printf '  %-44s %9s fps %9s ms CPU a frame; %s\n' "pwzc bench --encoder software, 60 fps producer" \
            $(json "$T/paced.json" "'%.1f %.3f' % (d['fps'], d['cpu']['ms_per_frame'])") \
            "$(json "$T/paced.json" "'%d dropped (queue of %d), latency p50 %.1f ms, p99 %.1f ms' % (d['queue']['dropped'], d['queue']['depth'], d['latency']['p50_ms'], d['latency']['p99_ms'])")"
    fi
    echo
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
done
