# shellcheck shell=bash
# Sourced by tests/roots/root.sh and run.sh once SUITE is set (debian13, forky: a file
# tests/roots/SUITE.conf each): reads the suite's config, says where its root lives, and gives
# in_root, which runs a command chrooted into it inside private mount and PID namespaces.
#
#   SUITE=forky; . tests/roots/lib.sh
#   (in_root "$ROOT_DIR" /bin/sh -c 'pw-cli --version')
#
# Why namespaces: every mount made for the chroot (/proc, /sys, /dev, /dev/pts, /dev/shm, a tmpfs
# on /tmp and /run) lives in a private mount namespace and vanishes with it, whatever happens;
# every process started in the root (PipeWire, WirePlumber, Mutter, sway, the portals...) lives in
# a private PID namespace whose init is killed when in_root's unshare exits, and the kernel then
# kills every one of them. Nothing the root runs can outlive the call, even after a Ctrl-C or a
# SIGKILL of run.sh.
#
# Every suite reads its environment under its own prefix, PWZC_<SUITE>_ (PWZC_DEBIAN13_ROOT,
# PWZC_FORKY_MIRROR...): ROOT (where the root lives, default /var/cache/pwzc/SUITE), MIRROR (the
# Debian archive, default http://deb.debian.org/debian), JOBS (make -j in the root, default 2).

ROOTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

root_log() { echo "$SUITE: $*" >&2; }
root_die() { root_log "$*"; exit 1; }

if ! [[ ${SUITE:-} =~ ^[a-z0-9]+$ ]] || [ ! -f "$ROOTS_DIR/$SUITE.conf" ]; then
    suites=$(for f in "$ROOTS_DIR"/*.conf; do basename "$f" .conf; done | paste -sd' ')
    echo "roots: unknown suite '${SUITE:-}'; one of: $suites" >&2
    exit 2
fi
# suite_env NAME DEFAULT: $PWZC_<SUITE>_NAME, or DEFAULT
suite_env() {
    local var=PWZC_${SUITE^^}_$1
    echo "${!var:-$2}"
}
ROOT_DIR=$(suite_env ROOT "/var/cache/pwzc/$SUITE")
MIRROR=$(suite_env MIRROR http://deb.debian.org/debian)
# shellcheck disable=SC2034  # run.sh's
ROOT_JOBS=$(suite_env JOBS 2)
# More configure flags for pwzc's build in the root (.ci/run: --enable-sanitizers on debian13).
# shellcheck disable=SC2034  # run.sh's
ROOT_CONFIGURE=$(suite_env CONFIGURE "")
LOCKED_VAR=PWZC_${SUITE^^}_LOCKED
# shellcheck source=tests/roots/debian13.conf
. "$ROOTS_DIR/$SUITE.conf"

# The part that runs inside the new namespaces (as PID 1 of the PID namespace): mount, chroot, run.
# Kept as a string so that it runs under `unshare` without needing a file.
# /proc is a fresh procfs of the PID namespace (not the host's bound in), so ps and pgrep in the
# root see only the root's processes. /sys, /dev and /dev/pts come from the host (Mesa's software
# rasteriser reads /sys; foot needs a pty). /dev/shm, /tmp and /run are tmpfs of the namespace:
# what a killed test leaves there goes with it instead of piling up on the host.
# shellcheck disable=SC2016
ROOT_INSIDE='
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
    exec 9>&-    # not root_lock's fd
    exec env --default-signal=INT,QUIT unshare --mount --propagation private --pid --fork --kill-child \
        /bin/sh -c "$ROOT_INSIDE" "$SUITE-inside" "$root" "$@"
}

# root_lock: one user of the root at a time (a build swaps the root; a run uses /srv/pwzc in it).
# Blocks while another holds it. run.sh takes it for its whole run and calls root.sh under it;
# PWZC_<SUITE>_LOCKED tells root.sh that its caller holds it already (flock would deadlock).
root_lock() {
    [ -z "${!LOCKED_VAR:-}" ] || return 0
    mkdir -p "$(dirname "$ROOT_DIR")"
    exec 9>"$ROOT_DIR.lock"
    flock -n 9 || { root_log "waiting for $ROOT_DIR.lock (another build or run)"; flock 9; }
    export "$LOCKED_VAR=1"
}
