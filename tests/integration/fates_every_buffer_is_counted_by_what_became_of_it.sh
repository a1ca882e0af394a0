#!/bin/bash
# Proves: every buffer that arrives is counted by its fate (frame, empty, cursor-only,
# corrupted, ...) in JSON, in the text and in bench, and a reason never contradicts the counts.
# A producer whose every chunk is empty (empty-chunks) and one that only moves the cursor
# (cursor-only) give no-frames with every buffer counted as such, and a reason that says buffers
# came, what they were and what real clients do with them, never that none came; a producer that
# breaks every other frame (hostile-corrupted-header) works, and its reason says how many of the
# buffers were not frames and why.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack

fate() { json "$T/out" "d['result']['fates']['$1']"; }

for case in "empty-chunks empty" "cursor-only cursor-only"; do
    set -- $case
    run_pwzc negotiate --emulate "$1" --offer shm --timeout 3 --json
    validate pwzc-negotiate.schema.json "$T/out"
    verdict=$(json "$T/out" "d['result']['verdict']")
    reason=$(json "$T/out" "d['result']['reason']")
    [ "$verdict" = no-frames ] || fail "$1: verdict $verdict ($reason)"
    [ "$(fate arrived)" -gt 0 ] || fail "$1: no buffer counted as arrived"
    [ "$(fate "$2")" = "$(fate arrived)" ] || fail "$1: $(fate "$2") $2 of $(fate arrived) arrived"
    [ "$(fate frame)" = 0 ] || fail "$1: $(fate frame) frames counted"
    [[ $reason == *"$(fate arrived) buffers came, none a frame ($(fate arrived) $2)"* ]] ||
        fail "$1: the reason does not say what came: $reason"
    [[ $reason != *"no buffer came"* && $reason != *"no frame came"* ]] ||
        fail "$1: the reason says nothing came: $reason"
    [[ $reason == *"keep their last"* ]] || fail "$1: the reason says not what clients do: $reason"
    run_pwzc negotiate --emulate "$1" --offer shm --timeout 3
    grep -q "^buffers: [1-9][0-9]* arrived: [1-9][0-9]* $2$" "$T/out" ||
        fail "$1: the text has no buffers line: $(tail -n 2 "$T/out")"
done

run_pwzc probe --emulate hostile-corrupted-header --offers shm --timeout 3 --json
validate pwzc-probe.schema.json "$T/out"
f() { offer fates shm | python3 -c "import ast,sys; print(ast.literal_eval(sys.stdin.read())['$1'])"; }
expect_offer verdict shm works
[ "$(f corrupted)" -gt 0 ] || fail "no corrupted buffer counted"
[ $(($(f frame) + $(f corrupted))) = "$(f arrived)" ] ||
    fail "frames $(f frame) + corrupted $(f corrupted) != arrived $(f arrived)"
[ "$(f frame)" = "$(offer frames shm)" ] || fail "fates say $(f frame) frames, the offer $(offer frames shm)"
offer reason shm | grep -q "$(f corrupted) of $(f arrived) buffers were not frames ($(f corrupted) corrupted)" ||
    fail "the reason hides the corrupted buffers: $(offer reason shm)"

run_pwzc bench --emulate hostile-corrupted-header --duration 2 --warmup 0 --timeout 3 --encoder none --json
expect_rc 0 "bench of a half-broken producer"
validate pwzc-bench.schema.json "$T/out"
b() { json "$T/out" "d['frames']['fates']['$1']"; }
[ "$(b corrupted)" -gt 0 ] && [ $(($(b frame) + $(b corrupted))) = "$(b arrived)" ] ||
    fail "bench fates: $(json "$T/out" "d['frames']['fates']")"
