#!/bin/bash
# The benchmark (not a test) of how fast probe answers: the wall time of a one-offer probe
# (--offers shm), of the full built-in matrix and of --clients, each once with the default
# (`works` trusted after 10 frames in 1.5 s of Streaming) and once with --frames 0 (every offer
# watched for its whole window, as probe did before), against the emulator (gnome-headless, in
# the stack this script starts) and against a real Mutter headless where it is installed. The
# ratios (matrix / one offer, clients / one offer) are those of one run: both sides measured
# here, one after the other, on the same producer; the matrix and the clients also with --jobs
# (every offer, every client at once, each against a producer of its own). It also checks that
# the verdicts agree between the settings, offer by offer and client by client.
# Run from a built tree: bench/probe-speed.sh [RUNS]   (results: bench/RESULTS.md)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export PWZC=${PWZC:-$HERE/../pwzc} TESTS_SRCDIR=$HERE/../tests
RUNS=${1:-1}
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
set -e
start_stack

# timed NAME ARGS...: the least wall time of RUNS runs of `pwzc probe ARGS --json`, in seconds;
# the last run's report kept as $T/NAME.json.
timed() {
    local name=$1 best="" t0 t1 s; shift
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s.%N)
        "$PWZC" probe "$@" --json >"$T/$name.json" 2>/dev/null || true
        t1=$(date +%s.%N)
        s=$(echo "$t1 - $t0" | bc)
        if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; fi
    done
    printf '%.2f' "$best"
}

# verdicts NAME: "name verdict" lines of a report's offers or clients.
verdicts() {
    json "$T/$1.json" "'\\n'.join(o['name'] + ' ' + o['verdict'] for o in d.get('offers', d.get('clients', [])))"
}

# producer LABEL SESSION...: the eight runs and their ratios against one producer.
producer() {
    local label=$1 one full clients one0 full0 clients0 fullj clientsj; shift
    echo "$label; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    one=$(timed one "$@" --offers shm)
    full=$(timed full "$@")
    clients=$(timed clients "$@" --clients)
    one0=$(timed one0 "$@" --offers shm --frames 0)
    full0=$(timed full0 "$@" --frames 0)
    clients0=$(timed clients0 "$@" --clients --frames 0)
    fullj=$(timed fullj "$@" --jobs 7)
    clientsj=$(timed clientsj "$@" --clients --jobs 15)
    printf '  %-34s %8s %12s %16s\n' "" "default" "--frames 0" "--jobs"
    printf '  %-34s %7ss %11ss %16s\n' "probe --offers shm (one offer)" "$one" "$one0" "-"
    printf '  %-34s %7ss %11ss %15ss  (--jobs 7)\n' "probe (every built-in offer)" "$full" "$full0" "$fullj"
    printf '  %-34s %7ss %11ss %15ss  (--jobs 15)\n' "probe --clients" "$clients" "$clients0" "$clientsj"
    printf '  %-34s %8.2f %12.2f %16.2f   (target <= 1.6)\n' "ratio: matrix / one offer" \
        "$(echo "$full / $one" | bc -l)" "$(echo "$full0 / $one0" | bc -l)" "$(echo "$fullj / $one" | bc -l)"
    printf '  %-34s %8.2f %12.2f %16.2f   (target <= 2.5)\n' "ratio: clients / one offer" \
        "$(echo "$clients / $one" | bc -l)" "$(echo "$clients0 / $one0" | bc -l)" \
        "$(echo "$clientsj / $one" | bc -l)"
    for pair in "full full0" "clients clients0" "full fullj" "clients clientsj"; do
        set -- $pair
        if [ "$(verdicts "$1")" = "$(verdicts "$2")" ]; then
            echo "  verdicts of $1: the same in $2 ($(verdicts "$1" | wc -l) rows)"
        else
            echo "  verdicts of $1 DIFFER in $2:"
            diff <(verdicts "$1") <(verdicts "$2") | sed 's/^/    /'
        fi
    done
}

producer "emulator (gnome-headless, 1280x720 at 30 fps), $(nproc) cores" --emulate gnome-headless
if have_mutter; then
    start_mutter
    producer "real Mutter $(mutter --version | head -n 1 | awk '{print $2}') headless, foot redrawing every 20 ms" --mutter
else
    echo "real Mutter: not installed (tests/peers/deps.sh)"
fi
