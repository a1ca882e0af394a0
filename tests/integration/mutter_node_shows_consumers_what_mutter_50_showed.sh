#!/bin/bash
# Proves: what real GNOME Mutter headless (no GPU) shows a consumer on its screencast node, read
# with pw-dump while a stream is linked, is recorded per PipeWire generation in
# tests/expected/mutter/node (masked ids): the node's param ids and its node.* / stream.* props,
# and its output port's EnumFormats, Buffers and Meta. On 1.6 one record holds for Mutter 50.5
# (forky) and Mutter 51.0 (sid) alike: Mutter 51 does not announce the device-ID negotiation
# PipeWire 1.6 has (no SPA_PARAM_Capability, node.supports-request 0) and offers the same SHM
# formats, so no sid golden of its own is needed, and probe's answers against it are the 50's
# (emulator_agrees_with_real_mutter.sh). Only media.name, a label, changed in 51
# (meta-screen-cast-src became meta-stream-source-source): it is noted, not compared.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/peers/mutter.sh"
set -e
have_mutter || { echo "mutter or foot not installed (tests/peers/deps.sh)"; exit 77; }
start_stack
start_mutter
note "$(mutter --version | head -n 1), PipeWire generation $(pw_generation)"
# a consumer linked for as long as the dump takes: negotiate holds its session that long
"$PWZC" negotiate --mutter --offer shm --timeout 4 >"$T/negotiate.out" 2>&1 &
consumer=$!
PIDS+=("$consumer")
# linked = the node's output port has a Format
node_linked() {
    pw-dump >"$T/dump.json" 2>/dev/null &&
        /usr/bin/python3 - "$T/dump.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
nodes = [o['id'] for o in d if o['type'] == 'PipeWire:Interface:Node'
         and o['info']['props'].get('node.name') == 'mutter']
ports = [o for o in d if o['type'] == 'PipeWire:Interface:Port'
         and o['info']['props'].get('node.id') in nodes
         and o['info']['direction'] == 'output']
sys.exit(0 if ports and ports[0]['info']['params'].get('Format') else 1)
PY
}
peer_wait "$consumer" 100 node_linked
/usr/bin/python3 - "$T/dump.json" >"$T/node" 2>"$T/label" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
node = next(o for o in d if o['type'] == 'PipeWire:Interface:Node'
            and o['info']['props'].get('node.name') == 'mutter')
port = next(o for o in d if o['type'] == 'PipeWire:Interface:Port'
            and o['info']['props'].get('node.id') == node['id']
            and o['info']['direction'] == 'output')
props = node['info']['props']
print('node params:', ' '.join(sorted(node['info']['params'])))
for k in sorted(props):
    if k.startswith(('node.', 'stream.')) and k not in ('node.driver-id',):
        print('node prop %s = %s' % (k, json.dumps(props[k])))
print('media.class =', props.get('media.class'))
for k in ('EnumFormat', 'Buffers', 'Meta'):
    for v in port['info']['params'].get(k, []):
        print('port %s: %s' % (k, json.dumps(v, sort_keys=True)))
print('media.name =', props.get('media.name'), file=sys.stderr)
PY
note "not compared: $(cat "$T/label")"
grep -q '^node params:' "$T/node" || fail "no node read"
grep -q 'Capability' "$T/node" && note "this Mutter announces a Capability param"
golden "$T/node" mutter/node
