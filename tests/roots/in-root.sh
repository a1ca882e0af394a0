#!/bin/bash
# in-root.sh [make check args]: runs INSIDE a suite's root (run.sh calls it there, with
# PWZC_ROOT_SUITE naming the suite and PWZC_ROOT_JOBS make's -j), in the copy of the source tree
# at /srv/pwzc. Builds pwzc as CI does (autoreconf -fi; ./configure --enable-werror
# $PWZC_ROOT_CONFIGURE; make) against the root's libpipewire, then runs make check with the given
# arguments. Output of the build: SUITE-build.log; the compiler's diagnostics and configure's
# summary are printed. When the -Werror build fails, the diagnostics are printed,
# SUITE-werror.failed is left for run.sh (which counts it as one failure), and pwzc is built
# again without -Werror so that one compiler warning does not hide every test result.
# Exit: make check's status, or 3 when even the build without -Werror failed (nothing tested).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SUITE=${PWZC_ROOT_SUITE:?run by tests/roots/run.sh}
JOBS=${PWZC_ROOT_JOBS:-2}
# more configure flags (run.sh: PWZC_<SUITE>_CONFIGURE), word-split: "--enable-sanitizers"
read -r -a EXTRA <<<"${PWZC_ROOT_CONFIGURE:-}"
LOG=$SUITE-build.log

# build [CONFIGURE ARGS]: the build, output appended to $LOG
build() {
    { autoreconf -fi && ./configure "$@" && make -j"$JOBS"; } >>"$LOG" 2>&1
}

# What the compiler said: make's part of the log without its progress lines.
diagnostics() {
    sed -n '/^make /,$p' "$LOG" |
        grep -v -E '^  (CC|CCLD|AR|GEN) |^make(\[[0-9]+\])?: |^ar: |^make  ' || true
}

rm -f "$LOG" "$SUITE-werror.failed"
if ! build --enable-werror "${EXTRA[@]}"; then
    echo "$SUITE: the build with -Werror failed; the compiler said:"
    diagnostics
    touch "$SUITE-werror.failed"
    echo "$SUITE: building again without -Werror, so that the tests still run"
    echo "=== without -Werror" >>"$LOG"
    build "${EXTRA[@]}" ||
        { echo "$SUITE: the build failed without -Werror too:"; diagnostics; exit 3; }
fi
# configure's closing summary: libpipewire's version, the optional parts found
awk '/^  pwzc /{block=""; on=1} on{block=block $0 "\n"} /^$/{on=0} END{printf "%s", block}' \
    "$LOG"
echo "$SUITE: compiler warnings in the build: $(grep -c "warning:" "$LOG" || true)"
make -j"$JOBS" check "$@"
