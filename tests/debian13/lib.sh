# shellcheck shell=bash
# Sourced by tests/debian13/root.sh and run.sh: where the Debian 13 root lives, and in_root, which
# runs a command chrooted into it inside private mount and PID namespaces.
#
#   . tests/debian13/lib.sh
#   (in_root "$ROOT" /bin/sh -c 'pw-cli --version')
#
# Why namespaces: every mount made for the chroot (/proc, /sys, /dev, /dev/pts, /dev/shm, a tmpfs
# on /tmp and /run) lives in a private mount namespace and vanishes with it, whatever happens;
# every process started in the root (PipeWire, WirePlumber, Mutter, sway, the portals...) lives in
# a private PID namespace whose init is killed when in_root's unshare exits, and the kernel then
# kills every one of them. Nothing the root runs can outlive the call, even after a Ctrl-C or a
# SIGKILL of run.sh.

D13_ROOT=${PWZC_DEBIAN13_ROOT:-/var/cache/pwzc/debian13}

d13_log() { echo "debian13: $*" >&2; }
d13_die() { d13_log "$*"; exit 1; }

# The part that runs inside the new namespaces (as PID 1 of the PID namespace): mount, chroot, run.
# Kept as a string so that it runs under `unshare` without needing a file.
# /proc is a fresh procfs of the PID namespace (not the host's bound in), so ps and pgrep in the
# root see only the root's processes. /sys, /dev and /dev/pts come from the host (Mesa's software
# rasteriser reads /sys; foot needs a pty). /dev/shm, /tmp and /run are tmpfs of the namespace:
# what a killed test leaves there goes with it instead of piling up on the host.
# shellcheck disable=SC2016
D13_INSIDE='
set -eu
root=$1; shift
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t tmpfs -o mode=755 tmpfs "$root/run"
# The host'"'"'s current resolv.conf (read-only) for the apt calls made while the root is built
# (apt-get source): the copy mmdebstrap left in the root may be stale.
if [ -f /etc/resolv.conf ] && [ -e "$root/etc/resolv.conf" ]; then
    mount --bind -o ro /etc/resolv.conf "$root/etc/resolv.conf"
fi
# Not exec: this shell stays PID 1 of the namespace. PID 1 ignores signals it has no handler
# for, so a workload running as PID 1 would survive a Ctrl-C; as its child it does not.
chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" "$@"
'

# in_root ROOT CMD...: runs CMD chrooted into ROOT, in private mount and PID namespaces, with a
# clean environment (add variables with `env VAR=value CMD...`); exits with CMD's status.
# It execs unshare, replacing the calling shell: call it in a subshell, `(in_root ...)`, so that
# `(in_root ...) &` gives unshare's own PID in $!, the one to kill.
# --kill-child: when unshare itself dies (run.sh killed), the namespace's init gets SIGKILL and
# the kernel kills everything else in the namespace with it.
# --default-signal: bash starts background commands with SIGINT and SIGQUIT ignored, and an
# ignored signal stays ignored across exec; the tests send SIGINT on purpose and must see it
# behave as on a terminal.
in_root() {
    local root=$1; shift
    [ -e "$root/etc/resolv.conf" ] || : >"$root/etc/resolv.conf"
    exec 9>&-    # not d13_lock's fd
    exec env --default-signal=INT,QUIT unshare --mount --propagation private --pid --fork --kill-child \
        /bin/sh -c "$D13_INSIDE" d13-inside "$root" "$@"
}

# d13_lock: one user of the root at a time (a build swaps the root; a run uses /srv/pwzc in it).
# Blocks while another holds it. run.sh takes it for its whole run and calls root.sh under it;
# PWZC_DEBIAN13_LOCKED tells root.sh that its caller holds it already (flock would deadlock).
d13_lock() {
    [ -z "${PWZC_DEBIAN13_LOCKED:-}" ] || return 0
    mkdir -p "$(dirname "$D13_ROOT")"
    exec 9>"$D13_ROOT.lock"
    flock -n 9 || { d13_log "waiting for $D13_ROOT.lock (another build or run)"; flock 9; }
    export PWZC_DEBIAN13_LOCKED=1
}
