#!/bin/bash
# Proves: data/bash-completion/pwzc, sourced into bash, completes what the binary accepts:
# commands (`pwzc pro<TAB>` -> probe), a command's options (`probe --emu` -> --emulate),
# emulator profiles after --emulate, client profiles after --clients (also in a comma list), the
# built-in offers after --offers, fixed values (--path), files after -o, and nothing a command
# does not take. Needs no bash-completion package and no daemon.
. "$TESTS_SRCDIR/lib.sh"
set -e
# The completion runs `pwzc` as the user typed it: here, from PATH.
mkdir -p "$T/bin"
ln -s "$PWZC" "$T/bin/pwzc"
export PATH=$T/bin:$PATH
. "$TESTS_SRCDIR/../data/bash-completion/pwzc"
[ "$(complete -p pwzc)" = "complete -F _pwzc pwzc" ] || fail "not registered for pwzc: $(complete -p pwzc)"

# complete_words WORD...: what <TAB> after the last word offers, one a line, sorted. The last
# word is the one being completed: "" for a <TAB> after a space.
complete_words() {
    COMP_WORDS=(pwzc "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _pwzc
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}
# expect "WORDS" LINES...: exactly these completions.
expect() {
    local words=$1 got want
    shift
    got=$(complete_words $words)
    want=$(printf '%s\n' "$@" | LC_ALL=C sort)
    [ "$got" = "$want" ] || fail "pwzc $words<TAB>: got [$(echo $got)], expected [$(echo $want)]"
}
# includes "WORDS" NAME: NAME is among the completions of a <TAB> after "pwzc WORDS ".
includes() {
    complete_words $1 "" | grep -qx -- "$2" ||
        fail "pwzc $1 <TAB>: no $2 in [$(echo $(complete_words $1 ""))]"
}

expect "pro" probe
expect "probe --emu" --emulate
expect "probe --emulate gnome-h" gnome-headless gnome-headless-50
expect "probe --clients o" obs obs-explicit-sync
expect "probe --clients obs,we" obs,webrtc
complete_words probe --offers dma | grep -qx dmabuf-linear || fail "--offers dma: no dmabuf-linear"
complete_words probe --offers dma | grep -qx dmabuf+shm || fail "--offers dma: no dmabuf+shm"
complete_words probe --offers dma | grep -qx shm && fail "--offers dma offers shm"
# Every offer --list-offers names completes after --offers.
for o in $("$PWZC" probe --list-offers | awk '{print $1}'); do
    includes "probe --offers" "$o"
done
expect "capture --path shm-c" shm-cuda shm-cpu
expect "bench --max-lat" --max-latency-p99-ms
expect "emulate --profile dmabuf-o" dmabuf-only
expect "negotiate --client sunshine-" sunshine-nvidia
expect "--json li" list
complete_words list --s | grep -qx -- --sandbox || fail "list --s: no --sandbox"
# A command's own options only: probe has no --encoder; emulate has no --sandbox.
expect "probe --enc"
expect "emulate --sand"
# Every command --help lists, and every profile, completes.
for cmd in $("$PWZC" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p'); do
    includes "" "$cmd"
done
for p in $(ls "$PWZC_DATADIR/profiles" | sed -n 's/\.profile$//p'); do
    includes "probe --emulate" "$p"
done
touch "$T/capture-here.mp4"
expect "capture -o $T/capture-h" "$T/capture-here.mp4"
exit 0
