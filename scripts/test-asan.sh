#!/usr/bin/env bash
# Runs the vitest suite against the AddressSanitizer + UBSan build of the addon
# (build-asan/Release/torchlet.node, made by `npm run build:asan`), with the
# sanitizer runtimes preloaded into node (node itself is not instrumented, so
# the runtime must come first in the process), and fails on any sanitizer
# report — even one from a child process whose failure a test tolerated.
#
#   scripts/test-asan.sh                   # whole suite
#   scripts/test-asan.sh test/native ...   # only these files/dirs (vitest filters)
#
# Env: TORCHLET_ASAN_BUILD=0 skips the (incremental) rebuild;
#      TORCHLET_ASAN_ADDON=/path/torchlet.node uses another sanitizer build.
# Exit status: vitest's, or 3 when a sanitizer reported anything.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$SECONDS

addon=${TORCHLET_ASAN_ADDON:-$root/build-asan/Release/torchlet.node}
if [ "${TORCHLET_ASAN_BUILD:-1}" != 0 ]; then
  npx cmake-js compile --CDTORCHLET_SANITIZE=ON --out build-asan -l warn >/tmp/torchlet-asan-build.$$ 2>&1 \
    || { cat /tmp/torchlet-asan-build.$$; rm -f /tmp/torchlet-asan-build.$$; echo "test-asan: build failed"; exit 1; }
  rm -f /tmp/torchlet-asan-build.$$
fi
[ -f "$addon" ] || { echo "test-asan: $addon not found (npm run build:asan)"; exit 1; }

# dist/ for the tests that load the package by name
npm run -s build >/dev/null || { echo "test-asan: npm run build failed"; exit 1; }

cxx=${CXX:-g++}
preload=""
for lib in libasan.so libubsan.so; do
  f=$("$cxx" -print-file-name=$lib)
  # -print-file-name echoes the bare name when it has no such library
  if [ "$f" != "$lib" ] && [ -e "$f" ]; then preload="$preload${preload:+:}$(readlink -f "$f")"; fi
done
case "$preload" in *libasan*) ;; *) echo "test-asan: cannot find libasan.so via $cxx -print-file-name"; exit 1 ;; esac

logdir=$(mktemp -d /tmp/torchlet-asan.XXXXXX)
out=$logdir/vitest.log
# detect_leaks=0: V8/Node "leak" at exit by design (scripts/leak-check.sh looks for ours).
# log_path: every process (vitest's forks, spawned children, workers' host) writes
# its report to a file here, so none can be swallowed by a test that expects a
# child to fail.
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:log_path=$logdir/asan:${ASAN_OPTIONS_EXTRA:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87:log_path=$logdir/ubsan:${UBSAN_OPTIONS_EXTRA:-}"
export LD_PRELOAD="$preload${LD_PRELOAD:+:$LD_PRELOAD}"
export TORCHLET_ADDON_PATH=$addon
unset TORCHLET_BACKEND

# Tests about *which* file the loader picks cannot pass with an explicit
# TORCHLET_ADDON_PATH (that is what it overrides): they run in a second pass
# against build/Release, still with the sanitizer runtimes preloaded.
loader_tests=(test/native/load.test.ts test/build/prebuild.test.ts test/runtime/info.test.ts)

echo "test-asan: addon $addon"
echo "test-asan: LD_PRELOAD=$LD_PRELOAD"
echo "test-asan: logs in $logdir"
excl=()
for t in "${loader_tests[@]}"; do excl+=(--exclude "$t"); done
# vitest.config.mts writes .vitest/results.json (what .ci/run reads): keep the
# plain run's report, put ours beside it as .vitest/asan-results.json.
saved=""
if [ -f .vitest/results.json ]; then saved=$(mktemp); cp .vitest/results.json "$saved"; fi
npx vitest run "${excl[@]}" "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
[ -f .vitest/results.json ] && mv .vitest/results.json .vitest/asan-results.json

if [ $# -eq 0 ]; then
  echo "test-asan: loader tests without TORCHLET_ADDON_PATH: ${loader_tests[*]}"
  TORCHLET_ADDON_PATH= npx vitest run "${loader_tests[@]}" 2>&1 | tee -a "$out"
  s2=${PIPESTATUS[0]}
  [ $status -eq 0 ] && status=$s2
fi

rm -f .vitest/results.json
if [ -n "$saved" ]; then mv "$saved" .vitest/results.json; fi

reports=$(ls "$logdir" | grep -E '^(asan|ubsan)\.' || true)
hits=$(grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out" || true)
if [ -n "$reports" ] || [ "${hits:-0}" -gt 0 ]; then
  echo "test-asan: SANITIZER REPORTS"
  for f in $reports; do echo "==== $logdir/$f"; head -60 "$logdir/$f"; done
  grep -nE -A20 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out" | head -80
  [ $status -eq 0 ] && status=3
else
  echo "test-asan: no sanitizer reports"
  rm -rf "$logdir"
fi
echo "test-asan: $((SECONDS - start)) s, exit $status"
exit $status
