#!/bin/bash
# Proves: the documentation cannot drift from the binary: every command in `pwzc --help` has a
# man page that renders without warnings, `pwzc CMD --help` and `pwzc help CMD` work, and every
# long option a command's --help lists is described in its man page (or pwzc(1) for the
# global ones); pwzc(1)'s SESSION OPTIONS names every command whose --help lists session options
# and describes each of those options; and pwzc(1) names every JSON schema in data/.
. "$TESTS_SRCDIR/lib.sh"
set -e
MANDIR=$TESTS_SRCDIR/../man
commands=$("$PWZC" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p' | grep -v '^help$')
[ -n "$commands" ] || fail "no commands in --help"
for cmd in $commands; do
    page=$MANDIR/pwzc-$cmd.1
    [ -f "$page" ] || fail "no man page for $cmd"
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l -Tutf8 "$page" 2>&1 >/dev/null || true)
    [ -z "$warnings" ] || fail "$page: $warnings"
    run_pwzc "$cmd" --help
    expect_rc 0 "$cmd --help"
    cp "$T/out" "$T/help"
    run_pwzc help "$cmd"
    cmp -s "$T/out" "$T/help" || fail "help $cmd differs from $cmd --help"
    for opt in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
        grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$page" "$MANDIR/pwzc.1" ||
            fail "$cmd: $opt is not in $page"
    done
done

# The session options are described once, in pwzc(1): it must name every command that takes them
# (its section's first paragraph) and every option they are.
session=$(sed -n '/^\.SH SESSION OPTIONS$/,/^\.SH /p' "$MANDIR/pwzc.1")
intro=$(echo "$session" | sed -n '2,/^\.TP/p')
: >"$T/session-options"
for cmd in $commands; do
    "$PWZC" "$cmd" --help >"$T/help"
    grep -q '^session options' "$T/help" || continue
    echo "$intro" | grep -qw -- "$cmd" || fail "pwzc(1) SESSION OPTIONS does not name $cmd: $intro"
    sed -n '/^session options/,/^$/p' "$T/help" | grep -o -- '--[a-z][a-z-]*' >>"$T/session-options"
done
[ -s "$T/session-options" ] || fail "no command's --help lists session options"
for opt in $(sort -u "$T/session-options"); do
    echo "$session" | grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" ||
        fail "pwzc(1) SESSION OPTIONS does not describe $opt"
done
for schema in "$PWZC_DATADIR"/*.schema.json; do
    grep -qF "$(basename "$schema")" "$MANDIR/pwzc.1" || fail "pwzc(1) does not name $(basename "$schema")"
done
