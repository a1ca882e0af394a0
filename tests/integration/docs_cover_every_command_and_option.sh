#!/bin/bash
# Proves: the documentation cannot drift from the binary: every command in `pwzc --help` has a
# man page that renders without warnings, `pwzc CMD --help` and `pwzc help CMD` work, and every
# long option a command's --help lists is described in its man page (or pwzc(1) for the
# global ones).
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
