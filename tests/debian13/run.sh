#!/bin/bash
# run.sh [make check args]: builds pwzc and runs its test suite on Debian 13 (PipeWire 1.4,
# WirePlumber 0.5, Mutter 48, sway 1.10, xdg-desktop-portal 1.20 + -wlr 0.7.1) from any Linux
# host, in the cached root that root.sh makes. Also `make check-debian13`.
#
#   tests/debian13/run.sh                           the whole suite
#   tests/debian13/run.sh TESTS=tests/unit/test-offers   make check's own arguments
#
# It copies this working tree (tracked files as they are now, uncommitted changes included, and
# untracked files that git does not ignore; no build products) to /srv/pwzc in the root, then in
# private mount and PID namespaces chroots there and runs in-root.sh: autoreconf, configure
# --enable-werror, make, make check. Every mount and process it starts lives in those namespaces
# and goes with them, also on failure or Ctrl-C. The build tree stays in the root afterwards for
# reading ($PWZC_DEBIAN13_ROOT/srv/pwzc); the next run replaces it.
# Ends with one line, counted from automake's test-suite.log:
#   debian13: N passed, N failed, N skipped
# and exits non-zero when anything failed. A failed -Werror build counts as one failure; the tests
# then run on a build without -Werror (see in-root.sh).
# Needs root. Environment: PWZC_DEBIAN13_JOBS (make -j, default 2), and root.sh's.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null) ||
    { echo "debian13: $HERE is not in a git checkout: run.sh copies what git ls-files lists" >&2; exit 2; }
# shellcheck source=tests/debian13/lib.sh
. "$HERE/lib.sh"
TREE=/srv/pwzc            # the source copy and build tree, inside the root
RUN_PID=

# Tracked files that still exist (a deletion not yet committed is honoured) and untracked,
# unignored ones, NUL-separated.
source_files() {
    local f
    git -C "$TOP" ls-files -z --cached --others --exclude-standard --deduplicate |
        while IFS= read -r -d '' f; do
            if [ -e "$TOP/$f" ] || [ -L "$TOP/$f" ]; then printf '%s\0' "$f"; fi
        done
}

copy_source() {
    local dest=$1$TREE
    rm -rf "$dest"
    mkdir -p "$dest"
    source_files | tar -C "$TOP" --null -T - -cf - | tar -C "$dest" -xf -
}

# The patched xdpw peer that root.sh built, where tests/peers/sway-portal.sh looks first
# ($TESTS_BUILDDIR/peers-cache). Touched because tests/peers/build-xdpw.sh counts the binary as
# fresh only when it is newer than the patch and build-xdpw.sh; otherwise it would rebuild
# Debian 12's 0.7.0 in its place.
install_peer() {
    local cache=$1$TREE/tests/peers-cache
    mkdir -p "$cache"
    cp "$1/opt/pwzc-peers/xdg-desktop-portal-wlr" "$cache/"
    touch "$cache/xdg-desktop-portal-wlr"
}

versions() {
    # shellcheck disable=SC2016  # dpkg-query's own ${...}
    chroot "$1" dpkg-query -W -f='${Package} ${Version}\n' pipewire wireplumber mutter sway \
        xdg-desktop-portal xdg-desktop-portal-wlr gstreamer1.0-pipewire gstreamer1.0-tools |
        paste -sd, | sed 's/,/, /g'
    echo "patched xdpw peer: $(cat "$1/opt/pwzc-peers/SOURCE")"
}

# SIGKILL to unshare: --kill-child then kills the namespace's init, and the kernel every process
# in the namespace; the mounts go with it.
on_signal() {
    trap - INT TERM HUP
    [ -z "$RUN_PID" ] || { kill -KILL "$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" || true; }
    d13_log "interrupted: everything started in the root was stopped"
    exit 130
}

# summarize ROOT RC: the failing tests' logs, then the one-line count (as .ci/run counts).
summarize() {
    local tree=$1$TREE rc=$2 pass fail skip
    if [ "$rc" -eq 3 ] || [ ! -f "$tree/test-suite.log" ]; then
        d13_log "no test ran (build failed, rc $rc): see $tree/debian13-build.log"
        echo "debian13: 0 passed, 1 failed, 0 skipped"
        return 1
    fi
    # the header's count: the first match (the logs quoted below it may hold "# ..." lines)
    count() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$tree/test-suite.log" | head -n 1; }
    pass=$(count PASS)
    fail=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) ))
    skip=$(count SKIP)
    if [ -e "$tree/debian13-werror.failed" ]; then
        d13_log "the -Werror build failed (counted as 1 failure); the tests ran on a build without it"
        fail=$((fail + 1))
    fi
    # Failed tests from their .trs files: test-suite.log also quotes the tests' own
    # "FAIL: <why>" lines, which are no test names.
    (cd "$tree"; grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' tests/*/*.trs 2>/dev/null || true) |
        while read -r trs; do
            echo "=== ${trs%.trs}.log"; head -n 40 "$tree/${trs%.trs}.log" || true
        done
    d13_log "logs: $tree/test-suite.log and $tree/tests/*/*.log"
    echo "debian13: ${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
    [ "$rc" -eq 0 ] && [ "${fail:-1}" -eq 0 ]
}

main() {
    local root rc=0
    [ "$(id -u)" = 0 ] || d13_die "run.sh must run as root (chroot, mounts)"
    d13_lock
    root=$("$HERE/root.sh")
    copy_source "$root"
    install_peer "$root"
    d13_log "$(versions "$root")"
    # In the background, so that a signal runs on_signal at once instead of after the run.
    trap on_signal INT TERM HUP
    (in_root "$root" env PWZC_DEBIAN13_JOBS="${PWZC_DEBIAN13_JOBS:-2}" \
        /bin/bash "$TREE/tests/debian13/in-root.sh" "$@") &
    RUN_PID=$!    # unshare's own PID: in_root execs it
    wait "$RUN_PID" || rc=$?
    RUN_PID=
    trap - INT TERM HUP
    summarize "$root" "$rc"
}

main "$@"
