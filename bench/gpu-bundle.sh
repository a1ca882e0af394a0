#!/bin/bash
# Makes a self-contained pwzc for a GPU machine that has no PipeWire and no package registry
# (the device machine: Ubuntu 24.04, an H200). Into DIR/bundle go: pwzc and tests/tools/gpu-check
# built from this tree (without libavformat: raw H.264 only, and a bundle a few MiB smaller than
# libavcodec's dependencies), this machine's pipewire, wireplumber and dbus-daemon with their
# modules, SPA plugins and configuration, every shared library all of these need except glibc's
# and the C++ runtime's (the target's are newer), and DIR/bundle/run, which points the lot at the
# bundle:
#   bench/gpu-bundle.sh [DIR]                 (default: build-gpu, ignored by git; the bundle
#                                             is packed in DIR/bundle.tar.gz too)
#   DIR/bundle/run pwzc bench --sandbox --path shm-cuda --json
#   DIR/bundle/run gpu-check
# The bundle's pwzc starts the sandbox daemons by name, from the bundle's bin/ (its configure is
# told so), so --sandbox runs nothing of the target's own. bench/gpu-run.sh is what runs there.
# The bundle is also checked here, with the system's PipeWire hidden: bench/gpu-bundle.sh --check.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
check=false
[ "${1:-}" = --check ] && { check=true; shift; }
B=$(mkdir -p "${1:-$SRC/build-gpu}" && cd "${1:-$SRC/build-gpu}" && pwd)
D=$B/bundle
ARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
L=/usr/lib/$ARCH

# The tree as it is now (committed or not), in a copy of its own: a configured source tree cannot
# host a second, VPATH build. tar keeps the mtimes, so a second run rebuilds only what changed.
build_pwzc() {
    mkdir -p "$B/src"
    (cd "$SRC" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$B/src"
    cd "$B/src"
    [ -x configure ] || autoreconf -fi >/dev/null
    [ -f config.status ] || ./configure -q --without-libavformat --prefix=/usr \
        ac_cv_path_PIPEWIRE_BIN=pipewire ac_cv_path_WIREPLUMBER_BIN=wireplumber \
        ac_cv_path_DBUS_DAEMON_BIN=dbus-daemon
    make -s -j"$(nproc)" pwzc tests/tools/gpu-check
    cd "$SRC"
}

# Every library FILE... links beyond glibc and libstdc++/libgcc_s, into lib/.
copy_libs() {
    ldd "$@" 2>/dev/null | awk '/=> \// { print $3 }' | sort -u |
        grep -Ev '/(libc|libm|libdl|librt|libpthread|libresolv|libutil|libanl|ld-linux-x86-64|libstdc\+\+|libgcc_s)\.so' |
        while read -r lib; do
            [ -e "$D/lib/$(basename "$lib")" ] || cp -L "$lib" "$D/lib/"
        done
}

make_bundle() {
    rm -rf "$D"
    mkdir -p "$D/bin" "$D/lib/gio-modules" "$D/share/pwzc"
    cp "$B/src/pwzc" "$B/src/tests/tools/gpu-check" "$D/bin/"
    cp /usr/bin/pipewire /usr/bin/wireplumber /usr/bin/dbus-daemon /usr/bin/pw-cli \
        /usr/bin/pw-dump "$D/bin/"
    cp -r "$L/pipewire-0.3" "$L/spa-0.2" "$L/wireplumber-0.4" "$D/lib/"
    cp -r /usr/share/pipewire /usr/share/wireplumber "$D/share/"
    # WIREPLUMBER_CONFIG_DIR hides the override the sandbox writes in XDG_CONFIG_HOME (see
    # src/sandbox.c): the bundle's own copy says it instead, for the target has no logind.
    sed -i 's/\["with-logind"\] = true/["with-logind"] = false/' \
        "$D/share/wireplumber/bluetooth.lua.d/50-bluez-config.lua"
    cp -r "$SRC/data/profiles" "$SRC/data/clients" "$SRC"/data/*.schema.json "$D/share/pwzc/"
    copy_libs "$D"/bin/* "$D"/lib/pipewire-0.3/*.so "$D"/lib/spa-0.2/*/*.so \
        "$D"/lib/wireplumber-0.4/*.so
    cp "$SRC/bench/gpu-run.sh" "$D/"
    mkdir -p "$D/tests/integration"
    cp "$SRC/tests/lib.sh" "$D/tests/"
    cp "$SRC/tests/integration/gpu_paths_match_the_cpu.sh" "$D/tests/integration/"
    cat >"$D/run" <<'EOF'
#!/bin/sh
# Runs a command with the bundle's pwzc, PipeWire and WirePlumber (bench/gpu-bundle.sh).
B=$(cd "$(dirname "$0")" && pwd)
export PATH="$B/bin:$PATH" LD_LIBRARY_PATH="$B/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SPA_PLUGIN_DIR="$B/lib/spa-0.2" PIPEWIRE_MODULE_DIR="$B/lib/pipewire-0.3"
export PIPEWIRE_CONFIG_DIR="$B/share/pipewire" WIREPLUMBER_MODULE_DIR="$B/lib/wireplumber-0.4"
export WIREPLUMBER_CONFIG_DIR="$B/share/wireplumber" WIREPLUMBER_DATA_DIR="$B/share/wireplumber"
export PWZC_DATADIR="$B/share/pwzc"
# The target's GIO modules are built against its own, newer GLib: none are loaded.
export GIO_MODULE_DIR="$B/lib/gio-modules"
# NVIDIA's EGL, where the driver is mounted rather than installed (the device machine).
v=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f "$v" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$v"
exec "$@"
EOF
    chmod +x "$D/run"
}

# The bundle on its own: the system's PipeWire, WirePlumber and dbus-daemon hidden (in a mount
# namespace of this command's), and systemd's /run/systemd as on the GPU machine (no logind), a
# sandbox bench and capture must still run, from the bundle.
check_bundle() {
    local hide="" p
    for p in "$L/pipewire-0.3" "$L/spa-0.2" "$L/wireplumber-0.4" /usr/share/pipewire \
        /usr/share/wireplumber /etc/pipewire /etc/wireplumber /run/systemd; do
        [ -d "$p" ] && hide="$hide mount -t tmpfs none $p;"
    done
    for p in /usr/bin/pipewire /usr/bin/wireplumber /usr/bin/dbus-daemon "$L"/libpipewire-0.3.so.0 \
        "$L"/libwireplumber-0.4.so.0; do
        [ -e "$p" ] && hide="$hide mount --bind /dev/null $p;"
    done
    unshare -m sh -c "$hide
        env -i HOME=/tmp PATH=/usr/bin:/bin '$D/run' pwzc bench --sandbox --duration 1 --warmup 0.5 \
            --encoder none --json >'$B/check-bench.json' &&
        env -i HOME=/tmp PATH=/usr/bin:/bin '$D/run' pwzc capture --sandbox --frames 30 \
            --encoder software -o '$B/check.h264'"
    echo "gpu-bundle: the bundle runs with the system's PipeWire hidden: $B/check-bench.json"
}

if ! $check; then
    build_pwzc
    make_bundle
    tar -czf "$B/bundle.tar.gz" -C "$B" bundle
    echo "gpu-bundle: $D ($(du -sh "$D" | cut -f1)), packed in $B/bundle.tar.gz ($(du -sh "$B/bundle.tar.gz" | cut -f1))"
fi
check_bundle
