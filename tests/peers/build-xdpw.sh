#!/bin/bash
# build-xdpw.sh DESTDIR: builds xdg-desktop-portal-wlr 0.7.0 from Debian's own source package with
# xdpw-0.7.0-shm-only.patch applied, and leaves the binary at DESTDIR/xdg-desktop-portal-wlr.
# Stock 0.7.0 cannot screencast from a compositor without a GPU (pixman renderer); the patched one
# can, over SHM. Cached: does nothing when the binary is newer than the patch and this script.
# Needs network access to a Debian mirror, and: dpkg-dev meson ninja-build pkg-config gcc
# libdrm-dev libinih-dev libgbm-dev libwayland-dev wayland-protocols libsystemd-dev
# libpipewire-0.3-dev. Touches nothing outside DESTDIR (apt runs on a private state there).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DESTDIR" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PATCH=$HERE/xdpw-0.7.0-shm-only.patch
VERSION=0.7.0-1          # the source the patch was made against (Debian 12's package)
mkdir -p "$1"
DEST=$(cd "$1" && pwd)
BIN=$DEST/xdg-desktop-portal-wlr

fresh() { [ -x "$BIN" ] && [ "$BIN" -nt "$PATCH" ] && [ "$BIN" -nt "${BASH_SOURCE[0]}" ]; }
fresh && { echo "$BIN"; exit 0; }

# Parallel tests may all find the binary missing: one builds, the others wait and reuse it.
exec 9>"$DEST/.build.lock"
flock 9
fresh && { echo "$BIN"; exit 0; }

W=$DEST/work
rm -rf "$W"
mkdir -p "$W/apt/lists/partial" "$W/apt/cache/archives/partial" "$W/apt/sources.list.d" "$W/src"

# A deb-src entry for the mirror this machine already uses (first Debian URI found), in a private
# apt state: /etc/apt and /var/lib/apt stay untouched. Suite is bookworm whatever the host runs,
# because the patch is for bookworm's 0.7.0-1.
URI=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$URI" ] || URI=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$URI" ] || URI=http://deb.debian.org/debian
cat >"$W/apt/sources.list.d/debsrc.sources" <<SRC
Types: deb-src
URIs: $URI
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
: >"$W/apt/sources.list"
APT=(apt-get -q -o Dir::Etc::SourceList="$W/apt/sources.list"
     -o Dir::Etc::SourceParts="$W/apt/sources.list.d" -o Dir::State::Lists="$W/apt/lists"
     -o Dir::Cache="$W/apt/cache" -o Debug::NoLocking=1
     # as root apt would hand downloads to the _apt user, who cannot write into DESTDIR
     -o APT::Sandbox::User=root)
"${APT[@]}" update
# apt-get source downloads the .dsc, .orig and .debian tarballs and unpacks them (dpkg-source -x)
(cd "$W/src" && "${APT[@]}" source "xdg-desktop-portal-wlr=$VERSION")
SRCDIR=$W/src/xdg-desktop-portal-wlr-${VERSION%-*}
patch -d "$SRCDIR" -p1 <"$PATCH"

meson setup "$W/build" "$SRCDIR" --buildtype=debugoptimized -Dman-pages=disabled -Dsystemd=disabled
ninja -C "$W/build"
# install atomically: a reader never sees a half-written binary
cp "$W/build/xdg-desktop-portal-wlr" "$BIN.tmp"
mv -f "$BIN.tmp" "$BIN"
rm -rf "$W"
echo "$BIN"
