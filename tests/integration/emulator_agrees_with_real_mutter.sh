#!/bin/bash
# Proves: the emulator profile that models this generation's GNOME Mutter headless (no GPU)
# gives the verdicts the real Mutter gives, offer by offer (`probe`, every built-in offer) and
# client by client (`probe --clients`), on the same PipeWire daemon: Mutter 43 / 0.3.65 (Debian
# 12) and Mutter 48 / 1.4.2 (Debian 13) against gnome-headless; Mutter 50 / 1.6.9 (forky) and
# Mutter 51 / 1.6 (sid) against gnome-headless-50, whose maxFramerate range starts at 0/1 as
# theirs does. The profile is picked by Mutter's major version, the only thing read from a name:
# the verdicts on both sides come from what the streams did.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
. "$TESTS_SRCDIR/agree-lib.sh"
set -e
have_mutter || { echo "mutter or foot not installed (tests/peers/deps.sh)"; exit 77; }
major=$(mutter --version | sed -n 's/^mutter \([0-9]*\)\..*/\1/p')
[ -n "$major" ] || fail "no version in: $(mutter --version)"
model=gnome-headless
[ "$major" -lt 50 ] || model=gnome-headless-50
note "Mutter $major, PipeWire $(pw_generation) generation: against $model"
start_stack
start_mutter
agree_run "mutter-$major" probe --mutter --timeout 2
# the emulator on the same daemon, Mutter still running beside it (its node is not the target)
agree_run "$model" probe --emulate "$model" --timeout 2
agree_compare "mutter-$major" "$model"
# What makes the comparison worth making: the real Mutter streams SHM and refuses DMA-BUF.
grep -q '^shm works MemFd$' "$T/agree/mutter-$major.offers" || fail "real Mutter: shm does not work"
grep -q '^dmabuf-linear works' "$T/agree/mutter-$major.offers" && fail "real Mutter streamed DMA-BUF"
exit 0
