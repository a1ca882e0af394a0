# Sourced by every integration test. Starts a private D-Bus bus, PipeWire and WirePlumber in a
# temporary runtime directory, and stops exactly what it started (by PID) when the test exits.
# Tests drive the real pwzc binary ($PWZC) against that daemon.
set -u

: "${PWZC:?run through make check, or set PWZC to the pwzc binary}"
: "${TESTS_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
export PWZC_DATADIR=${PWZC_DATADIR:-$TESTS_SRCDIR/../data}

T=$(mktemp -d "${TMPDIR:-/tmp}/pwzc-test-XXXXXX")
mkdir -m 700 "$T/run"
mkdir -p "$T/home" "$T/logs"
export XDG_RUNTIME_DIR=$T/run HOME=$T/home XDG_CONFIG_HOME=$T/home/.config
export XDG_STATE_HOME=$T/home/.state LANG=C.UTF-8 NO_COLOR=1
export DBUS_SESSION_BUS_ADDRESS=unix:path=$T/run/bus
unset DISPLAY WAYLAND_DISPLAY PIPEWIRE_REMOTE PIPEWIRE_RUNTIME_DIR PIPEWIRE_DEBUG
PIDS=()

stop_all() {
    local pid i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[i]}" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    PIDS=()
}

cleanup() {
    local rc=$?
    set +e
    stop_all
    if [ "$rc" -ne 0 ] && [ -d "$T/logs" ]; then
        for f in "$T"/logs/*.log; do [ -s "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
        # PWZC_TEST_KEEP=DIR: the whole of the failed test's logs, for reading afterwards.
        [ -z "${PWZC_TEST_KEEP:-}" ] ||
            cp -r "$T/logs" "$PWZC_TEST_KEEP/$(basename "$0" .sh)-$$" 2>/dev/null
    fi
    rm -rf "$T"
    exit "$rc"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

wait_for() {
    local tries=$1 i; shift
    for ((i = 0; i < tries; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
    fail "timed out waiting for: $*"
}

start_bg() {
    local name=$1; shift
    "$@" >"$T/logs/$name.log" 2>&1 &
    PIDS+=($!)
}

# A bus with no service directories: nothing is activated behind the test's back. A test that
# wants D-Bus activation, as a desktop has it, sets BUS_SERVICE_DIR (a directory of its own for
# .service files) before start_stack.
start_stack() {
    local services=""
    [ -z "${BUS_SERVICE_DIR:-}" ] || services="<servicedir>$BUS_SERVICE_DIR</servicedir>"
    cat >"$T/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><keep_umask/><listen>unix:path=$T/run/bus</listen>$services
<auth>EXTERNAL</auth><policy context="default"><allow send_destination="*" eavesdrop="true"/>
<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
CONF
    start_bg dbus dbus-daemon --config-file="$T/bus.conf" --nofork --nopidfile
    wait_for 200 test -S "$T/run/bus"
    start_bg pipewire pipewire
    wait_for 200 test -S "$T/run/pipewire-0"
    start_bg wireplumber wireplumber
    wait_for 200 sh -c 'pw-cli ls Metadata | grep -q "metadata.name = \"default\""'
}

# The PipeWire generation under test, from the daemon binary the tests start: "0.3" (Debian 12's
# 0.3.65), "1" (1.0 .. 1.4: Debian 13's 1.4.2) or "1.6" (1.5.81 .. 1.6.x and later: Debian
# forky's 1.6.9). Only for expectations where PipeWire itself behaves differently (or the stack a
# generation comes with: WirePlumber, Mutter, the portals); pwzc's verdicts never read it.
# "1.x" in a test is `!= 0.3`.
pw_generation() {
    case $(pipewire --version | sed -n 's/^Linked with libpipewire \([0-9]*\.[0-9]*\)\..*/\1/p') in
    0.*) echo 0.3 ;;
    1.[0-4]) echo 1 ;;
    *) echo 1.6 ;;
    esac
}

# peer_missing WHAT [SUITE...]: a real program the test needs is not installed. Where it must run
# (CI installs WHAT: any machine when no SUITE is named, bootstrap --tests installs it; otherwise
# the roots of the named suites, tests/roots/SUITE.conf) the test fails loudly; elsewhere it is
# skipped (exit 77), saying what is missing.
peer_missing() {
    local what=$1 s
    shift
    [ $# -gt 0 ] || fail "$what is not installed (./bootstrap --tests installs it)"
    for s in "$@"; do
        [ "${PWZC_ROOT_SUITE:-}" != "$s" ] || fail "$what is not installed in the $s root (tests/roots/$s.conf)"
    done
    echo "$what is not installed here (the $* root has it)"
    exit 77
}

# names_link_error: stdin names a refused link's error ("no more input formats"), or, where the
# session manager destroyed the failed link before its state reached pwzc (on 0.3.x only the
# link carries that error; seen under load), says so and gives the cause read from the two
# sides' formats.
names_link_error() {
    grep -q "no more input formats\|link was removed before its state could be read.*the shapes say"
}

# need_gst: GStreamer's gst-launch and pipewiresrc are here, or the test fails as a missing peer
# (every generation's setup installs them: bootstrap --tests, tests/roots/*.conf).
need_gst() {
    command -v gst-launch-1.0 >/dev/null && gst-inspect-1.0 pipewiresrc >/dev/null 2>&1 ||
        peer_missing "gst-launch-1.0 or pipewiresrc (gstreamer1.0-tools, gstreamer1.0-pipewire)"
}

# gst_profile: the client profile of the installed GStreamer pipewiresrc (the real client that
# referees profiles), by its version: 0.3.x, 1.4.x (Debian 13) or 1.6.
gst_profile() {
    case $(gst-inspect-1.0 pipewiresrc 2>/dev/null | sed -n 's/^ *Version *//p') in
    0.3.*) echo gst-pipewiresrc ;;
    1.4.*) echo gst-pipewiresrc-1.4 ;;
    *) echo gst-pipewiresrc-1.6 ;;
    esac
}

# by_generation V03 V1 [V16]: the expectation for this generation (1.6's is 1.x's unless given).
by_generation() {
    case $(pw_generation) in
    0.3) echo "$1" ;;
    1) echo "$2" ;;
    *) echo "${3:-$2}" ;;
    esac
}

# What a consumer whose offer shares no format with the producer sees: 0.3.x leaves it in Paused
# in silence (the error is only on the daemon's link); 1.x sends it the stream error
# "no more input formats".
NO_FORMAT_VERDICT=$(by_generation silent-stall error)
# The same for a link that cannot allocate buffers ("error alloc buffers": no common data type).
ALLOC_VERDICT=$NO_FORMAT_VERDICT

# mask_report [SED-EXPR...]: a human report with what changes between runs masked, by one rule
# for every golden: node ids, versions, times, and counts that are not 0 (a 0 stays 0: that an
# offer got no frame is what a golden holds). Extra sed expressions come first. A refused link
# that the session manager destroyed before its state reached pwzc (see names_link_error; once in
# CI's Debian 12 suite, for one offer of the probe golden) gives the same cause from the two
# sides' formats instead of quoting the link: it is folded into the quoted form, which gives the
# same cause after 'no more input formats'.
mask_report() {
    local args=() e
    for e in "$@"; do args+=(-e "$e"); done
    sed -E "${args[@]}" \
        -e "s/the daemon's link was removed before its state could be read \(a failed link is destroyed at once\); the shapes say: /the daemon's link failed with 'no more input formats': /" \
        -e 's/node [0-9]+/node ID/' \
        -e 's/daemon [0-9.]+, library [0-9.]+ \(compiled against [0-9.]+\)/daemon V, library V (compiled against V)/' \
        -e '/^  features  daemon /d' \
        -e 's/[0-9]+(\.[0-9]+)? ms/T ms/g' \
        -e 's/\b[1-9][0-9]* frames/F frames/g' \
        -e 's/^GPU: .*/GPU: (this machine)/' \
        -e 's/  +/ /g'
}

# expected_file REL: the expected output of this generation: tests/expected/REL on 0.3, REL.pw1
# on 1.x; on 1.6, REL.pw16 where 1.6's answers differ from 1.4's, else REL.pw1.
expected_file() {
    local base=$TESTS_SRCDIR/expected/$1
    case $(pw_generation) in
    0.3) echo "$base" ;;
    1) echo "$base.pw1" ;;
    *) if [ -e "$base.pw16" ]; then echo "$base.pw16"; else echo "$base.pw1"; fi ;;
    esac
}

# bless_file NEW REL: `make bless` (PWZC_BLESS=1 from make): NEW becomes this generation's
# expected output. On 1.6 a REL.pw16 is written only when NEW differs from REL.pw1.
bless_file() {
    local base=$TESTS_SRCDIR/expected/$2
    case $(pw_generation) in
    0.3) cp "$1" "$base" ;;
    1) cp "$1" "$base.pw1" ;;
    *) if [ -e "$base.pw16" ] || ! cmp -s "$1" "$base.pw1"; then cp "$1" "$base.pw16"; fi ;;
    esac
}

# golden MASKED REL: a masked report against this generation's expected_file REL (PipeWire's
# answers really differ between generations).
golden() {
    local expected
    if [ "${PWZC_BLESS:-}" = 1 ]; then bless_file "$1" "$2"; return 0; fi
    expected=$(expected_file "$2")
    diff -u "$expected" "$1" || fail "the report differs from $expected"
}

# Runs pwzc, keeping stdout in $T/out, stderr in $T/err and the exit code in $RC.
# pwzc_sanitizers: the sanitizers $PWZC was built with, as its --version says ("" for none):
# a $PWZC from another build tree is judged by what it is, not by this tree's configure.
pwzc_sanitizers() {
    "$PWZC" --version 2>/dev/null | sed -n 's/^built with sanitizers: //p'
}

run_pwzc() {
    set +e
    "$PWZC" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}

expect_rc() {
    [ "$RC" -eq "$1" ] || { cat "$T/err" >&2; fail "exit code $RC, expected $1 ($2)"; }
}

# json FILE EXPR: evaluates a Python expression over the document `d`.
json() {
    /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# offer FIELD NAME [FILE]: a field of one offer in a probe report.
offer() {
    json "${3:-$T/out}" "next((o['$1'] for o in d['offers'] if o['name'] == '$2'), 'MISSING')"
}

expect_offer() {
    local got
    got=$(offer "$1" "$2" "${4:-$T/out}")
    [ "$got" = "$3" ] || fail "offer $2: $1 is '$got', expected '$3' ($(offer reason "$2" "${4:-$T/out}"))"
}

validate() {
    "$TESTS_SRCDIR/validate-json" "$PWZC_DATADIR/$1" "$2" || fail "$2 does not match $1"
}
