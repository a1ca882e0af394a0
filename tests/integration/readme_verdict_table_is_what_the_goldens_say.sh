#!/bin/bash
# Proves: the README's client x producer table says what the tests assert and nothing else: it
# is the table tests/tools/verdict-table makes from the goldens (tests/expected/clients/), so a
# golden that changes without `make verdict-table` fails here, as does a hand edit. And the
# generator reads the goldens: a verdict changed in a copy of them changes its table.
. "$TESTS_SRCDIR/lib.sh"
set -e
"$TESTS_SRCDIR/tools/verdict-table" --check "$TESTS_SRCDIR/../README" ||
    fail "README's verdict table differs from the goldens: run make verdict-table"
mkdir -p "$T/tree/tests/tools" "$T/tree/tests/expected" "$T/tree/data"
cp "$TESTS_SRCDIR/tools/verdict-table" "$T/tree/tests/tools/"
cp -r "$TESTS_SRCDIR/expected/clients" "$T/tree/tests/expected/"
cp -r "$TESTS_SRCDIR/../data/clients" "$T/tree/data/"
"$T/tree/tests/tools/verdict-table" >"$T/before"
grep -q "^  obs " "$T/before" || fail "no obs row: $(cat "$T/before")"
sed -i 's/^gnome-headless obs works /gnome-headless obs error /' "$T/tree/tests/expected/clients/emulated"
"$T/tree/tests/tools/verdict-table" >"$T/after"
! cmp -s "$T/before" "$T/after" || fail "changing a golden's verdict did not change the table"
echo "README's verdict table is the goldens'"
