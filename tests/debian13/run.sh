#!/bin/bash
# run.sh [make check args]: the test suite on Debian 13 (PipeWire 1.4, WirePlumber 0.5, Mutter 48,
# sway 1.10, xdg-desktop-portal 1.20 + -wlr 0.7.1), in its cached root; also
# `make check-debian13`. Ends with "debian13: N passed, N failed, N skipped". Kept for its callers
# (.ci/run): the machinery is tests/roots/run.sh, shared by every suite (tests/roots/*.conf).
exec "$(dirname "${BASH_SOURCE[0]}")/../roots/run.sh" debian13 "$@"
