#!/bin/bash
# in-root.sh [make check args]: runs INSIDE the Debian 13 root (run.sh calls it there), in the
# copy of the source tree at /srv/pwzc. Builds pwzc as CI does (autoreconf -fi; ./configure
# --enable-werror; make) against the root's libpipewire 1.4, then runs make check with the given
# arguments. Output of the build: debian13-build.log; the compiler's diagnostics and configure's
# summary are printed.
# When the -Werror build fails, the diagnostics are printed, debian13-werror.failed is left for
# run.sh (which counts it as one failure), and pwzc is built again without -Werror so that one
# compiler warning does not hide every test result.
# Exit: make check's status, or 3 when even the build without -Werror failed (nothing tested).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
JOBS=${PWZC_DEBIAN13_JOBS:-2}

# build [CONFIGURE ARGS]: the build, output appended to debian13-build.log
build() {
    { autoreconf -fi && ./configure "$@" && make -j"$JOBS"; } >>debian13-build.log 2>&1
}

# What the compiler said: make's part of the log without its progress lines.
diagnostics() {
    sed -n '/^make /,$p' debian13-build.log |
        grep -v -E '^  (CC|CCLD|AR|GEN) |^make(\[[0-9]+\])?: |^ar: |^make  ' || true
}

rm -f debian13-build.log debian13-werror.failed
if ! build --enable-werror; then
    echo "debian13: the build with -Werror failed; the compiler said:"
    diagnostics
    touch debian13-werror.failed
    echo "debian13: building again without -Werror, so that the tests still run"
    echo "=== without -Werror" >>debian13-build.log
    build || { echo "debian13: the build failed without -Werror too:"; diagnostics; exit 3; }
fi
# configure's closing summary: libpipewire's version, the optional parts found
awk '/^  pwzc /{block=""; on=1} on{block=block $0 "\n"} /^$/{on=0} END{printf "%s", block}' \
    debian13-build.log
echo "debian13: compiler warnings in the build: $(grep -c "warning:" debian13-build.log || true)"
make -j"$JOBS" check "$@"
