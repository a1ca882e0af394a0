#!/bin/bash
# Proves: Debian's stock xdg-desktop-portal-wlr on a compositor with a software renderer answers
# Start with Response 2; pwzc says so in one line, names the backend and the known cause (no
# DMA-BUF on a software renderer), and exits with the portal-failure code (12). That is xdpw
# 0.7's failure: from 0.8 on the stock xdpw captures through ext-image-copy-capture and streams
# on the same compositor (tests/peers/sway-portal.sh), and then pwzc must report a stream that
# works, not the 0.7 failure.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
set -e
have_sway_portal stock || { echo "sway/portal peers not installed (tests/peers/deps.sh)"; exit 77; }
start_stack
start_sway_portal stock
if stock_xdpw_streams_without_gpu; then
    run_pwzc probe --portal --offers shm --timeout 1 --json
    expect_rc 0 "stock xdpw 0.8 streams without a GPU"
    expect_offer verdict shm works
    exit 0
fi
run_pwzc probe --portal --timeout 1
expect_rc 12 "Start answered 2"
[ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "not one line"; }
grep -q "Start failed (Response 2; backend org.freedesktop.impl.portal.desktop.wlr)" "$T/err" ||
    fail "$(cat "$T/err")"
grep -q "software renderer" "$T/err" || fail "the known cause is not named"
