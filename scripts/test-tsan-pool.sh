#!/usr/bin/env bash
# Builds test/native/cc/thread_pool_stress.cc with native/thread_pool.cc under
# ThreadSanitizer and runs it: 20,000 jobs (every part count, helpers spinning
# and sleeping, thread-count changes) plus ParallelRanges with plain writes.
# Any data race TSan sees fails the run (halt_on_error). ≈ 6 s.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"${CXX:-g++}" -std=c++17 -O1 -g -fsanitize=thread -pthread \
  test/native/cc/thread_pool_stress.cc native/thread_pool.cc -o "$out/thread_pool_stress"
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" "$out/thread_pool_stress"
