#!/bin/bash
# Proves: against hostile-size-past-end (on every other frame the chunk size is larger than the buffer), probe, negotiate, capture and
# bench each drop exactly the broken frames as 'out-of-bounds' without reading them and go on with
# the good ones (exit 0); capture's file reads back with every frame it took.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
check_hostile size-past-end out-of-bounds
