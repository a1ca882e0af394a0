#!/bin/bash
# Proves: pwzc reaches real KWin 6.7 headless (kwin_wayland --virtual) through
# xdg-desktop-portal 1.22 + xdg-desktop-portal-kde 6.7 without a dialog: the restore token that
# --restore sends is turned by the frontend into restore data from the permission store (seeded
# as a user's earlier "allow restoring" would have left it), and xdg-desktop-portal-kde starts the
# cast on the output it names instead of showing its screen chooser (tests/peers/kwin-portal.sh).
# What happens then depends on KWin's compositing, which the machine decides:
# - without a DRM device (no GPU, no vgem: this project's machines, whose kernel has no DRM) KWin
#   composites with QPainter, and KWin 6.7 screencasts only with OpenGL: it answers the stream
#   request "Unsupported compositing type", xdg-desktop-portal-kde answers Start with 2, and pwzc
#   says so in one line with the cause, exit 12. No stream exists, so no offer can be tried; the
#   test keeps the failing logs' lines (KWin's fallback, the portal backend's failure) as this
#   generation's golden (tests/expected/kwin/portal-start), and checks that KWin and its portal
#   are still up and answer the next session the same way;
# - with OpenGL, probe --portal --restore streams: shm works with frames, and the token restores
#   the next session too (kwin_probe_and_clients_agree_with_the_kwin_profile.sh compares every
#   offer and client with the emulated KWin there).
# KWin 6.7 is packaged from Debian forky on: there a missing KWin is a failure, elsewhere a skip.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/kwin-portal.sh"
set -e
if ! have_kwin_portal; then
    kwin_expected_here && fail "KWin 6.7 or xdg-desktop-portal-kde missing (tests/roots/forky.conf)"
    echo "KWin 6.7 + xdg-desktop-portal-kde are not packaged here (Debian forky on)"; exit 77
fi
start_stack
start_kwin_portal

if kwin_composites_with_opengl; then
    run_pwzc probe --portal --restore --offers shm,dmabuf+shm --timeout 2 --json
    expect_rc 0 "KWin with OpenGL streams through the portal"
    validate pwzc-probe.schema.json "$T/out"
    expect_offer verdict shm works
    [ "$(offer frames shm)" -gt 0 ] || fail "shm: no frames"
    expect_offer verdict dmabuf+shm works
    [ "$(json "$T/out" "d['session']['compositor']['restored']")" = True ] || fail "not restored"
    run_pwzc negotiate --portal --restore --offer shm --timeout 1.5 --json
    expect_rc 0 "the stored token restores the next session without a dialog too"
    exit 0
fi

# Each failed Start consumes the token's entry (the frontend deletes it on lookup and stores it
# again only with the restore data of a Start that worked): seed it for each session.
failing_start() {
    kwin_seed_restore_token
    run_pwzc probe --portal --restore --offers shm --timeout 2
    expect_rc 12 "KWin without OpenGL refuses the stream: the portal's Start fails"
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "not one line"; }
}
failing_start
grep -q "Start failed (Response 2; backend org.freedesktop.impl.portal.desktop.kde)" "$T/err" ||
    fail "$(cat "$T/err")"
grep -q "composites with OpenGL" "$T/err" || fail "the cause is not named: $(cat "$T/err")"
# No dialog: the backend got restore data and started the cast on output 0x0 itself.
grep -q "Replacing 'restore_token' with portal-specific data" "$T/logs/xdp.log" ||
    fail "the frontend did not restore the session from the permission store"
grep -q '"restore_data", QVariant(QDBusArgument' "$T/logs/xdpk.log" ||
    fail "xdg-desktop-portal-kde got no restore data"
! grep -q -i "ScreenChooserDialog\|dialog" "$T/logs/xdpk.log" || fail "a dialog was involved"
{
    cat "$T/err"
    grep -h "Falling back to defaults" "$T/logs/kwin.log" | sed 's/^/kwin: /'
    grep -h "failed to start streaming\|Invalid screen" "$T/logs/xdpk.log" |
        sed -e 's/^/xdg-desktop-portal-kde: /' -e 's/(0x[0-9a-f]*,/(PTR,/'
} >"$T/failing"
note "the failing logs, kept as tests/expected/kwin/portal-start:"
sed 's/^/# /' "$T/failing"
golden "$T/failing" kwin/portal-start

# The refusal harms nothing: KWin and its portal backend stay, and answer the next session alike.
for name in org.freedesktop.impl.portal.desktop.kde org.freedesktop.portal.Desktop; do
    bus_has_name "$name" || fail "$name left the bus after the refused cast"
done
failing_start
grep -q "Response 2; backend org.freedesktop.impl.portal.desktop.kde" "$T/err" || fail "$(cat "$T/err")"
