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
# profile and compares the rows with tests/expected/clients/emulated, or emulated.pw1 on
# PipeWire 1.x, where a link that finds no common format or data type reaches the client as a
# stream error (PWZC_BLESS=1 rewrites those rows instead). The expected verdicts hold for a
# machine whose GPU imports no DMA-BUF: clients then offer the stand-in modifiers, and every
# import is "unavailable here".
client_matrix() {
    local expected=$TESTS_SRCDIR/expected/clients/emulated p
    [ "$(pw_generation)" = 0.3 ] || expected=$expected.pw1
    : >"$T/rows"
    for p in "$@"; do
        run_pwzc probe --emulate "$p" --clients --json
        [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "probe --emulate $p --clients: exit $RC"; }
        validate pwzc-probe.schema.json "$T/out"
        [ "$(json "$T/out" "d['gpu']['available']")" = False ] ||
            { echo "this GPU imports DMA-BUFs: the recorded matrix is for one that does not"; exit 77; }
        cp "$T/out" "$T/$p.json"
        client_rows "$T/out" "$p" >>"$T/rows"
    done
    if [ "${PWZC_BLESS:-}" = 1 ]; then
        { grep -v -E "^($(IFS='|'; echo "$*")) " "$expected" 2>/dev/null || true; cat "$T/rows"; } |
            sort >"$T/blessed"
        cp "$T/blessed" "$expected"
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
    sed -E -e 's/node [0-9]+/node ID/' \
        -e 's/daemon [0-9.]+, library [0-9.]+ \(compiled against [0-9.]+\)/daemon V, library V (compiled against V)/' \
        -e '/^  features  daemon /d' \
        -e 's/[0-9]+(\.[0-9]+)? ms/T ms/g' \
        -e 's/\([1-9][0-9]* frames/(F frames/g' \
        -e 's/took [0-9]+ frames, (.*) though [0-9]+ more/took F frames, \1 though F more/' \
        -e 's/[0-9]+ frames, [0-9]+ Format events/F frames, N Format events/g' \
        -e 's/changed [0-9]+ times/changed N times/g' \
        -e 's/^([a-z0-9.-]+ +[a-z-]+ +[0-9]+ +[A-Za-z0-9_-]+ +[A-Za-z-]+ +[^ ]+ +)[1-9][0-9]* +(T ms|-)$/\1F \2/' \
        -e 's/^GPU: .*/GPU: (this machine)/' \
        -e 's/ \((only a software EGL device|no EGL)[^)]*\)\)/ (this machine))/g' \
        -e 's/  +/ /g'
}

# client_golden NAME: the masked report in $T/out against tests/expected/clients/NAME (golden).
client_golden() {
    mask_clients <"$T/out" >"$T/masked"
    golden "$T/masked" "clients/$1"
}
