# Sourced by the misbehaving-producer tests: each profile in data/profiles/ that misbehaves on
# purpose is put through probe, negotiate, capture and bench, each against a fresh producer.

# run_all PROFILE [PROBE_S CAPTURE_S BENCH_S]: probe watching for PROBE_S (default 3)
# ($T/probe.json), negotiate ($T/negotiate.json), capture of CAPTURE_S (default 3) of frames into
# $T/out.h264 ($T/capture.json) and bench of BENCH_S (default 2) ($T/bench.json), keeping each
# exit code in PROBE_RC, NEGOTIATE_RC, CAPTURE_RC, BENCH_RC. None may take longer than its
# window allows: a hang fails the test through `timeout`. PROBE_ARGS: more words for probe (a
# misbehaviour that comes after probe would trust `works` needs --frames 0).
run_all() {
    local p=$1 probe_s=${2:-3} capture_s=${3:-3} bench_s=${4:-2}
    # shellcheck disable=SC2086  # a list of words
    run_timed 60 probe --emulate "$p" --offers shm --timeout "$probe_s" ${PROBE_ARGS:-} --json
    cp "$T/out" "$T/probe.json"; PROBE_RC=$RC
    run_timed 60 negotiate --emulate "$p" --offer shm --timeout 3 --json
    cp "$T/out" "$T/negotiate.json"; NEGOTIATE_RC=$RC
    run_timed 60 capture --emulate "$p" --duration "$capture_s" --timeout 3 --encoder software \
        -o "$T/out.h264" --json
    cp "$T/out" "$T/capture.json"; cp "$T/err" "$T/capture.err"; CAPTURE_RC=$RC
    run_timed 60 bench --emulate "$p" --duration "$bench_s" --warmup 0 --timeout 3 --encoder none --json
    cp "$T/out" "$T/bench.json"; cp "$T/err" "$T/bench.err"; BENCH_RC=$RC
}

# run_timed SECONDS ARGS...: run_pwzc, but a run that outlives SECONDS is a hang, and fails.
run_timed() {
    local limit=$1; shift
    set +e
    timeout "$limit" "$PWZC" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
    [ "$RC" -ne 124 ] || fail "pwzc $1 hung (still running after $limit s)"
}

# expect_codes PROBE NEGOTIATE CAPTURE BENCH: the four exit codes.
expect_codes() {
    [ "$PROBE_RC" = "$1" ] || fail "probe: exit $PROBE_RC, expected $1"
    [ "$NEGOTIATE_RC" = "$2" ] || fail "negotiate: exit $NEGOTIATE_RC, expected $2"
    [ "$CAPTURE_RC" = "$3" ] || fail "capture: exit $CAPTURE_RC, expected $3 ($(cat "$T/capture.err"))"
    [ "$BENCH_RC" = "$4" ] || fail "bench: exit $BENCH_RC, expected $4 ($(cat "$T/bench.err"))"
}

# shm_field FIELD: a field of probe's shm offer.
shm_field() {
    json "$T/probe.json" "next(o for o in d['offers'] if o['name'] == 'shm')['$1']"
}

# file_frames: how many frames ffprobe counts in the capture's file (it must read it).
file_frames() {
    ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
        -of csv=p=0 "$T/out.h264" || fail "ffprobe cannot read what capture wrote"
}

need_ffprobe() {
    command -v ffprobe >/dev/null || { echo "ffmpeg not installed"; exit 77; }
}

# check_hostile NAME REASON: the hostile-NAME producer breaks every other chunk; every command
# must drop exactly those (counted as REASON), never read them, go on with the good ones and
# exit 0, and capture's file must read back with as many frames as capture took.
check_hostile() {
    local name=$1 reason=$2 frames dropped
    need_ffprobe
    start_stack
    run_all "hostile-$name"
    expect_codes 0 0 0 0
    [ "$(shm_field verdict)" = works ] || fail "probe: $(shm_field verdict): $(shm_field reason)"
    [ "$(json "$T/probe.json" "next(o for o in d['offers'] if o['name']=='shm')['dropped']['$reason']")" -gt 5 ] ||
        fail "probe did not count the broken frames as $reason"
    frames=$(json "$T/capture.json" "d['capture']['frames']")
    dropped=$(json "$T/capture.json" "d['capture']['stream']['dropped']['$reason']")
    [ "$frames" -gt 10 ] || fail "capture took $frames frames"
    [ "$dropped" -ge $((frames - 2)) ] || fail "capture dropped $dropped as $reason for $frames taken"
    [ "$(file_frames)" = "$frames" ] || fail "the file has $(file_frames) frames, capture took $frames"
    [ "$(json "$T/bench.json" "d['frames']['dropped']['$reason']")" -gt 5 ] ||
        fail "bench did not count the broken frames: $(json "$T/bench.json" "d['frames']")"
}
