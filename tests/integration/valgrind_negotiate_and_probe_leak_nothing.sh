#!/bin/bash
# Proves: under valgrind's memcheck, negotiate (a modifier fixation path: pwzc's own on 0.3.x,
# the producer's on 1.x, where a consumer cannot settle a DONT_FIXATE choice) and a short probe
# make no invalid access and leak nothing definitely or indirectly.
. "$TESTS_SRCDIR/lib.sh"
set -e
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
# An ASan binary cannot run under valgrind (both want to own the heap and the shadow memory);
# such a build is checked by ASan/LSan itself. The binary says what it is in --version, so a
# $PWZC from another build tree is judged by what it is, not by this tree's configure.
sanitizers=$(pwzc_sanitizers)
if [ -n "$sanitizers" ]; then
    echo "skipped: $PWZC is built with sanitizers ($sanitizers), which valgrind cannot run"
    exit 77
fi
start_stack
vg() {
    set +e
    valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect --trace-children=no "$PWZC" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}
vg negotiate --emulate "$(by_generation gnome-dmabuf gnome-gpu)" --offer dmabuf+shm --timeout 2 --json
[ "$RC" -ne 99 ] || { cat "$T/err"; fail "memcheck errors in negotiate"; }
expect_rc 0 "negotiate under valgrind"
vg probe --emulate dmabuf-only --offers shm,dmabuf-linear --timeout 2
[ "$RC" -ne 99 ] || { cat "$T/err"; fail "memcheck errors in probe"; }
expect_rc 0 "probe under valgrind"
