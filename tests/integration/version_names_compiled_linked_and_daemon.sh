#!/bin/bash
# Proves: `pwzc --version` names the libpipewire it was compiled with, the one it runs with,
# and the running daemon's version (as the daemon itself reports it), or why there is none;
# it and probe say which version-dependent behaviours (modifiers 0.3.33, per-modifier fallback
# 0.3.40, SyncTimeline 1.2) the daemon has, following its version.
. "$TESTS_SRCDIR/lib.sh"
set -e
run_pwzc --version
expect_rc 0 "--version without a daemon"
grep -q "^compiled with libpipewire [0-9.]*, linked with [0-9.]*$" "$T/out" || fail "$(cat "$T/out")"
grep -q "^running daemon: none reachable" "$T/out" || fail "no daemon not said: $(cat "$T/out")"
start_stack
run_pwzc --version
daemon=$(pw-cli info 0 | sed -n 's/.*version: "\(.*\)"/\1/p')
grep -q "^running daemon: PipeWire $daemon$" "$T/out" || fail "daemon $daemon not named: $(cat "$T/out")"

# The version-dependent behaviours follow the daemon's version, in --version and in probe.
expected() { # VERSION SINCE: yes when VERSION >= SINCE
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ] && echo yes || echo no
}
line="  daemon  $daemon: modifiers (0.3.33) $(expected "$daemon" 0.3.33), per-modifier-fallback (0.3.40) $(expected "$daemon" 0.3.40), sync-timeline (1.2.0) $(expected "$daemon" 1.2.0)"
grep -qF -- "$line" "$T/out" || fail "--version features: want '$line' in: $(cat "$T/out")"
run_pwzc probe --emulate gnome-headless --offers shm --timeout 1 --json
for f in modifiers:0.3.33 per-modifier-fallback:0.3.40 sync-timeline:1.2.0; do
    got=$(json "$T/out" "next(x['daemon'] for x in d['pipewire']['features'] if x['name'] == '${f%%:*}')")
    want=$([ "$(expected "$daemon" "${f#*:}")" = yes ] && echo True || echo False)
    [ "$got" = "$want" ] || fail "probe says ${f%%:*} is $got for daemon $daemon"
done
