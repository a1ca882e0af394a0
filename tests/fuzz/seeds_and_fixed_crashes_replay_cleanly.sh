#!/bin/sh
# Proves: every fuzz seed (real pods, buffers and profiles) and every input a fuzzer once crashed
# on (tests/fuzz/corpus/*/regress-*) runs through its target without a crash, a hang or, in a
# --enable-sanitizers build, any ASan/UBSan/LSan finding. No libFuzzer needed: tests/fuzz/replay.c.
set -eu
: "${TESTS_SRCDIR:?run through make check}" "${TESTS_BUILDDIR:?run through make check}"
for target in pod frame ini; do
    timeout 300 "$TESTS_BUILDDIR/fuzz/replay-$target" "$TESTS_SRCDIR/fuzz/corpus/$target" ||
        { echo "FAIL: replay-$target"; exit 1; }
done
