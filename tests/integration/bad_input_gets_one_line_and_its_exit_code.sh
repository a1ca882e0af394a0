#!/bin/bash
# Proves: each kind of bad input gets one clear line on stderr naming the thing, and its own
# exit code (man pwzc: EXIT STATUS), quickly and without a crash: unknown or malformed profile
# (3), unknown offer or option (2), a value out of range, said with the range (2), a client file
# that is binary or a directory, said so (3), an output or --plot path that cannot be written,
# refused with the reason before anything is connected (15), a report that cannot be written to
# standard output (a full disk: 15, not 0 and half a document), a node id that does not exist (5),
# no daemon (4), an --fd that is not a socket or a --remote that does not exist (4), a node that
# is not a video source (5).
. "$TESTS_SRCDIR/lib.sh"
set -e

one_line() {
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "$1: stderr is not one line"; }
    grep -q -- "$2" "$T/err" || { cat "$T/err"; fail "$1: stderr does not name '$2'"; }
}

# Before any daemon exists.
run_pwzc probe --node 42
expect_rc 4 "no daemon"
one_line "no daemon" "cannot connect to PipeWire"
run_pwzc --fd 0 probe --node 42 </dev/null
expect_rc 4 "--fd not a socket"
one_line "--fd" "not a socket"
run_pwzc probe --emulate no-such-compositor
expect_rc 3 "unknown profile"
one_line "unknown profile" "unknown profile 'no-such-compositor'"
printf '[producer]\nsize = 1280x720\n[format]\nformats = BGRx\nmodifers = LINEAR\n' >"$T/broken.profile"
run_pwzc probe --emulate "$T/broken.profile"
expect_rc 3 "malformed profile"
one_line "malformed profile" "broken.profile:5: unknown key 'modifers'"
run_pwzc probe --node 1 --offers shm,warp-drive
expect_rc 2 "unknown offer"
one_line "unknown offer" "unknown offer 'warp-drive'"
run_pwzc probe --frobnicate
expect_rc 2 "unknown option"
one_line "unknown option" "frobnicate"
run_pwzc negotiate --node 1 --format BGRx --modifier LINEAR,banana
expect_rc 2 "bad modifier"
one_line "bad modifier" "modifier"
run_pwzc probe --sandbox --size 99999x99999
expect_rc 2 "--size out of range"
one_line "--size out of range" "--size '99999x99999' is out of range (width and height from 1 to 16384)"
run_pwzc probe --sandbox --timeout 1e9
expect_rc 2 "--timeout out of range"
one_line "--timeout out of range" "--timeout '1e9' is out of range (0.1 to 86400 seconds)"
run_pwzc probe --sandbox --size 640x
expect_rc 2 "--size not a size"
one_line "--size not a size" "--size '640x' is not WIDTHxHEIGHT"

# Client files that are no client files: the file is named, and what is wrong with it.
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000' >"$T/garbage.client"
run_pwzc probe --sandbox --clients "$T/garbage.client"
expect_rc 3 "binary client file"
one_line "binary client file" "cannot read client $T/garbage.client: it is not a text file"
mkdir "$T/dir.client"
run_pwzc probe --sandbox --clients "$T/dir.client"
expect_rc 3 "client directory"
one_line "client directory" "cannot read client $T/dir.client: it is a directory"

# Outputs are checked before anything is connected: with no daemon the path is what fails.
: >"$T/a-file"
run_pwzc capture --node 42 -o "$T"
expect_rc 15 "-o a directory"
one_line "-o a directory" "cannot write $T: it is a directory"
run_pwzc capture --node 42 -o "$T/no-such-dir/out.h264"
expect_rc 15 "-o in a missing directory"
one_line "-o in a missing directory" "cannot write $T/no-such-dir/out.h264: directory $T/no-such-dir does not exist"
run_pwzc bench --node 42 --plot "$T/no-such-dir/plot.svg"
expect_rc 15 "--plot in a missing directory"
one_line "--plot in a missing directory" "cannot write the plot $T/no-such-dir/plot.svg: directory $T/no-such-dir does not exist"
run_pwzc bench --node 42 --plot "$T/a-file/plot.svg"
expect_rc 15 "--plot under a file"
one_line "--plot under a file" "cannot write the plot $T/a-file/plot.svg: $T/a-file is not a directory"
run_pwzc bench --node 42 --plot "$T"
expect_rc 15 "--plot a directory"
one_line "--plot a directory" "cannot write the plot $T: it is a directory"

start_stack
# A report that cannot reach its reader is a failed run: /dev/full takes nothing.
[ -c /dev/full ] || fail "no /dev/full to write to"
RC=0; "$PWZC" --version --json >/dev/full 2>"$T/err" || RC=$?
expect_rc 15 "--version into a full disk"
one_line "--version into a full disk" "cannot write standard output: No space left on device"
RC=0; "$PWZC" probe --emulate gnome-headless --offers shm --timeout 1 --json >/dev/full 2>"$T/err" || RC=$?
expect_rc 15 "probe into a full disk"
one_line "probe into a full disk" "cannot write standard output: No space left on device"
run_pwzc --remote no-such-remote probe --node 1
expect_rc 4 "unknown remote"
one_line "unknown remote" "remote no-such-remote"
start=$(date +%s%N)
run_pwzc probe --node 4242 --timeout 1
expect_rc 5 "no such node"
one_line "no such node" "node 4242 does not exist"
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 5000 ] || fail "a missing node took too long"
# Node 0 is the core, node-ish but no video source: the daemon's own objects are refused.
dummy=$(pw-cli ls Node | sed -n 's/^\s*id \([0-9]*\), type PipeWire:Interface:Node.*/\1/p' | head -1)
if [ -n "$dummy" ]; then
    run_pwzc probe --node "$dummy" --timeout 1
    expect_rc 5 "not a video source"
    one_line "not a video source" "not a video source"
fi
