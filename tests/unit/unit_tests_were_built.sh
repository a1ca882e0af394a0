#!/bin/sh
# Proves nothing but its own absence: configure found no cmocka, so the unit tests were not built,
# and a suite that silently ran without them would count as green. This stands in their place
# and fails. Install libcmocka-dev (./bootstrap --tests does) and run configure again.
echo "FAIL: cmocka was not found by configure (libcmocka-dev): the unit tests were not built" >&2
exit 1
