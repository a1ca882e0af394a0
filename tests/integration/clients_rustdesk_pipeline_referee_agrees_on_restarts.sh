#!/bin/bash
# Proves: RustDesk's real capture pipeline referees what the rustdesk profile's replay says of
# producers whose stream restarts. For a steady producer, a resize, a pixel-format change and
# a producer that flaps every 0.8 s, a fresh emulated producer is given to the pipeline of
# RustDesk 1.4.9 (libs/scrap/src/wayland/pipewire.rs), here ended after 30 buffers,
#     pipewiresrc keepalive-time=1000 always-copy=true num-buffers=30 ! videoconvert
#       ! appsink caps="video/x-raw,format=BGRx;video/x-raw,format=RGBx" drop=true max-buffers=1
#         wait-on-eos=false
# (wait-on-eos: nobody pulls from this appsink, and by default it holds the end of stream
# until its last buffer is pulled; the buffers' way there is RustDesk's),
# and another to `pwzc probe --clients rustdesk`; gst-launch reaching its 30 buffers within
# 10 s must agree with the replay taking 30 frames or more. pipewiresrc 1.6 holds its buffers
# after a restart until its clock, which started again from zero, is back where it was
# (on-pause = wait-for-clock); keepalive-time does not help it (a keepalive buffer is made only
# when none came). The profile models pipewiresrc 1.6: this runs where that is installed.
. "$TESTS_SRCDIR/lib.sh"
set -e
for element in pipewiresrc videoconvert appsink; do
    gst-inspect-1.0 "$element" >/dev/null 2>&1 ||
        { echo "GStreamer element $element missing (gstreamer1.0-pipewire, -plugins-base)"; exit 77; }
done
[ "$(gst_profile)" = gst-pipewiresrc-1.6 ] ||
    { echo "pipewiresrc $(gst-inspect-1.0 pipewiresrc | sed -n 's/^ *Version *//p'): rustdesk.client models 1.6"; exit 77; }
start_stack

# pipeline_gets_buffers PROFILE: 0 when RustDesk's pipeline got 30 buffers from a fresh
# emulated producer.
pipeline_gets_buffers() {
    local ready=$T/ready-$1 pid rc
    "$PWZC" emulate --profile "$1" --json >"$ready" 2>"$T/logs/emulate-$1.log" &
    pid=$!
    PIDS+=("$pid")
    wait_for 200 test -s "$ready"
    set +e
    timeout 10 gst-launch-1.0 -q pipewiresrc path="$(json "$ready" "d['node_id']")" \
        keepalive-time=1000 always-copy=true num-buffers=30 ! videoconvert ! \
        appsink caps="video/x-raw,format=BGRx;video/x-raw,format=RGBx" drop=true max-buffers=1 \
        wait-on-eos=false >"$T/logs/gst-$1.log" 2>&1
    rc=$?
    set -e
    kill "$pid"; wait "$pid" 2>/dev/null || true
    return "$rc"
}

for p in gnome-headless resize-mid-stream format-change-mid-stream flapping; do
    if pipeline_gets_buffers "$p"; then real=buffers; else real=none; fi
    run_pwzc probe --emulate "$p" --clients rustdesk --frames 30 --timeout 6 --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$p: probe exit $RC"; }
    c() { json "$T/out" "d['clients'][0]['$1']"; }
    if [ "$(c frames)" -ge 30 ]; then replay=buffers; else replay=none; fi
    note "$p: RustDesk's pipeline: $real; pwzc rustdesk: $(c verdict), $(c frames) frames, $(c "fates']['held-by-clock") held by its clock"
    [ "$real" = "$replay" ] ||
        fail "$p: RustDesk's pipeline got $real, the profile's replay $replay ($(c verdict): $(c why))"
done
