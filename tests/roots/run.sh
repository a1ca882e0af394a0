#!/bin/bash
# run.sh SUITE [make check args]: builds pwzc and runs its test suite on the Debian suite SUITE
# (tests/roots/SUITE.conf: debian13, forky) from any Linux host, in the cached root that
# root.sh makes. Also `make check-root SUITE=forky`, and `make check-debian13`.
#
#   tests/roots/run.sh forky                              the whole suite
#   tests/roots/run.sh forky TESTS=tests/unit/test-offers make check's own arguments
#
# It copies this working tree (tracked files as they are now, uncommitted changes included, and
# untracked files that git does not ignore; no build products) to /srv/pwzc in the root, then in
# private mount and PID namespaces chroots there and runs in-root.sh: autoreconf, configure
# --enable-werror, make, make check. Every mount and process it starts lives in those namespaces
# and goes with them, also on failure or Ctrl-C. The build tree stays in the root afterwards for
# reading (ROOT/srv/pwzc); the next run replaces it.
# Ends with one line, counted from automake's test-suite.log:
#   SUITE: N passed, N failed, N skipped
# and exits non-zero when anything failed. A failed -Werror build counts as one failure; the tests
# then run on a build without -Werror (see in-root.sh).
# Needs root. Environment: PWZC_<SUITE>_JOBS (make -j, default 2), PWZC_<SUITE>_CONFIGURE (more
# configure flags, as --enable-sanitizers), and root.sh's.
set -euo pipefail
SUITE=${1:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/roots/lib.sh
. "$HERE/lib.sh"
shift
TOP=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null) ||
    { root_log "$HERE is not in a git checkout: run.sh copies what git ls-files lists"; exit 2; }
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

# The patched xdpw peer that root.sh built, if the suite needs one, where
# tests/peers/sway-portal.sh looks first ($TESTS_BUILDDIR/peers-cache). Touched because
# tests/peers/build-xdpw.sh counts the binary as fresh only when it is newer than the patch and
# build-xdpw.sh; otherwise it would rebuild Debian 12's 0.7.0 in its place.
install_peer() {
    local cache=$1$TREE/tests/peers-cache
    [ -e "$1/opt/pwzc-peers/xdg-desktop-portal-wlr" ] || return 0
    mkdir -p "$cache"
    cp "$1/opt/pwzc-peers/xdg-desktop-portal-wlr" "$cache/"
    touch "$cache/xdg-desktop-portal-wlr"
}

versions() {
    # shellcheck disable=SC2016  # dpkg-query's own ${...}
    # shellcheck disable=SC2086  # a word list
    chroot "$1" dpkg-query -W -f='${Package} ${Version}\n' $VERSION_PACKAGES |
        paste -sd, | sed 's/,/, /g'
    if [ -e "$1/opt/pwzc-peers/SOURCE" ]; then
        echo "patched xdpw peer: $(cat "$1/opt/pwzc-peers/SOURCE")"
    fi
}

# SIGKILL to unshare: --kill-child then kills the namespace's init, and the kernel every process
# in the namespace; the mounts go with it.
on_signal() {
    trap - INT TERM HUP
    [ -z "$RUN_PID" ] || { kill -KILL "$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" || true; }
    root_log "interrupted: everything started in the root was stopped"
    exit 130
}

# summarize ROOT RC: the failing tests' logs, then the one-line count (as .ci/run counts).
summarize() {
    local tree=$1$TREE rc=$2 pass fail skip
    if [ "$rc" -eq 3 ] || [ ! -f "$tree/test-suite.log" ]; then
        root_log "no test ran (build failed, rc $rc): see $tree/$SUITE-build.log"
        echo "$SUITE: 0 passed, 1 failed, 0 skipped"
        return 1
    fi
    # the header's count: the first match (the logs quoted below it may hold "# ..." lines)
    count() { sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$tree/test-suite.log" | head -n 1; }
    pass=$(count PASS)
    fail=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) ))
    skip=$(count SKIP)
    if [ -e "$tree/$SUITE-werror.failed" ]; then
        root_log "the -Werror build failed (counted as 1 failure); the tests ran on a build without it"
        fail=$((fail + 1))
    fi
    # Failed tests from their .trs files: test-suite.log also quotes the tests' own
    # "FAIL: <why>" lines, which are no test names.
    (cd "$tree"; grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' tests/*/*.trs 2>/dev/null || true) |
        while read -r trs; do
            echo "=== ${trs%.trs}.log"; head -n 40 "$tree/${trs%.trs}.log" || true
        done
    root_log "logs: $tree/test-suite.log and $tree/tests/*/*.log"
    echo "$SUITE: ${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
    [ "$rc" -eq 0 ] && [ "${fail:-1}" -eq 0 ]
}

main() {
    local root rc=0
    [ "$(id -u)" = 0 ] || root_die "run.sh must run as root (chroot, mounts)"
    root_lock
    root=$("$HERE/root.sh" "$SUITE")
    copy_source "$root"
    install_peer "$root"
    root_log "$(versions "$root")"
    # In the background, so that a signal runs on_signal at once instead of after the run.
    trap on_signal INT TERM HUP
    (in_root "$root" env PWZC_ROOT_SUITE="$SUITE" PWZC_ROOT_JOBS="$ROOT_JOBS" \
        PWZC_ROOT_CONFIGURE="$ROOT_CONFIGURE" /bin/bash "$TREE/tests/roots/in-root.sh" "$@") &
    RUN_PID=$!    # unshare's own PID: in_root execs it
    wait "$RUN_PID" || rc=$?
    RUN_PID=
    trap - INT TERM HUP
    summarize "$root" "$rc"
}

main "$@"
