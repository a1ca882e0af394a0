#!/bin/bash
# Proves: `pwzc probe --sandbox` gets ready and probes where there is no systemd-logind (a
# container, a VM image such as the GPU machine's): WirePlumber 0.4's Bluetooth monitor loads
# its logind module, whose failure made WirePlumber exit and the sandbox fail with "wireplumber
# did not get ready". Where /run/systemd exists, it is hidden in a mount namespace of the test's
# own; a machine that cannot make one skips the test.
. "$TESTS_SRCDIR/lib.sh"

set -e
run=("$PWZC" probe --sandbox --offers shm --timeout 5)
if [ -d /run/systemd ]; then
    unshare -m true 2>/dev/null || { echo "cannot hide /run/systemd here (no mount namespace)"; exit 77; }
    # shellcheck disable=SC2016  # expanded by the inner shell
    run=(unshare -m sh -c 'mount -t tmpfs none /run/systemd && exec "$@"' sh "${run[@]}")
fi
set +e
"${run[@]}" >"$T/out" 2>"$T/err"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "probe --sandbox without logind exited $rc: $(cat "$T/err")"
grep -q "shm" "$T/out" || fail "no verdict for the shm offer: $(cat "$T/out")"
