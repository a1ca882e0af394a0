# Sourced by the emulator-agreement tests (tests/integration/emulator_agrees_with_real_*.sh),
# after tests/lib.sh, clients-lib.sh and a peer: does an emulator profile stand for the real
# compositor it models? Both are probed the same way on the same PipeWire daemon (every
# built-in offer, then every client profile) and their verdicts must agree offer by offer and
# client by client. A profile that drifts from the compositor it names fails here, on the
# generation where it drifted.
#
#   agree_run real probe --mutter            # "real": the rows of the real compositor
#   agree_run model probe --emulate gnome-headless-50
#   agree_compare real model                 # fails naming each offer or client that disagrees
#
# What a row holds: an offer's name, verdict and the buffer data type it got; a client's name,
# verdict, the step of its fallback ladder that streamed and its data type (clients-lib.sh
# client_rows). Frame counts, times and reasons are not compared: the emulator paces its own
# frames, and a reason names the producer.

# agree_offer_rows FILE: "OFFER VERDICT DATA_TYPE" per offer of a probe report, sorted by name
# (a portal probe runs the offers the producer would refuse last).
agree_offer_rows() {
    /usr/bin/python3 - "$1" <<'PY' | sort
import json, sys
d = json.load(open(sys.argv[1]))
for o in d['offers']:
    print(o['name'], o['verdict'], o.get('data_type') or '-')
PY
}

# agree_run LABEL PWZC-ARGS...: runs `pwzc PWZC-ARGS --json` (every built-in offer), then the
# same with --clients, and keeps their rows in $T/agree/LABEL.offers and .clients. A probe may
# exit 0 (some offer works) or 1 (not every client works); anything else (a session that did
# not open, a backend that died for good) is a failure of the test, not a disagreement.
agree_run() {
    local label=$1
    shift
    mkdir -p "$T/agree"
    printf '%q ' "$@" >"$T/agree/$label.args"
    agree_probe "$label" offers "$label.offers" "$@"
    agree_probe "$label" clients "$label.clients" "$@" --clients
}

# agree_probe LABEL offers|clients NAME PWZC-ARGS...: one probe, its rows in $T/agree/NAME and
# its report in NAME.json.
agree_probe() {
    local label=$1 kind=$2 name=$3
    shift 3
    run_pwzc "$@" --json
    [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$label: pwzc $* exited $RC"; }
    validate pwzc-probe.schema.json "$T/out"
    cp "$T/out" "$T/agree/$name.json"
    if [ "$kind" = offers ]; then
        agree_offer_rows "$T/out" >"$T/agree/$name"
    else
        client_rows "$T/out" X | cut -d' ' -f2- | sort >"$T/agree/$name"
        agree_vanished "$label" "$name"
    fi
}

# agree_vanished LABEL NAME: the clients that pause their stream as it starts (on-start =
# pause-resume: pipewiresrc 1.4 on) and during which the producer went away are probed again, up
# to twice, and their new rows replace the old. xdg-desktop-portal-wlr 0.8.4 on sway 1.12 dies
# of that pause whenever a capture was out when it came ("session already has a frame object"):
# now and then for pipewiresrc 1.6's two buffers, nearly always for 1.4's eight or more. That is
# xdpw's bug, which the report names, and the emulator models the offer, not the bug: a client
# still losing its producer so after the retries is kept out of the comparison, in
# $T/agree/LABEL.raced, and said. (A producer that dies of a client's refused link, as xdpw does
# on 1.x, dies every time: that row stands and is compared.)
agree_vanished() {
    local label=$1 name=$2 try names rows=$T/agree/$2
    local raced="[c for c in d['clients'] if c.get('producer_vanished')
        and c['stream']['on_start'] == 'pause-resume']"
    for try in 1 2 3; do
        names=$(json "$T/out" "','.join(c['name'] for c in $raced)")
        [ -n "$names" ] || return 0
        note "$label: the producer went away during $names ($(json "$T/out" "'; '.join(
            c.get('note', c['why']) for c in $raced)"))"
        if [ "$try" = 3 ]; then
            tr ',' '\n' <<<"$names" >>"$T/agree/$label.raced"
            note "$label: not compared, the producer died of their start pause 3 times: $names"
            return 0
        fi
        eval "set -- $(cat "$T/agree/$label.args")"
        run_pwzc "$@" "--clients=$names" --json
        [ "$RC" -le 1 ] || { cat "$T/err" >&2; fail "$label: pwzc $* exited $RC"; }
        { grep -v -E "^($(sed 's/[+]/[+]/g; s/,/|/g' <<<"$names")) " "$rows" || true
            client_rows "$T/out" X | cut -d' ' -f2-; } | sort >"$rows.new"
        mv "$rows.new" "$rows"
    done
}

# agree_unraced A B: the clients rows of A and B without those that raced (agree_vanished).
agree_unraced() {
    local label raced=$T/agree/raced
    cat "$T"/agree/*.raced 2>/dev/null | sort -u >"$raced"
    for label in "$@"; do
        [ -s "$raced" ] || continue
        awk 'NR == FNR { skip[$1] = 1; next } !($1 in skip)' "$raced" "$T/agree/$label.clients" \
            >"$T/agree/$label.clients.new"
        mv "$T/agree/$label.clients.new" "$T/agree/$label.clients"
    done
}

# agree_again A B KIND: the offers or clients on which A and B disagree are probed once more on
# both sides, and their new rows replace the old. A real compositor's frames come from a damage
# source that a loaded machine may hold up for a moment ("no-frames" once in some hundred
# streams); a profile that does not model it disagrees again.
agree_again() {
    local a=$1 b=$2 kind=$3 names label rows
    names=$(diff "$T/agree/$a.$kind" "$T/agree/$b.$kind" | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' |
        sort -u | paste -sd,)
    note "$kind on which $a and $b disagree, probed again on both: $names"
    for label in "$a" "$b"; do
        rows=$T/agree/$label.$kind
        eval "set -- $(cat "$T/agree/$label.args")"
        if [ "$kind" = offers ]; then
            agree_probe "$label" offers "$label.again" "$@" --offers "$names"
        else
            agree_probe "$label" clients "$label.again" "$@" "--clients=$names"
        fi
        { grep -v -E "^($(sed 's/[+]/[+]/g; s/,/|/g' <<<"$names")) " "$rows" || true
            cat "$T/agree/$label.again"; } |
            sort >"$rows.new"
        mv "$rows.new" "$rows"
    done
}

# agree_compare A B: every offer and every client of A has the same row in B, and neither has
# one the other lacks (a difference is probed once more first: agree_again). Prints "N of N
# offers, N of N clients agree" as a note.
agree_compare() {
    local a=$1 b=$2 kind n bad=0
    agree_unraced "$a" "$b"
    for kind in offers clients; do
        n=$(wc -l <"$T/agree/$a.$kind")
        [ "$n" -gt 0 ] || fail "$a: no $kind in the report"
        cmp -s "$T/agree/$a.$kind" "$T/agree/$b.$kind" || agree_again "$a" "$b" "$kind"
        [ "$kind" = offers ] || agree_unraced "$a" "$b"
        if ! diff -u "$T/agree/$a.$kind" "$T/agree/$b.$kind" >"$T/agree/$kind.diff"; then
            echo "$kind: $a (-) and $b (+) disagree:" >&2
            cat "$T/agree/$kind.diff" >&2
            bad=1
        fi
    done
    [ "$bad" = 0 ] || fail "the $b emulator does not agree with $a (see above)"
    note "$a and $b agree: $(wc -l <"$T/agree/$a.offers") of $(wc -l <"$T/agree/$a.offers") offers," \
        "$(wc -l <"$T/agree/$a.clients") of $(wc -l <"$T/agree/$a.clients") clients"
}
