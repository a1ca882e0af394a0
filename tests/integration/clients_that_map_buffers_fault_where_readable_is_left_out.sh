#!/bin/bash
# Proves: a client whose stream maps its buffers through libpipewire (map-buffers: OBS) is
# judged by the mapping libpipewire really made for it. Against xdg-desktop-portal-wlr 0.8.0's
# buffers (data flags 0: profile xdpw-0.8.0) that mapping has no read permission on PipeWire
# 1.6 (1.5.81's stream.c maps with the data's own permissions), so OBS's replay "crashes", its
# frames counted unreadable and the trace saying why; on 0.3.65 and 1.4 every consumer's mapping
# was readable and it works. The same producer with READABLE (xdpw-0.8, as 0.8.2 fixed it)
# works for OBS everywhere, and so do clients that map the fd themselves (pipewiresrc, libwebrtc)
# and pwzc's own offers: the data flag and the client's stream flag decide, not a name or a
# version. Real OBS referees the crash (clients_obs_referee_agrees.sh, forky root).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/clients-lib.sh"
set -e
start_stack
crash=$(by_generation works works crashes)

for p in xdpw-0.8.0 xdpw-0.8; do
    run_pwzc probe --emulate "$p" --clients obs,webrtc,gst-pipewiresrc --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$p: probe exit $RC"; }
    validate pwzc-probe.schema.json "$T/out"
    cp "$T/out" "$T/$p.json"
done

[ "$(client_field xdpw-0.8.0 obs)" = "$crash" ] ||
    fail "obs against xdpw-0.8.0: $(client_field xdpw-0.8.0 obs), not $crash: $(client_field xdpw-0.8.0 obs why)"
unreadable=$(client_field xdpw-0.8.0 obs "fates']['unreadable")
if [ "$crash" = crashes ]; then
    [ "$unreadable" -gt 0 ] || fail "obs crashed with no unreadable frame counted"
    [ "$(client_field xdpw-0.8.0 obs frames)" = 0 ] || fail "a crashed client took frames"
    client_field xdpw-0.8.0 obs why | grep -q "no read permission" ||
        fail "obs's crash is not explained: $(client_field xdpw-0.8.0 obs why)"
    [ "$(client_field xdpw-0.8.0 obs step)" = 1 ] || fail "a crashed client went on to another step"
else
    [ "$unreadable" = 0 ] || fail "$unreadable unreadable frames where mappings are readable"
fi
for c in webrtc gst-pipewiresrc; do
    [ "$(client_field xdpw-0.8.0 "$c")" = works ] ||
        fail "$c maps the fd itself, yet: $(client_field xdpw-0.8.0 "$c" why)"
done
for c in obs webrtc gst-pipewiresrc; do
    [ "$(client_field xdpw-0.8 "$c")" = works ] || fail "$c against xdpw-0.8 (READABLE): $(client_field xdpw-0.8 "$c" why)"
done

# buffer_flags: the data flags of the first buffer in $T/out's client timeline.
buffer_flags() {
    json "$T/out" "next(e['detail']['data_flags'] for e in d['client']['steps'][0]['timeline']
        if isinstance(e.get('detail'), dict) and 'data_flags' in e['detail'])"
}

# The trace of one such replay: the buffer's flags as the client got them, and on 1.6 the note.
run_pwzc negotiate --emulate xdpw-0.8.0 --client obs --timeout 2 --json
[ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "negotiate exit $RC"; }
validate pwzc-negotiate.schema.json "$T/out"
flags=$(buffer_flags)
case $flags in *readable*) fail "xdpw-0.8.0's buffer reads as readable: $flags" ;; esac
if [ "$crash" = crashes ]; then
    json "$T/out" "[e.get('text') for e in d['client']['steps'][0]['timeline']]" |
        grep -q "without read permission" ||
        fail "the trace does not say the client's mapping is unreadable"
fi
run_pwzc negotiate --emulate xdpw-0.8 --client obs --timeout 2 --json
flags=$(buffer_flags)
case $flags in *readable*) ;; *) fail "xdpw-0.8's buffer lacks readable: $flags" ;; esac

# pwzc's own offers map the fd themselves: they stream from xdpw-0.8.0 on every generation.
run_pwzc probe --emulate xdpw-0.8.0 --offers shm --json
[ "$(json "$T/out" "d['offers'][0]['verdict']")" = works ] || fail "pwzc's shm offer against xdpw-0.8.0"
