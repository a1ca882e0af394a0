#!/bin/sh
# Prints, one per line, the Debian 12 packages that the real-compositor peers in tests/peers/
# need on top of what every integration test needs (pipewire, pipewire-bin, wireplumber,
# dbus-daemon). Meant for --no-install-recommends:
#   apt-get install --no-install-recommends $(tests/peers/deps.sh)
cat <<'EOF'
mutter
gsettings-desktop-schemas
libegl-mesa0
libgl1-mesa-dri
foot
sway
xdg-desktop-portal
xdg-desktop-portal-wlr
libglib2.0-bin
python3-gi
util-linux
dpkg-dev
meson
ninja-build
gcc
libc6-dev
pkg-config
libdrm-dev
libinih-dev
libgbm-dev
libwayland-dev
wayland-protocols
libsystemd-dev
libpipewire-0.3-dev
EOF
# Why each, where it is not obvious:
#   gsettings-desktop-schemas, libegl-mesa0: Mutter reads org.gnome.desktop.* schemas and renders
#     through Mesa's EGL (both already hard dependencies of mutter on Debian 12; named because
#     the peer relies on them).
#   libgl1-mesa-dri: swrast_dri.so. Without it headless Mutter exits at start ("Unable to
#     initialize the Clutter backend: no available drivers found"). mutter does not depend on it.
#   xdg-desktop-portal-wlr: the stock variant, and wlr.portal (the file through which
#     xdg-desktop-portal finds the backend), which the patched variant needs too.
#   libglib2.0-bin: gdbus, for the readiness checks. util-linux: setpriv (sway refuses root)
#     and flock (build-xdpw.sh).
#   python3-gi: tests drive the D-Bus screencast APIs with /usr/bin/python3 (a session lives only
#     as long as the connection that created it, and the portal hands the PipeWire fd over D-Bus).
#   dpkg-dev ... libpipewire-0.3-dev: build-xdpw.sh (apt-get source, dpkg-source, patch, meson);
#     libc6-dev because gcc only recommends it.
