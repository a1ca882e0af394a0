#!/bin/bash
# Proves: `pwzc list` names every screencast node of the daemon with what it offers, decided
# from the node's EnumFormats: a gnome-headless producer (Stream/Output/Video, no modifier) is
# "SHM only", a dmabuf-only one (Video/Source, modifiers) is "DMA-BUF"; --json matches
# pwzc-list.schema.json and the human output has one line per node (no header when piped). The
# three --list-* options print one item a line, its name first, the names the data directory
# and `probe --offers` know, and valid JSON with --json.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack

start_emulator() {
    "$PWZC" emulate --profile "$1" --json >"$T/ready-$1" 2>"$T/logs/emulate-$1.log" &
    PIDS+=($!)
    wait_for 200 test -s "$T/ready-$1"
    json "$T/ready-$1" "d['node_id']"
}
shm_node=$(start_emulator gnome-headless)
dmabuf_node=$(start_emulator dmabuf-only)

run_pwzc list --json
expect_rc 0 "list --json"
validate pwzc-list.schema.json "$T/out"
node() { json "$T/out" "next((n['$2'] for n in d['nodes'] if n['id'] == $1), 'MISSING')"; }
[ "$(node "$shm_node" buffers)" = "SHM only" ] ||
    fail "gnome-headless node $shm_node: '$(node "$shm_node" buffers)', expected SHM only"
[ "$(node "$dmabuf_node" buffers)" = "DMA-BUF" ] ||
    fail "dmabuf-only node $dmabuf_node: '$(node "$dmabuf_node" buffers)', expected DMA-BUF"
[ "$(node "$shm_node" media_class)" = Stream/Output/Video ] || fail "gnome-headless media class"
[ "$(node "$dmabuf_node" media_class)" = Video/Source ] || fail "dmabuf-only media class"
[ "$(node "$shm_node" modifier)" = False ] && [ "$(node "$dmabuf_node" modifier)" = True ] ||
    fail "modifier flags: $(node "$shm_node" modifier), $(node "$dmabuf_node" modifier)"
[ "$(node "$shm_node" formats)" = "['BGRx']" ] || fail "formats: $(node "$shm_node" formats)"
[ "$(node "$dmabuf_node" size)" = 1280x720 ] || fail "size: $(node "$dmabuf_node" size)"
[ "$(json "$T/out" "d['session']")" = None ] || fail "a session without session options"
[ "$(node "$shm_node" serial)" -gt 0 ] || fail "no serial"
n_nodes=$(json "$T/out" "len(d['nodes'])")

run_pwzc list
expect_rc 0 "list"
[ "$(wc -l <"$T/out")" -eq "$n_nodes" ] || fail "$n_nodes nodes, $(wc -l <"$T/out") lines: $(cat "$T/out")"
grep -Eq "^$shm_node +[0-9]+ .*Stream/Output/Video +BGRx +1280x720 +SHM only" "$T/out" ||
    fail "no SHM only line for $shm_node: $(cat "$T/out")"
grep -Eq "^$dmabuf_node +[0-9]+ .*Video/Source +BGRx,BGRA +1280x720 +DMA-BUF" "$T/out" ||
    fail "no DMA-BUF line for $dmabuf_node: $(cat "$T/out")"

# list_of KIND EXPECTED-NAMES ARGS...: one line per name, the name first; the JSON has them too.
list_of() {
    local kind=$1 expected=$2; shift 2
    run_pwzc "$@"
    expect_rc 0 "$*"
    [ "$(awk '{print $1}' "$T/out")" = "$expected" ] ||
        fail "$*: names are $(awk '{print $1}' "$T/out" | tr '\n' ' '), expected $(echo $expected)"
    awk 'NF < 2 { exit 1 }' "$T/out" || fail "$*: a line without its description"
    run_pwzc "$@" --json
    expect_rc 0 "$* --json"
    validate pwzc-catalog.schema.json "$T/out"
    [ "$(json "$T/out" "d['list']")" = "$kind" ] || fail "$* --json: list is not $kind"
    [ "$(json "$T/out" "'\n'.join(i['name'] for i in d['items'])")" = "$expected" ] ||
        fail "$* --json: other names"
}
# In file name order, as everything that reads the data directory takes them.
names_in() { LC_ALL=C ls "$PWZC_DATADIR/$1" | sed -n "s/\.$2\$//p"; }
list_of profiles "$(names_in profiles profile)" emulate --list-profiles
list_of clients "$(names_in clients client)" probe --list-clients
# A broken file is listed with its own problem, not the one before it, and does not fail the list.
mkdir -p "$T/data"
cp -r "$PWZC_DATADIR/profiles" "$PWZC_DATADIR/clients" "$T/data/"
printf '[producer]\nsize = huge\n' >"$T/data/profiles/aa-bad-size.profile"
printf '[producer]\nfps = many\n' >"$T/data/profiles/ab-bad-fps.profile"
PWZC_DATADIR=$T/data run_pwzc emulate --list-profiles --json
expect_rc 0 "a list with broken profiles"
problem() { json "$T/out" "next(i['problem'] for i in d['items'] if i['name'] == '$1')"; }
problem aa-bad-size | grep -q "aa-bad-size.profile:2: size 'huge'" ||
    fail "aa-bad-size's problem: $(problem aa-bad-size)"
problem ab-bad-fps | grep -q "ab-bad-fps.profile:2: fps 'many'" ||
    fail "ab-bad-fps's problem: $(problem ab-bad-fps)"
[ "$(problem gnome-headless)" = None ] || fail "a good profile with a problem: $(problem gnome-headless)"
offers=$(awk '{print $1}' <("$PWZC" probe --list-offers))
[ "$(echo "$offers" | wc -l)" -ge 5 ] || fail "too few offers: $offers"
list_of offers "$offers" probe --list-offers
# Each listed offer is one that --offers takes (--timeout 0.1 so that a wrong name fails fast).
for o in $offers; do
    run_pwzc probe --node 999999 --offers "$o" --timeout 0.1
    grep -q "unknown offer" "$T/err" && fail "--list-offers names '$o', which --offers refuses"
done
exit 0
