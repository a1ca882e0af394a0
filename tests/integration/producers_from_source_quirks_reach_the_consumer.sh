#!/bin/bash
# Proves: what each producer profile read from its source does reaches a consumer as it would
# from the real one, and pwzc's verdicts and fate counts follow what the stream does:
# niri: DMA-BUF only (SHM offers get no format), a one-modifier Enum without DONT_FIXATE, a
#   maxFramerate in mHz, and chunks of size 1 that are counted as frames, never out-of-bounds;
#   a buffer it could not render (size 0, CORRUPTED in chunk and header) counted corrupted;
#   a window cast leaves two modifiers open and has a Cursor meta only with libpipewire 1.4.8;
#   capture on the CPU path finds no format, one line.
# cosmic: RGBA/BGRA only (a BGRx-only consumer gets nothing), framerate 60/1 without
#   maxFramerate, no node.driver (frames come when the graph asks), no Header (capture's
#   timestamps from arrival).
# xdpw-0.8: not a driver either, 2 buffers (on 1.6 the consumer's 8), timestamps from its Header.
# gamescope: NV12 with its colour matrix and range, its own format keys, pts -1 (capture times
#   frames by arrival), a driver.
# mutter-50-hdr: HDR formats whose BT.2020/PQ are MANDATORY: a consumer without colour
#   properties cannot get RGBA_F16, BGRx still streams.
# mutter-51: node.supports-request 2; its Capability param where PipeWire has one (1.5.84), a
#   line saying it is left out where not.
# Each streaming one also through capture and bench, every buffer a frame.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack

# is VALUE EXPECTED...: a pod's Id as 0.3 and 1.4 print it (a number) or 1.6 (a name).
is() { local v=$1 w; shift; for w in "$@"; do [ "$v" = "$w" ] && return 0; done; return 1; }
pod() { json "$T/out" "d['producer']['enum_formats'][$1]['pod']['props'].get('$2')"; }
fates_all_frames() { # WHAT FATES-JSON-EXPR FILE
    local arrived frame
    arrived=$(json "$3" "$2['arrived']")
    frame=$(json "$3" "$2['frame']")
    [ "$arrived" -gt 0 ] && [ "$frame" = "$arrived" ] || fail "$1: $frame frames of $arrived buffers"
}
# node_prop NAME KEY: a property of the node with node.name NAME, from pw-dump.
node_prop() {
    pw-dump 2>/dev/null | /usr/bin/python3 -c "
import json,sys
for o in json.load(sys.stdin):
    p=(o.get('info') or {}).get('props') or {}
    if p.get('node.name')=='$1': print(p.get('$2')); break"
}
emulate_bg() { # PROFILE: start the emulator alone, wait for its node
    "$PWZC" emulate --profile "$1" >"$T/emu-$1.out" 2>"$T/emu-$1.err" &
    EMU=$!
    PIDS+=("$EMU")
    wait_for 200 grep -q ready "$T/emu-$1.out"
}
stop_emulator() { kill -TERM "$EMU"; wait "$EMU" 2>/dev/null || true; }

# niri
run_pwzc probe --emulate niri --offers shm,dmabuf-linear --timeout 3 --json
validate pwzc-probe.schema.json "$T/out"
expect_offer verdict shm "$NO_FORMAT_VERDICT"
expect_offer verdict dmabuf-linear works
[ "$(pod 0 modifier)" = "{'choice': 'Enum', 'default': '0x0000000000000000', 'values': ['0x0000000000000000'], 'flags': ['mandatory']}" ] ||
    fail "niri's one modifier is not an Enum of one, MANDATORY only: $(pod 0 modifier)"
[ "$(json "$T/out" "d['producer']['enum_formats'][0]['pod']['props']['maxFramerate']['default']")" = 60000/1000 ] ||
    fail "niri's maxFramerate is not in mHz: $(pod 0 maxFramerate)"
f=$(offer fates dmabuf-linear | tr "'" '"')
echo "$f" >"$T/fates.json"
fates_all_frames "niri's size-1 chunks" d "$T/fates.json"
# A frame niri could not render comes back with size 0 and CORRUPTED in chunk and header
# (return_unused_buffer): counted corrupted, as the producer flags it, not empty.
sed '0,/^\[format\]/s//hostile = failed-render\nhostile-every = 3\n\n[format]/' \
    "$PWZC_DATADIR/profiles/niri.profile" >"$T/niri-failing.profile"
run_pwzc probe --emulate "$T/niri-failing.profile" --offers dmabuf-linear --timeout 3 --json
expect_offer verdict dmabuf-linear works
offer fates dmabuf-linear | tr "'" '"' >"$T/fates.json"
python3 - "$T/fates.json" "$(offer reason dmabuf-linear)" <<'PY' || fail "niri's unrendered buffers: $(cat "$T/fates.json")"
import json, sys
f, reason = json.load(open(sys.argv[1])), sys.argv[2]
assert f["corrupted"] > 0 and f["empty"] == 0, f
assert f["frame"] + f["corrupted"] == f["arrived"], f
assert f"{f['corrupted']} corrupted" in reason, reason
PY
run_pwzc probe --emulate niri-window --offers dmabuf-linear --timeout 3 --json
expect_offer verdict dmabuf-linear works
for i in 0 1; do
    [[ $(pod $i modifier) == *"'flags': ['mandatory', 'dont-fixate']"* ]] ||
        fail "niri-window pod $i: two modifiers not left open: $(pod $i modifier)"
done
[ "$(pod 1 format)" = BGRA ] || fail "niri-window's second pod is $(pod 1 format), not BGRA"
# Its Cursor meta only with libpipewire 1.4.8 (0.3.65 and 1.4.2 here: left out, with a line).
emulate_bg niri-window
node=$(sed -n 's/.*node \([0-9]*\) ready.*/\1/p' "$T/emu-niri-window.out")
run_pwzc negotiate --node "$node" --offer dmabuf-linear --timeout 3
if [ "$(pw_generation)" = 1.6 ]; then
    ! grep -q "no Cursor meta" "$T/emu-niri-window.err" || fail "niri-window left its cursor out on 1.6"
else
    grep -q "no Cursor meta: the profile has it from libpipewire 1.4.8" "$T/emu-niri-window.err" ||
        fail "niri-window kept its Cursor meta before 1.4.8: $(cat "$T/emu-niri-window.err")"
fi
stop_emulator
run_pwzc capture --emulate niri --frames 5 --timeout 2 -o "$T/niri.mkv"
[ "$RC" -ne 0 ] || fail "capture of DMA-BUF-only niri on the CPU path succeeded"
[ "$(wc -l <"$T/err")" = 1 ] && grep -q "no frame within" "$T/err" || fail "capture niri: $(cat "$T/err")"
[ ! -e "$T/niri.mkv" ] || fail "a failed capture left $T/niri.mkv"

# cosmic
run_pwzc negotiate --emulate cosmic --format BGRx --modifier none --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = "$NO_FORMAT_VERDICT" ] ||
    fail "cosmic took a BGRx-only consumer: $(json "$T/out" "d['result']['reason']")"
run_pwzc negotiate --emulate cosmic --offer shm --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = works ] || fail "cosmic shm: $(json "$T/out" "d['result']['reason']")"
[ "$(json "$T/out" "d['result']['format']['format']")" = BGRA ] || fail "cosmic did not stream BGRA"
[ "$(json "$T/out" "d['producer']['enum_formats'][0]['summary']['framerate']")" = 60/1 ] &&
    [ "$(json "$T/out" "d['producer']['enum_formats'][0]['summary']['max_framerate']")" = None ] ||
    fail "cosmic's framerate is not a fixed 60/1 without maxFramerate"
fates_all_frames cosmic "d['result']['fates']" "$T/out"
emulate_bg cosmic
[ "$(node_prop cosmic-screenshot node.driver)" != True ] || fail "cosmic's node is a driver"
stop_emulator

# xdpw-0.8
run_pwzc negotiate --emulate xdpw-0.8 --offer shm --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = works ] || fail "xdpw-0.8 shm: $(json "$T/out" "d['result']['reason']")"
# Its Buffers param says Range(2, 2..32), the offer's 8 in 2..16: 0.3 and 1.4 settle on the
# producer's 2, 1.6 on the consumer's 8 (both in range), as real xdpw 0.8 then gets.
want=$(by_generation 2 2 8)
[ "$(json "$T/out" "d['result']['buffers']")" = "$want" ] ||
    fail "xdpw-0.8 got $(json "$T/out" "d['result']['buffers']") buffers, not $want"
fates_all_frames xdpw-0.8 "d['result']['fates']" "$T/out"
emulate_bg xdpw-0.8
[ "$(node_prop xdpw-stream-pwzc00 node.driver)" != True ] || fail "xdpw-0.8's node is a driver"
stop_emulator

# gamescope
run_pwzc negotiate --emulate gamescope --format NV12 --modifier none --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = works ] && [ "$(json "$T/out" "d['result']['format']['format']")" = NV12 ] ||
    fail "gamescope NV12: $(json "$T/out" "d['result']['reason']")"
fates_all_frames "gamescope NV12" "d['result']['fates']" "$T/out"
m=$(json "$T/out" "d['producer']['enum_formats'][2]['pod']['props']['colorMatrix']")
r=$(json "$T/out" "d['producer']['enum_formats'][2]['pod']['props']['colorRange']")
is "$m" "{'choice': 'Enum', 'default': 4, 'values': [4, 3]}" \
    "{'choice': 'Enum', 'default': 'bt601', 'values': ['bt601', 'bt709']}" &&
    is "$r" "{'choice': 'Enum', 'default': 2, 'values': [2, 1]}" \
        "{'choice': 'Enum', 'default': '16-235', 'values': ['16-235', '0-255']}" ||
    fail "gamescope's NV12 has no BT.601/BT.709 matrix and 16-235/0-255 range choice: $m $r"
[ "$(pod 0 key-458752)" != None ] && [ "$(pod 0 key-458753)" != None ] ||
    fail "gamescope's own keys (requested_size, focus_appid) are missing"
emulate_bg gamescope
[ "$(node_prop gamescope node.driver)" = True ] || fail "gamescope's node is no driver"
stop_emulator

# mutter-50-hdr
run_pwzc negotiate --emulate mutter-50-hdr --format RGBA_F16 --modifier none --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = "$NO_FORMAT_VERDICT" ] ||
    fail "RGBA_F16 without BT.2020/PQ was agreed: $(json "$T/out" "d['result']['reason']")"
for k in colorPrimaries:7:bt2020 transferFunction:14:smpte2084; do
    IFS=: read -r key num name <<<"$k"
    is "$(pod 4 $key)" "{'choice': 'None', 'default': $num, 'values': [], 'flags': ['mandatory']}" \
        "{'choice': 'None', 'default': '$name', 'values': [], 'flags': ['mandatory']}" ||
        fail "mutter-50-hdr's RGBA_F16: $key is not a MANDATORY $name: $(pod 4 $key)"
done
is "$(pod 0 colorPrimaries)" 1 bt709 && is "$(pod 0 transferFunction)" 4 gamma22 ||
    fail "mutter-50-hdr's BGRx is not BT.709 / gamma 2.2 without flags: $(pod 0 colorPrimaries) $(pod 0 transferFunction)"
run_pwzc negotiate --emulate mutter-50-hdr --offer shm --timeout 3 --json
[ "$(json "$T/out" "d['result']['verdict']")" = works ] || fail "mutter-50-hdr shm: $(json "$T/out" "d['result']['reason']")"

# mutter-51
emulate_bg mutter-51
[ "$(node_prop mutter node.supports-request)" = 2 ] || fail "mutter-51: node.supports-request is $(node_prop mutter node.supports-request)"
if [ "$(pw_generation)" = 1.6 ]; then
    ! grep -q "Capability" "$T/emu-mutter-51.err" || fail "mutter-51 on 1.6: $(cat "$T/emu-mutter-51.err")"
    # Like Tag, the param sits on the node's output port.
    node=$(sed -n 's/.*node \([0-9]*\) ready.*/\1/p' "$T/emu-mutter-51.out")
    port=$(pw-dump 2>/dev/null | /usr/bin/python3 -c "
import json,sys
for o in json.load(sys.stdin):
    if o.get('type','').endswith(':Port') and (o.get('info') or {}).get('props',{}).get('node.id')==$node: print(o['id'])")
    pw-cli enum-params "$port" Capability >"$T/cap"
    grep -q '"pipewire.device-id-negotiation"' "$T/cap" && grep -q '"available-devices:"' "$T/cap" ||
        fail "mutter-51 on 1.6 has no Capability param on port $port: $(cat "$T/cap")"
else
    grep -q "a Capability param needs PipeWire 1.5.84.*left out" "$T/emu-mutter-51.err" ||
        fail "mutter-51 before 1.6 does not say the Capability is left out: $(cat "$T/emu-mutter-51.err")"
fi
stop_emulator

# capture and bench: every buffer a frame; gamescope's pts -1 and COSMIC's missing Header
# leave frames timed by arrival.
for p in cosmic xdpw-0.8 gamescope mutter-50-hdr mutter-51; do
    run_pwzc capture --emulate "$p" --frames 8 -o "$T/$p.mkv"
    expect_rc 0 "capture $p"
    case $p in
    cosmic | gamescope) grep -q "timestamps from frame arrival (no producer stamps)" "$T/out" ||
        fail "capture $p: $(grep timestamps "$T/out")" ;;
    *) grep -q "timestamps from the producer's Header meta" "$T/out" || fail "capture $p: $(grep timestamps "$T/out")" ;;
    esac
    run_pwzc bench --emulate "$p" --duration 1 --warmup 0 --encoder none --json
    expect_rc 0 "bench $p"
    validate pwzc-bench.schema.json "$T/out"
    fates_all_frames "bench $p" "d['frames']['fates']" "$T/out"
done
