#!/bin/bash
# build-xdpw.sh DESTDIR: runs INSIDE the Debian 13 root (root.sh copies it in and calls it) and
# builds the "patched" peer of tests/peers/sway-portal.sh for Debian 13: xdg-desktop-portal-wlr
# 0.7.1, the version Debian 13 ships, with tests/peers/xdpw-0.7.0-shm-only.patch. The patch's one
# hunk applies to 0.7.1 unchanged: 0.7.1 still refuses a compositor without DMA-BUF screencopy
# (upstream issue #289), so stock 0.7.1 on pixman sway still answers Start with 2.
# Leaves DESTDIR/xdg-desktop-portal-wlr, and DESTDIR/SOURCE saying which source it was built from.
#
# The source, first found wins:
#   1. Debian 13's own source package (apt-get source xdg-desktop-portal-wlr=<installed version>),
#      the exact source of the stock binary.
#   2. DESTDIR/in/xdpw-source.tar*: a tarball of upstream 0.7.1 (root.sh copies
#      PWZC_XDPW_SOURCE there), for mirrors that carry trixie's binaries but not its sources.
#   3. tests/peers/build-xdpw.sh: Debian 12's 0.7.0 source, patched, built against Debian 13's
#      libraries. What the test suite itself would build; SOURCE says it is 0.7.0.
# Expects in DESTDIR/in/: xdpw-0.7.0-shm-only.patch and peers-build-xdpw.sh (tests/peers/).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DESTDIR" >&2; exit 2; }
DEST=$1
IN=$DEST/in
W=$DEST/d13-work      # not work/: tests/peers/build-xdpw.sh wipes that

from_debian() {
    local version
    version=$(dpkg-query -W -f='${Version}' xdg-desktop-portal-wlr)
    # as root apt hands downloads to _apt, who cannot write here
    (cd "$W" && apt-get -q -o APT::Sandbox::User=root source "xdg-desktop-portal-wlr=$version") ||
        return 1
    SRCDIR=$(find "$W" -mindepth 1 -maxdepth 1 -type d -name 'xdg-desktop-portal-wlr-*')
    SOURCE="xdg-desktop-portal-wlr $version (Debian 13 source package)"
}

from_tarball() {
    local tarball
    tarball=$(compgen -G "$IN/xdpw-source.tar*" | head -n 1) || return 1
    tar -xf "$tarball" -C "$W"
    SRCDIR=$(find "$W" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    grep -q "version: '0.7.1'" "$SRCDIR/meson.build" ||
        { echo "$tarball is not xdg-desktop-portal-wlr 0.7.1" >&2; return 1; }
    SOURCE="xdg-desktop-portal-wlr 0.7.1 (upstream tarball $(basename "$tarball"))"
}

build() {
    patch -d "$SRCDIR" -p1 <"$IN/xdpw-0.7.0-shm-only.patch"
    meson setup "$W/build" "$SRCDIR" --buildtype=debugoptimized -Dman-pages=disabled \
        -Dsystemd=disabled
    ninja -C "$W/build"
    cp "$W/build/xdg-desktop-portal-wlr" "$DEST/xdg-desktop-portal-wlr"
}

rm -rf "$W"
mkdir -p "$W"
SRCDIR='' SOURCE=''
if from_debian || from_tarball; then
    build
else
    echo "build-xdpw: no 0.7.1 source (mirror has none, no PWZC_XDPW_SOURCE): building 0.7.0" >&2
    # tests/peers/build-xdpw.sh expects the patch beside it
    mkdir -p "$W/peers"
    cp "$IN/peers-build-xdpw.sh" "$W/peers/build-xdpw.sh"
    cp "$IN/xdpw-0.7.0-shm-only.patch" "$W/peers/"
    "$W/peers/build-xdpw.sh" "$DEST"
    SOURCE="xdg-desktop-portal-wlr 0.7.0-1 (Debian 12 source, built against Debian 13)"
fi
SOURCE="$SOURCE + xdpw-0.7.0-shm-only.patch"
echo "$SOURCE" >"$DEST/SOURCE"
rm -rf "$W" "$IN"
echo "build-xdpw: $SOURCE"
