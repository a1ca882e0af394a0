#!/bin/sh
# $PWZC for `make check-valgrind`: runs the real pwzc ($PWZC_REAL) under valgrind's memcheck, one
# log per process in $PWZC_VALGRIND_LOGS. Leaks that count: definite and indirect (the others
# are PipeWire's and GLib's own one-time allocations, held until exit on purpose).
exec valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --trace-children=no --num-callers=30 \
    --log-file="$PWZC_VALGRIND_LOGS/pwzc.%p.log" "$PWZC_REAL" "$@"
