#!/usr/bin/env bash
# Leak check of the native addon with LeakSanitizer: runs node programs that
# call every exported native function many times (scripts/fuzz-native.js in
# child mode: valid calls and every kind of rejected call, so error paths are
# covered too) and train both soak models for a while with checkpoints, all on
# the ASan build (build-asan/, `npm run build:asan`) with leak detection on.
#
# V8 and Node deliberately leave memory behind at exit, so instead of
# suppressing them one by one every LSan report is split into its leak blocks
# and a block counts as ours when any frame of its allocation stack lies in
# torchlet.node (or names a native/*.cc file). Ours must be zero.
#
#   scripts/leak-check.sh [--calls N]      (default 30000 calls per program)
# Exit status 0 when no leak comes from our code.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
calls=30000
[ "${1:-}" = "--calls" ] && calls=${2:-30000}
start=$SECONDS

if [ "${TORCHLET_ASAN_BUILD:-1}" != 0 ]; then
  npx cmake-js compile --CDTORCHLET_SANITIZE=ON --out build-asan -l warn >/dev/null 2>&1 \
    || { echo "leak-check: npm run build:asan failed"; exit 1; }
fi
addon=${TORCHLET_ASAN_ADDON:-$root/build-asan/Release/torchlet.node}
[ -f "$addon" ] || { echo "leak-check: $addon not found"; exit 1; }
[ -f dist/index.js ] || npm run -s build >/dev/null || exit 1

asan=$(readlink -f "$(${CXX:-g++} -print-file-name=libasan.so)")
ubsan=$(readlink -f "$(${CXX:-g++} -print-file-name=libubsan.so)")
logdir=$(mktemp -d /tmp/torchlet-leaks.XXXXXX)
export LD_PRELOAD="$asan:$ubsan"
export TORCHLET_ADDON_PATH=$addon
# fast_unwind_on_malloc=0: full stacks through OpenBLAS/libstdc++ frames without frame pointers.
export ASAN_OPTIONS="detect_leaks=1:exitcode=23:fast_unwind_on_malloc=0:malloc_context_size=30:halt_on_error=1:log_path=$logdir/lsan"
export LSAN_OPTIONS="report_objects=0:max_leaks=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logdir/ubsan"

run() {
  echo "leak-check: $*"
  "$@" >"$logdir/out.$(basename "$2" .js).log" 2>&1
  local s=$?
  # exit status 23 is LSan's "leaks found" (V8's at least); anything else non-zero is a failure
  if [ $s -ne 0 ] && [ $s -ne 23 ]; then echo "leak-check: $* exited with $s"; tail -20 "$logdir/out.$(basename "$2" .js).log"; failed=1; fi
}
failed=0
# Canary: a planted 77-byte leak must be reported, or "no leaks" would mean nothing.
printf '#include <stdlib.h>\nvoid* volatile torchlet_canary;\n__attribute__((constructor)) static void f(void) { torchlet_canary = malloc(77); torchlet_canary = 0; }\n' >"$logdir/canary.c"
if env -u LD_PRELOAD -u ASAN_OPTIONS ${CC:-gcc} -shared -fPIC -o "$logdir/libcanary.so" "$logdir/canary.c" 2>/dev/null; then
  LD_PRELOAD="$LD_PRELOAD:$logdir/libcanary.so" ASAN_OPTIONS="detect_leaks=1:exitcode=23" node -e 0 2>"$logdir/canary.txt"
  if grep -q "Direct leak of 77 byte" "$logdir/canary.txt"; then echo "leak-check: canary leak detected (LSan works under node)"
  else echo "leak-check: LSan did not report the canary leak"; cat "$logdir/canary.txt"; failed=1; fi
fi
run node "$root/scripts/fuzz-native.js" --child --seed 1 --calls "$calls"
run node "$root/scripts/fuzz-native.js" --child --seed 2 --calls "$calls"
run node "$root/scripts/soak.js" --xor 3000 --mnist 200 --bar 1000

node - "$logdir" <<'EOF'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const files = fs.readdirSync(dir).filter((f) => /^(lsan|ubsan)\./.test(f));
let total = 0, totalBytes = 0, ours = [], other = [];
for (const f of files) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  if (/ERROR: AddressSanitizer|runtime error:/.test(text)) other.push(`${f}: not a leak report:\n${text.slice(0, 3000)}`);
  const blocks = text.split(/\n(?=(?:Direct|Indirect) leak of )/).filter((b) => /^(Direct|Indirect) leak of/.test(b));
  for (const b of blocks) {
    total++;
    totalBytes += Number((/leak of (\d+) byte/.exec(b) || [0, 0])[1]);
    if (/torchlet\.node|native\/[a-z_]+\.(cc|h)\b/.test(b)) ours.push(`${f}:\n${b.split('\n').slice(0, 25).join('\n')}`);
  }
}
console.log(`leak-check: ${files.length} report file(s), ${total} leak blocks (${totalBytes} bytes) from V8/Node/OpenBLAS, ${ours.length} from torchlet.node`);
for (const o of ours) console.log(`OURS ${o}`);
for (const o of other) console.log(`ERROR ${o}`);
if (files.length === 0) console.log('leak-check: note: LSan wrote no report (no leaks at all, or LSan did not run)');
process.exitCode = ours.length || other.length ? 1 : 0;
EOF
status=$?
[ $failed -ne 0 ] && status=1
if [ $status -eq 0 ]; then rm -rf "$logdir"; else echo "leak-check: logs kept in $logdir"; fi
echo "leak-check: $((SECONDS - start)) s, exit $status"
exit $status
