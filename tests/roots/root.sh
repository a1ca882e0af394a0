#!/bin/bash
# root.sh SUITE [--rebuild]: builds (or reuses) the Debian root of SUITE (tests/roots/SUITE.conf:
# debian13, forky) in which pwzc builds and `make check` runs against that suite's PipeWire,
# WirePlumber, Mutter, sway and portals. Prints the root's path.
#
#   tests/roots/root.sh forky              build it if missing or stale, else reuse it (~1 s)
#   tests/roots/root.sh forky --rebuild    build it again whatever the stamp says
#
# Needs: root, mmdebstrap (apt-get install mmdebstrap), a Debian mirror (deb.debian.org, or
# PWZC_<SUITE>_MIRROR), util-linux's unshare. Environment: see lib.sh and SUITE.conf.
#
# The root is a cache: it is reused as long as its stamp (a hash of the package list, the files
# the suite names in STAMP_FILES and its ROOT_FORMAT) matches, and rebuilt otherwise. It is built
# beside the old one and swapped in only when complete, so an interrupted build never leaves a
# half root behind.
set -euo pipefail
SUITE=${1:-}
# shellcheck source=tests/roots/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
shift
STAMP_NAME=.pwzc-$SUITE-stamp

# What the root is made of: the package list, and what makes the xdpw peer in it.
stamp() {
    { echo "format $ROOT_FORMAT"; suite_packages; cat "${STAMP_FILES[@]}"; } |
        sha256sum | cut -d' ' -f1
}

# rm -rf only what root.sh made: a directory holding its stamp (or nothing at all).
remove_root() {
    local dir=$1
    [ -e "$dir" ] || return 0
    [ -e "$dir/$STAMP_NAME" ] || [ -z "$(ls -A "$dir")" ] ||
        root_die "$dir exists and was not made by root.sh: not removing it"
    rm -rf "$dir"
}

main() {
    local want new start
    [ "$(id -u)" = 0 ] || root_die "root.sh must run as root (mmdebstrap, chroot, mounts)"
    command -v mmdebstrap >/dev/null || root_die "mmdebstrap missing: apt-get install mmdebstrap"
    want=$(stamp)
    root_lock
    if [ "${1:-}" != --rebuild ] && [ "$(cat "$ROOT_DIR/$STAMP_NAME" 2>/dev/null)" = "$want" ]; then
        echo "$ROOT_DIR"
        return 0
    fi
    new=$ROOT_DIR.new
    # root.sh's own scratch name: what is there is a build that was interrupted
    rm -rf "$new"
    start=$SECONDS
    root_log "building the $SUITE_TITLE root in $new (mmdebstrap: a few minutes)"
    # Only the root's path goes to stdout (run.sh reads it): what the build prints goes to stderr.
    suite_mmdebstrap "$new" >&2
    suite_peer "$new" >&2
    echo "$want" >"$new/$STAMP_NAME"
    remove_root "$ROOT_DIR"
    mv "$new" "$ROOT_DIR"
    root_log "root built in $((SECONDS - start)) s, $(du -sh "$ROOT_DIR" | cut -f1): $ROOT_DIR"
    echo "$ROOT_DIR"
}

main "$@"
