#!/bin/bash
# Proves: a producer whose buffers are MemPtr streams to offers that accept MemPtr (shm, memptr)
# and fails to allocate for a MemFd-only offer: the link's 'error alloc buffers' is reported as a
# buffer data type mismatch, not as a format problem.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
run_pwzc probe --emulate memptr-only --offers shm,memptr,memfd --timeout 1.5 --json
expect_rc 0 "shm works"
expect_offer verdict shm works
expect_offer data_type shm MemPtr
expect_offer verdict memptr works
expect_offer verdict memfd "$ALLOC_VERDICT"
offer reason memfd | grep -q "buffer data type" || fail "memfd: cause not named"
