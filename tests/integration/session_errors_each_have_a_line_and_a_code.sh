#!/bin/bash
# Proves: the session errors a user meets each get one clear line and their own exit code:
# no session bus (9); no Mutter / no portal on the bus (10); the user cancelling the portal
# (Response 1, 11); a portal with AvailableSourceTypes = 0 (13); --sandbox with a compositor
# session (2). Cancel and zero source types come from a small fake portal (tests/peers/
# fake-screencast.py): no real peer produces them on demand.
. "$TESTS_SRCDIR/lib.sh"
set -e
one_line() {
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "$1: stderr is not one line"; }
    grep -q -- "$2" "$T/err" || { cat "$T/err"; fail "$1: stderr does not name '$2'"; }
}
DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-bus run_pwzc probe --mutter
expect_rc 9 "no session bus"
one_line "no bus" "no D-Bus session bus"
run_pwzc probe --sandbox --mutter
expect_rc 2 "--sandbox with --mutter"
start_stack
run_pwzc probe --mutter
expect_rc 10 "no Mutter"
one_line "no Mutter" "no org.gnome.Mutter.ScreenCast on the session bus"
run_pwzc probe --portal
expect_rc 10 "no portal"
one_line "no portal" "no org.freedesktop.portal.Desktop on the session bus"

fake() {
    # Emptied first: a "ready" left by the previous fake must not pass for this one's.
    : >"$T/fake.out"
    /usr/bin/python3 "$TESTS_SRCDIR/peers/fake-screencast.py" "$@" >"$T/fake.out" 2>"$T/logs/fake.log" &
    PIDS+=($!)
    wait_for 400 grep -q ready "$T/fake.out"
}
fake --api portal --start-response 1
run_pwzc probe --portal --timeout 1
expect_rc 11 "cancelled"
one_line "cancelled" "cancelled by the user (Response 1"
stop_all
# A dialog nobody answers: Ctrl-C ends the wait for it at once, one line, exit 130.
start_stack
fake --api portal --start-response -1
"$PWZC" probe --portal --timeout 1 >"$T/out" 2>"$T/err" &
probe=$!
wait_for 400 grep -q "dialog open" "$T/fake.out"
kill -INT "$probe"
wait_for 200 sh -c "! kill -0 $probe 2>/dev/null" || fail "probe did not end on SIGINT while the dialog was open"
RC=0; wait "$probe" || RC=$?
expect_rc 130 "interrupted in the dialog"
one_line "interrupted in the dialog" "got no Response before the interrupt"
stop_all
start_stack
fake --api portal --source-types 0
run_pwzc probe --portal --timeout 1
expect_rc 13 "no source types"
one_line "no source types" "AvailableSourceTypes = 0"
