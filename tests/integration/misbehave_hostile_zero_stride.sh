#!/bin/bash
# Proves: against hostile-zero-stride (on every other frame the chunk stride is 0), probe, negotiate, capture and
# bench each drop exactly the broken frames as 'bad-stride' without reading them and go on with
# the good ones (exit 0); capture's file reads back with every frame it took.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/misbehave-lib.sh"
set -e
check_hostile zero-stride bad-stride
