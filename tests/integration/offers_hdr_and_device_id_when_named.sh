#!/bin/bash
# Proves: the built-in offers probe tries only when named are listed with the others and never
# run by default: hdr (xRGB_210LE, xBGR_210LE, RGBA_F16 with BT.2020 primaries and PQ, as HDR
# clients ask) streams from Mutter 50 on an HDR monitor and gets no format from an SDR-only
# producer; Sunshine's profile, whose 10-bit pod carries those colour properties, gets that
# format from it; dmabuf-device-id (a Capability param saying it negotiates device IDs) runs on a
# PipeWire 1.5.84+ build against Mutter 51, which then announces its formats once more, and is
# skipped with the reason on an older build.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack

run_pwzc probe --list-offers --json
expect_rc 0 "list offers"
for o in hdr dmabuf-device-id; do
    json "$T/out" "[i['name'] for i in d['items']]" | grep -q "'$o'" ||
        fail "--list-offers does not list $o"
done
run_pwzc probe --emulate gnome-headless --timeout 1.5 --json
[ "$(json "$T/out" "[o['name'] for o in d['offers'] if o['name'] in ('hdr', 'dmabuf-device-id')]")" = "[]" ] ||
    fail "a default probe ran an offer that is tried only when named"

run_pwzc negotiate --emulate mutter-50-hdr --offer hdr --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = works ] || fail "hdr vs mutter-50-hdr: $(json "$T/out" "d['result']['reason']")"
f=$(json "$T/out" "d['result']['format']['format']")
[[ $f == xRGB_210LE || $f == xBGR_210LE || $f == RGBA_F16 ]] || fail "hdr streamed $f"
# Sunshine asks for BT.2020 + PQ on its xBGR_210LE pod (pipewire.cpp): Mutter 50's MANDATORY
# colour properties match it, and it gets the 10-bit format, where a pod without them gets
# only the SDR ones.
run_pwzc negotiate --emulate mutter-50-hdr --client sunshine --timeout 3 --json
[ "$(json "$T/out" "d['client']['verdict']")" = works ] ||
    fail "sunshine vs mutter-50-hdr: $(json "$T/out" "d['client']['why']")"
[ "$(json "$T/out" "d['client']['format']['format']")" = xBGR_210LE ] ||
    fail "sunshine got $(json "$T/out" "d['client']['format']['format']") from an HDR Mutter, not its 10-bit PQ format"
sed '/^color-primaries\|^transfer-function/d' "$PWZC_DATADIR/clients/sunshine.client" >"$T/sdr.client"
run_pwzc negotiate --emulate mutter-50-hdr --client "$T/sdr.client" --timeout 3 --json
[ "$(json "$T/out" "d['client']['format']['format']")" != xBGR_210LE ] ||
    fail "a pod without colour properties got Mutter's MANDATORY-PQ format"
run_pwzc negotiate --emulate gnome-headless --offer hdr --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = "$NO_FORMAT_VERDICT" ] ||
    fail "hdr vs an SDR producer: $(json "$T/out" "d['result']['reason']")"

run_pwzc probe --emulate mutter-51 --offers dmabuf-device-id --timeout 3 --json
if "$PWZC" --version | grep -q "compiled with libpipewire 1\.\([6-9]\|5\.\(8[4-9]\|9\)\)"; then
    expect_offer verdict dmabuf-device-id works
    [ "$(offer param_changed dmabuf-device-id)" -ge 2 ] ||
        fail "mutter-51 did not announce its formats again after the capabilities"
else
    expect_offer verdict dmabuf-device-id skipped
    offer reason dmabuf-device-id | grep -q "device-ID negotiation needs PipeWire 1.5.84" ||
        fail "the skip gives no reason: $(offer reason dmabuf-device-id)"
fi
