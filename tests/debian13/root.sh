#!/bin/bash
# root.sh: builds (or reuses) a Debian 13 "trixie" root in which pwzc builds and `make check`
# runs against the second PipeWire generation (PipeWire 1.4, WirePlumber 0.5, Mutter 48, sway
# 1.10, xdg-desktop-portal 1.20, xdg-desktop-portal-wlr 0.7.1). Prints the root's path.
#
#   tests/debian13/root.sh             build it if missing or stale, else reuse it (~1 s)
#   tests/debian13/root.sh --rebuild   build it again whatever the stamp says
#
# Needs: root, mmdebstrap (apt-get install mmdebstrap), a Debian mirror (deb.debian.org, or
# PWZC_DEBIAN13_MIRROR), util-linux's unshare. Measured on the project's 2-core machines: 3.5 to
# 4.5 minutes (mostly mmdebstrap downloading and unpacking ~600 packages), 1.6 GB of disk.
# Environment:
#   PWZC_DEBIAN13_ROOT    where the root lives (default /var/cache/pwzc/debian13)
#   PWZC_DEBIAN13_MIRROR  the Debian archive (default http://deb.debian.org/debian)
#   PWZC_DEBIAN13_SECURITY  its security archive (default http://deb.debian.org/debian-security)
#   PWZC_XDPW_SOURCE      a tarball of xdg-desktop-portal-wlr 0.7.1's source, used when the
#                         mirror has no trixie source package (see build_patched_xdpw)
#
# The root is a cache: it is reused as long as its stamp (a hash of the package list, the xdpw
# patch, build-xdpw.sh and ROOT_FORMAT) matches, and rebuilt otherwise. It is built beside the old one and
# swapped in only when complete, so an interrupted build never leaves a half root behind.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/debian13/lib.sh
. "$HERE/lib.sh"

# Bump when the way the root is made changes (not the package list: that is hashed itself).
ROOT_FORMAT=1
MIRROR=${PWZC_DEBIAN13_MIRROR:-http://deb.debian.org/debian}
SECURITY=${PWZC_DEBIAN13_SECURITY:-http://deb.debian.org/debian-security}
XDPW_PATCH=$HERE/../peers/xdpw-0.7.0-shm-only.patch

# Debian 13 names of what bootstrap installs on Debian 12 (its BUILD and TESTS lists, and
# tests/peers/deps.sh). Every name exists in trixie under the same name; what differs:
#   pkg-config          is a transitional package for pkgconf in trixie (real one in bookworm).
#   libopenh264-dev     2.6.0 in trixie (libopenh264-8); 2.3.1 in bookworm (libopenh264-7).
#   libffmpeg-nvenc-dev 12.1 headers in trixie (11.1 in bookworm): the same ffnvcodec loader API.
#   gstreamer1.0-pipewire, gstreamer1.0-tools: not in bootstrap's lists, but
#     clients_gst_pipewiresrc_referee_agrees.sh needs gst-launch-1.0 and pipewiresrc (it skips
#     without them); the Debian 12 machines happen to have them installed.
#   debian-archive-keyring, ca-certificates: apt-get source while the root is built.
BUILD_PACKAGES="build-essential autoconf automake pkg-config
    libpipewire-0.3-dev libspa-0.2-dev libglib2.0-dev libjson-c-dev libdrm-dev libegl-dev
    libffmpeg-nvenc-dev libopenh264-dev libcmocka-dev
    libavformat-dev libavcodec-dev libavutil-dev
    pipewire pipewire-bin wireplumber dbus-daemon"
TEST_PACKAGES="python3 python3-jsonschema python3-gi valgrind procps ffmpeg man-db groff-base
    gstreamer1.0-pipewire gstreamer1.0-tools"
ROOT_PACKAGES="debian-archive-keyring ca-certificates"

packages() {
    # shellcheck disable=SC2086,SC2046  # word lists, split on purpose
    printf '%s\n' $BUILD_PACKAGES $TEST_PACKAGES $("$HERE/../peers/deps.sh") $ROOT_PACKAGES |
        sort -u
}

# What the root is made of: the package list, and what makes the xdpw peer in it.
stamp() {
    { echo "format $ROOT_FORMAT"; packages; cat "$XDPW_PATCH" "$HERE/build-xdpw.sh"; } |
        sha256sum | cut -d' ' -f1
}

# mmdebstrap into DIR: trixie with its point-release updates and security fixes, as a Debian 13
# machine has them; deb-src for the xdpw source. Apt lists are kept, so that `apt-cache policy`
# in the root answers which versions it has.
make_root() {
    local dir=$1
    mmdebstrap --variant=apt --skip=cleanup/apt/lists \
        --include="$(packages | paste -sd,)" trixie "$dir" \
        "deb $MIRROR trixie main" "deb $MIRROR trixie-updates main" \
        "deb $SECURITY trixie-security main" "deb-src $MIRROR trixie main"
}

# The patched xdpw peer, built inside the new root by build-xdpw.sh into /opt/pwzc-peers.
install_peer() {
    local dir=$1 in=$1/opt/pwzc-peers/in
    mkdir -p "$in"
    cp "$XDPW_PATCH" "$in/"
    cp "$HERE/../peers/build-xdpw.sh" "$in/peers-build-xdpw.sh"
    cp "$HERE/build-xdpw.sh" "$in/d13-build-xdpw.sh"
    # tar -x recognises the compression from the content, whatever the name
    [ -z "${PWZC_XDPW_SOURCE:-}" ] || cp "$PWZC_XDPW_SOURCE" "$in/xdpw-source.tar"
    (in_root "$dir" /bin/bash /opt/pwzc-peers/in/d13-build-xdpw.sh /opt/pwzc-peers)
}

# rm -rf only what root.sh made: a directory holding its stamp (or nothing at all).
remove_root() {
    local dir=$1
    [ -e "$dir" ] || return 0
    [ -e "$dir/.pwzc-debian13-stamp" ] || [ -z "$(ls -A "$dir")" ] ||
        d13_die "$dir exists and was not made by root.sh: not removing it"
    rm -rf "$dir"
}

main() {
    local want new start
    [ "$(id -u)" = 0 ] || d13_die "root.sh must run as root (mmdebstrap, chroot, mounts)"
    command -v mmdebstrap >/dev/null || d13_die "mmdebstrap missing: apt-get install mmdebstrap"
    want=$(stamp)
    d13_lock
    if [ "${1:-}" != --rebuild ] &&
        [ "$(cat "$D13_ROOT/.pwzc-debian13-stamp" 2>/dev/null)" = "$want" ]; then
        echo "$D13_ROOT"
        return 0
    fi
    new=$D13_ROOT.new
    # root.sh's own scratch name: what is there is a build that was interrupted
    rm -rf "$new"
    start=$SECONDS
    d13_log "building the Debian 13 root in $new (mmdebstrap: a few minutes)"
    # Only the root's path goes to stdout (run.sh reads it): what the build prints goes to stderr.
    make_root "$new" >&2
    install_peer "$new" >&2
    echo "$want" >"$new/.pwzc-debian13-stamp"
    remove_root "$D13_ROOT"
    mv "$new" "$D13_ROOT"
    d13_log "root built in $((SECONDS - start)) s, $(du -sh "$D13_ROOT" | cut -f1): $D13_ROOT"
    echo "$D13_ROOT"
}

main "$@"
