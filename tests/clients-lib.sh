# Sourced by the client-profile tests: the verdict matrix of emulated producers x clients.

# client_rows FILE PRODUCER: one line per client of a `probe --clients --json` report:
# "PRODUCER CLIENT VERDICT step N BUFFERS", the parts that must not change between runs.
client_rows() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d['clients']:
    print(sys.argv[2], c['name'], c['verdict'], 'step', c['step'], c['data_type'] or '-')
PY
}

# client_matrix PRODUCER...: probes every client against a fresh emulated producer of each
# profile and compares the rows with this generation's tests/expected/clients/emulated
# (lib.sh expected_file: emulated.pw1 on PipeWire 1.x, where a link that finds no common format
# or data type reaches the client as a stream error; emulated.pw16 on 1.6, whose format filter
# rejects an empty range). `make bless` rewrites those rows instead. The expected verdicts hold
# for a machine with no GPU: clients then offer the stand-in modifiers, and imports are tried in
# Mesa's software EGL where it imports (the Debian 13 and forky roots' Mesa: a LINEAR DMA-BUF
# imports), else are "unavailable here" (Debian 12's Mesa 22.3).
client_matrix() {
    local expected p
    expected=$(expected_file clients/emulated)
    : >"$T/rows"
    # The machine decides, not pwzc: the recorded matrix is for one with no DRM render node, where
    # no GPU can import a DMA-BUF, and pwzc must say so.
    if ls /dev/dri/renderD* >/dev/null 2>&1; then
        echo "this machine has a DRM render node: the recorded matrix is for one without"; exit 77
    fi
    for p in "$@"; do
        run_pwzc probe --emulate "$p" --clients --json
        [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "probe --emulate $p --clients: exit $RC"; }
        validate pwzc-probe.schema.json "$T/out"
        [ "$(json "$T/out" "d['gpu']['available']")" = False ] ||
            fail "no DRM render node here, yet pwzc reports a GPU that imports DMA-BUFs"
        cp "$T/out" "$T/$p.json"
        client_rows "$T/out" "$p" >>"$T/rows"
    done
    if [ "${PWZC_BLESS:-}" = 1 ]; then
        { grep -v -E "^($(IFS='|'; echo "$*")) " "$expected" 2>/dev/null || true; cat "$T/rows"; } |
            sort >"$T/blessed"
        bless_file "$T/blessed" clients/emulated
        return 0
    fi
    grep -E "^($(IFS='|'; echo "$*")) " "$expected" | sort >"$T/want"
    sort "$T/rows" >"$T/got"
    diff -u "$T/want" "$T/got" || fail "client verdicts differ from $expected"
}

# client_field PRODUCER CLIENT [FIELD]: a field (default verdict) of one client in that run.
client_field() {
    json "$T/$1.json" "next(c for c in d['clients'] if c['name'] == '$2')['${3:-verdict}']"
}

# mask_clients < report: the human client table with what changes between runs masked: ids,
# versions, times, frame counts (0 stays 0), this machine's GPU line.
mask_clients() {
    mask_report \
        's/though [1-9][0-9]* more/though F more/' \
        's/\b[1-9][0-9]* Format events/N Format events/g' \
        's/changed [0-9]+ times/changed N times/g' \
        's/^([a-z0-9.-]+ +[a-z-]+ +[0-9]+ +[A-Za-z0-9_-]+ +[A-Za-z-]+ +[^ ]+ +)[1-9][0-9]* +([0-9.]+ ms|-)$/\1F \2/' \
        's/ \((only a software EGL device|no EGL)[^)]*\)\)/ (this machine))/g'
}

# client_golden NAME: the masked report in $T/out against tests/expected/clients/NAME (golden).
client_golden() {
    mask_clients <"$T/out" >"$T/masked"
    golden "$T/masked" "clients/$1"
}
