#!/usr/bin/env bash
# README command 2: set up, build and run the whole test suite, then the
# same suite under AddressSanitizer + UBSan except the tests labelled
# "heavy" (skip with XPUSIM_NO_SANITIZE=1),
# then a short libFuzzer pass over every loader and the CLI parser
# (XPUSIM_FUZZ_SECONDS per target, default 15; skip with XPUSIM_NO_FUZZ=1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build
ctest --test-dir build --output-on-failure -j "$(nproc)"
if [[ "${XPUSIM_NO_SANITIZE:-0}" != 1 ]]; then
  echo "== sanitizer build (ASan + UBSan)"
  scripts/build.sh build-asan -DXPUSIM_SANITIZE=ON -DXPUSIM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -LE heavy  # heavy: searches too slow under ASan (run above)
fi
if [[ "${XPUSIM_NO_FUZZ:-0}" != 1 ]]; then
  echo "== short fuzz pass (${XPUSIM_FUZZ_SECONDS:-15} s per target)"
  scripts/fuzz.sh "${XPUSIM_FUZZ_SECONDS:-15}" build-fuzz
fi
