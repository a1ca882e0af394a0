#!/bin/bash
# root.sh [--rebuild]: builds (or reuses) the Debian 13 root and prints its path; see
# tests/roots/root.sh and tests/roots/debian13.conf.
exec "$(dirname "${BASH_SOURCE[0]}")/../roots/root.sh" debian13 "$@"
