#!/bin/bash
# Proves: the emulator profile wlroots-shm gives the verdicts that real sway headless (pixman, no
# GPU) + xdg-desktop-portal-wlr gives through the ScreenCast portal, offer by offer (`probe
# --portal`, every built-in offer) and client by client (`probe --portal --clients`), on the same
# PipeWire daemon: xdpw 0.7.0 + SHM patch / 0.3.65 (Debian 12), 0.7.1 + SHM patch / 1.4.2
# (Debian 13), stock 0.8.4 / 1.6.9 (forky; sid's). On 1.x a refused offer's link error makes
# xdpw exit; its bus name is D-Bus activatable here, as a desktop installs it, and
# --allow-backend-restart lets probe try every offer: each offer and each client gets a fresh
# portal session and a verdict of its own.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/sway-portal.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
. "$TESTS_SRCDIR/agree-lib.sh"
set -e
have_sway_portal patched || { echo "sway/portal peers not installed (tests/peers/deps.sh)"; exit 77; }
xdpw_activatable
start_stack
start_sway_portal patched
model=wlroots-shm
note "PipeWire $(pw_generation) generation, xdpw exits on a core error: $XDPW_EXITS_ON_CORE_ERROR"
agree_run xdpw probe --portal --allow-backend-restart --timeout 2
agree_run "$model" probe --emulate "$model" --timeout 2
agree_compare xdpw "$model"
grep -q '^shm works MemFd$' "$T/agree/xdpw.offers" || fail "real xdpw: shm does not work"
held=$(json "$T/agree/xdpw.offers.json" \
    "' '.join(o['name'] for o in d['offers'] if (o.get('reason') or '').startswith('held back'))")
[ -z "$held" ] || fail "offers held back, not tried: $held"
