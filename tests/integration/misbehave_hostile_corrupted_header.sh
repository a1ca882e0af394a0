#!/bin/bash
# Proves: against hostile-corrupted-header (on every other frame the Header meta is flagged corrupted), probe, negotiate, capture and
# bench each drop exactly the broken frames as 'corrupted' without reading them and go on with
# the good ones (exit 0); capture's file reads back with every frame it took.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
check_hostile corrupted-header corrupted
