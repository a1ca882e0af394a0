#!/bin/bash
# Proves: the emulated KWin (data/profiles/kwin.profile, read from KWin 6.7.4's source) and real
# KWin 6.7 agree, on the same PipeWire, offer by offer (probe: every built-in offer, its verdict
# and buffer type) and client by client (probe --clients: verdict, step, buffer type). The real
# one is reached through xdg-desktop-portal-kde with a restore token (no dialog; see
# tests/peers/kwin-portal.sh) and --allow-backend-restart, so that the offers KWin would refuse run
# too; its link errors are unreadable through the portal's fd, so reasons are not compared.
# The comparison needs a KWin that screencasts, which is a KWin compositing with OpenGL, which
# needs a DRM device (a GPU, or vgem). Where KWin falls back to QPainter there is no stream to
# compare: the test checks that this is the reason (KWin's log, and the stream request refused
# with "Unsupported compositing type") and skips, saying so; the refusal itself is asserted by
# kwin_portal_restores_without_a_dialog_says_why_kwin_casts_nothing.sh.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/kwin-portal.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
if ! have_kwin_portal; then
    kwin_expected_here && fail "KWin 6.7 or xdg-desktop-portal-kde missing (tests/roots/forky.conf)"
    echo "KWin 6.7 + xdg-desktop-portal-kde are not packaged here (Debian forky on)"; exit 77
fi
start_stack
start_kwin_portal
if ! kwin_composites_with_opengl; then
    run_pwzc probe --portal --restore --offers shm --timeout 2
    [ "$RC" = 12 ] && grep -q "Unsupported compositing type" "$T/logs/xdpk.log" ||
        fail "KWin fell back to QPainter, yet the portal did not fail for that reason (rc $RC: $(cat "$T/err"))"
    echo "KWin composites with QPainter here (no DRM device: no GPU, no vgem) and refuses every"
    echo "stream ('Unsupported compositing type'): no real KWin stream to compare the profile with"
    exit 77
fi

# rows FILE KIND: "NAME VERDICT BUFFERS" per offer, or client_rows' "CLIENT VERDICT step N BUFFERS".
offer_rows() {
    json "$1" "'\n'.join('%s %s %s' % (o['name'], o['verdict'], o.get('data_type') or '-') for o in sorted(d['offers'], key=lambda o: o['name']))"
}
run_pwzc probe --portal --restore --allow-backend-restart --timeout 2 --json
[ "$RC" -le 1 ] || { cat "$T/err"; fail "probe of real KWin: exit $RC"; }
validate pwzc-probe.schema.json "$T/out"
offer_rows "$T/out" >"$T/real-offers"
run_pwzc probe --portal --restore --allow-backend-restart --clients --json
[ "$RC" -le 1 ] || { cat "$T/err"; fail "probe --clients of real KWin: exit $RC"; }
client_rows "$T/out" X | cut -d' ' -f2- >"$T/real-clients"

run_pwzc probe --emulate kwin --timeout 2 --json
offer_rows "$T/out" >"$T/emulated-offers"
run_pwzc probe --emulate kwin --clients --json
client_rows "$T/out" X | cut -d' ' -f2- >"$T/emulated-clients"
diff -u "$T/real-offers" "$T/emulated-offers" || fail "offers: the kwin profile and real KWin disagree"
diff -u "$T/real-clients" "$T/emulated-clients" || fail "clients: the kwin profile and real KWin disagree"
