#!/bin/bash
# Proves: `pwzc --version` names the libpipewire it was compiled with, the one it runs with,
# and the running daemon's version (as the daemon itself reports it), or why there is none.
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
