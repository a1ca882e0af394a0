#!/bin/bash
# Proves: `pwzc probe --sandbox` (the README's first command) needs no daemon of the user's: it
# starts its own D-Bus, PipeWire and WirePlumber (seen running, by the sandbox's
# XDG_RUNTIME_DIR in their environment, while it probes), probes the gnome-headless emulator by
# default, and leaves no process and no directory behind.
. "$TESTS_SRCDIR/lib.sh"

# sandbox_procs: "PID COMM" of every process whose environment has XDG_RUNTIME_DIR in a sandbox
# directory under $TMPDIR (what pwzc gives the daemons it starts; their argv names no directory).
sandbox_procs() {
    local f pid comm
    for f in $(grep -lsz "^XDG_RUNTIME_DIR=$TMPDIR/pwzc-sandbox-" /proc/[0-9]*/environ); do
        pid=${f#/proc/}; pid=${pid%/environ}
        comm=$(cat "/proc/$pid/comm" 2>/dev/null) && echo "$pid $comm"
    done
    # a process that exits between grep and cat is no failure (set -e would end the test silently)
    return 0
}

set -e
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
"$PWZC" probe --sandbox --offers shm,dmabuf-linear --timeout 5 >"$T/out" 2>"$T/err" &
probe=$!
PIDS+=("$probe")
: >"$T/seen"
while kill -0 "$probe" 2>/dev/null; do
    sandbox_procs >>"$T/seen"
    sleep 0.05
done
set +e; wait "$probe"; RC=$?; set -e
expect_rc 0 "shm works in the sandbox"
for daemon in dbus-daemon pipewire wireplumber; do
    grep -q " $daemon\$" "$T/seen" || fail "no $daemon of the sandbox seen running: $(sort -u "$T/seen")"
done
note "sandbox processes: $(sort -u "$T/seen" | tr '\n' ' ')"
grep -q "profile gnome-headless, private sandbox" "$T/out" || fail "not the embedded default"
grep -q "^shm  *works" "$T/out" || fail "no working shm row"
grep -q "no modifier property: SHM only" "$T/out" || fail "producer not described"
[ -z "$(ls -A "$TMPDIR")" ] || fail "left behind: $(ls -A "$TMPDIR")"
left=$(sandbox_procs)
[ -z "$left" ] || fail "processes left behind: $left"
