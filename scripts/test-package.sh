#!/usr/bin/env bash
# `npm run test:package`: the npm package as a user gets it.
#   1. builds dist/ (and the prebuilt binary for this platform when
#      prebuilds/<platform>-<arch>/ is missing: npm run prebuilds), packs the
#      tarball and checks its contents (dist, types, prebuilds, native sources,
#      binding.gyp, CMakeLists.txt, README, LICENSE; no tests, benches or build
#      leftovers);
#   2. installs the tarball into a fresh temporary project
#      (npm install /path/torchlet-x.y.z.tgz: only node-addon-api and
#      node-gyp-build come from the registry) and type-checks a consumer (.mts
#      and .cts) against the shipped declarations;
#   3. path (a), prebuilt: PREBUILDS_ONLY=1, trains XOR through require() and
#      import; info() must say prebuilt, OpenBLAS linked statically, and (Linux)
#      ldd of the loaded .node must show no libopenblas;
#   4. path (b), from source: deletes prebuilds/ from the installed copy,
#      approves torchlet's install script (npm 11's allowScripts) and runs
#      `npm rebuild torchlet` with npm_config_build_from_source=true (node-gyp
#      against binding.gyp and the system OpenBLAS); XOR again, info() must say
#      built from source with shared OpenBLAS (ldd shows libopenblas).
# Prints "test-package: ok (…)" or "test-package: FAILED (…)" as its last line.
# Options: --keep (leave the temporary directory), --skip-source (path (a) only).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
keep=0
skip_source=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    --skip-source) skip_source=1 ;;
    *) echo "usage: scripts/test-package.sh [--keep] [--skip-source]" >&2; exit 2 ;;
  esac
done

t_start=$SECONDS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/torchlet-package-XXXXXX")
failures=()
timings=()
cleanup() { if [ $keep -eq 1 ]; then echo "test-package: kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
fail() { echo "test-package: FAIL: $*" >&2; failures+=("$1"); }
finish() {
  local took=$((SECONDS - t_start))
  if [ ${#failures[@]} -eq 0 ]; then
    echo "test-package: ok (${timings[*]}; total ${took} s)"
    exit 0
  fi
  echo "test-package: FAILED: ${failures[*]} (${timings[*]}; total ${took} s)"
  exit 1
}
step() { echo; echo "== test-package: $*"; }

cd "$root"
platform_dir="prebuilds/$(node -p 'process.platform + "-" + process.arch')"

# ---- 1. build, pack, inspect ---------------------------------------------------------------
step "build dist/ (npm run build)"
npm run build --silent || { fail build "npm run build failed"; finish; }
# Missing, or older than a native source or binding.gyp: (re)build it.
prebuilt_stale() {
  local f
  f=$(ls -t "$platform_dir"/*.node 2>/dev/null | head -n 1)
  [ -z "$f" ] && return 0
  [ -n "$(find native binding.gyp -newer "$f" -type f -print -quit)" ]
}
if prebuilt_stale; then
  step "$platform_dir/*.node missing or older than native/: npm run prebuilds"
  t=$SECONDS
  npm run prebuilds --silent -- --quiet || { fail prebuilds "npm run prebuilds failed"; finish; }
  timings+=("prebuilds $((SECONDS - t)) s")
fi

step "npm pack"
t=$SECONDS
npm pack --json --pack-destination "$tmp" > "$tmp/pack.json" || { fail pack "npm pack failed"; finish; }
timings+=("pack $((SECONDS - t)) s")
tarball="$tmp/$(node -p 'require(process.argv[1])[0].filename' "$tmp/pack.json")"
node - "$tmp/pack.json" "$platform_dir" <<'EOF' || fail contents "the tarball's contents are wrong (above)"
const [packJson, platformDir] = process.argv.slice(2);
const r = require(packJson)[0];
const files = r.files.map((f) => f.path);
const problems = [];
const must = ['package.json', 'README.md', 'LICENSE', 'binding.gyp', 'CMakeLists.txt', 'bin/torchlet.js',
  'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts',
  'native/find-blas.js', 'native/sources.json', 'native/blas.h', 'scripts/prebuild-exports.map'];
for (const f of must) if (!files.includes(f)) problems.push(`missing ${f}`);
// Every source binding.gyp compiles (native/sources.json) must ship.
const src = JSON.parse(require('fs').readFileSync('native/sources.json', 'utf8'));
for (const f of Object.values(src).flat()) if (!files.includes(f)) problems.push(`missing ${f} (native/sources.json)`);
if (!files.some((f) => f.startsWith(platformDir + '/') && f.endsWith('.node'))) problems.push(`missing ${platformDir}/*.node`);
const banned = /^(test|bench|examples|build|build-asan|demo-output|node_modules|\.ci|\.github|\.vitest|lib)\/|\.tsbuildinfo$|\.tgz$|\.o$|\.log$|(^|\/)\.DS_Store$|^tsconfig|^vitest\.config/;
for (const f of files) if (banned.test(f)) problems.push(`does not belong in the package: ${f}`);
const mb = (n) => (n / 1e6).toFixed(1) + ' MB';
const groups = {};
for (const f of r.files) { const g = f.path.includes('/') ? f.path.split('/')[0] + '/' : f.path; (groups[g] ||= [0, 0]); groups[g][0]++; groups[g][1] += f.size; }
console.log(`${r.filename}: ${r.entryCount} files, ${mb(r.size)} packed, ${mb(r.unpackedSize)} unpacked`);
for (const [g, [n, s]] of Object.entries(groups)) console.log(`  ${g.padEnd(16)} ${String(n).padStart(4)} files ${(s / 1024).toFixed(0).padStart(8)} KiB`);
for (const f of r.files) if (f.path.startsWith('prebuilds/')) console.log(`  ${f.path} ${mb(f.size)}`);
for (const p of problems) console.error(`  ${p}`);
process.exit(problems.length ? 1 : 0);
EOF

# ---- 2. install into a fresh project --------------------------------------------------------
proj="$tmp/project"
mkdir -p "$proj"
cp test/package/xor.cjs test/package/xor.mjs "$proj/"
cat > "$proj/package.json" <<'EOF'
{ "name": "torchlet-package-test", "version": "1.0.0", "private": true }
EOF
cd "$proj" || exit 1
step "npm install $(basename "$tarball") in $proj"
t=$SECONDS
# The prebuilt binary needs no install script: --ignore-scripts proves it (and
# is what npm's install-script policy amounts to when it blocks torchlet's).
npm install --no-audit --no-fund --ignore-scripts "$tarball" || { fail install "npm install failed"; finish; }
timings+=("install $((SECONDS - t)) s")

step "type-check a consumer against the shipped declarations"
tsc="$root/node_modules/.bin/tsc"
if [ -x "$tsc" ]; then
  cat > consumer.mts <<'EOF'
import torch, { nn, optim, type Tensor, type RuntimeInfo } from 'torchlet';
const model: nn.Sequential = new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), new nn.Linear(4, 1));
const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
const y: Tensor = model.forward(torch.rand([3, 2]));
opt.step();
const i: RuntimeInfo = torch.info();
export const out: [readonly number[], string | null] = [y.shape, i.addon.source];
EOF
  cat > consumer.cts <<'EOF'
import torch = require('torchlet');
const t: torch.Tensor = torch.zeros(2, 3);
export = { n: t.numel(), backend: torch.getBackend() };
EOF
  "$tsc" --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext --target es2022 consumer.mts consumer.cts \
    || fail types "the shipped declarations do not type-check from a consumer (above)"
else
  echo "test-package: no $tsc, type check skipped"
fi

# Runs xor.cjs and xor.mjs with the given env and checks what they print.
# $1 = label, $2 = expected addon source, $3 = expected BLAS linkage, then env assignments.
check_xor() {
  local label=$1 source=$2 linkage=$3; shift 3
  local f out
  for f in xor.cjs xor.mjs; do
    t=$SECONDS
    out=$(env -u TORCHLET_BACKEND -u TORCHLET_ADDON_PATH "$@" node "$f" 2>"$tmp/stderr") \
      || { cat "$tmp/stderr" >&2; fail "$label/$f" "node $f exited non-zero"; continue; }
    echo "$out" | head -c 600; echo
    node - "$out" "$source" "$linkage" "$proj" <<'EOF' || fail "$label/$f" "$f: wrong result (above)"
const [out, source, linkage, proj] = process.argv.slice(2);
const j = JSON.parse(out);
const fs = require('fs'), path = require('path');
const problems = [];
const preds = j.out.map((p) => (p > 0.5 ? 1 : 0)).join(',');
if (preds !== '0,1,1,0') problems.push(`XOR not learned: ${j.out.join(', ')}`);
if (j.backend !== 'native') problems.push(`backend ${j.backend}, expected native`);
if (!j.addon.loaded) problems.push(`addon did not load: ${j.addon.error}`);
if (j.addon.source !== source) problems.push(`info().addon.source ${j.addon.source}, expected ${source}`);
if (!j.blas || j.blas.linkage !== linkage) problems.push(`info().blas.linkage ${j.blas && j.blas.linkage}, expected ${linkage}`);
const installed = fs.realpathSync(path.join(proj, 'node_modules', 'torchlet'));
if (fs.realpathSync(j.packageRoot) !== installed) problems.push(`loaded from ${j.packageRoot}, not the installed copy ${installed}`);
for (const p of problems) console.error(`  ${p}`);
process.exit(problems.length ? 1 : 0);
EOF
    if [ "$(uname -s)" = Linux ]; then
      local addon ldd
      addon=$(node -e 'console.log(JSON.parse(process.argv[1]).addon.path)' "$out")
      ldd=$(ldd "$addon")
      echo "ldd $addon:"; echo "$ldd" | sed 's/^/    /'
      if [ "$linkage" = static ]; then
        echo "$ldd" | grep -qE 'libopenblas|libgfortran|libblas' && fail "$label/ldd" "the prebuilt binary depends on a shared BLAS"
      else
        echo "$ldd" | grep -q 'libopenblas' || fail "$label/ldd" "the source build does not link the shared OpenBLAS"
      fi
    fi
    timings+=("$label $f $((SECONDS - t)) s")
  done
}

# ---- 3. path (a): the prebuilt binary -------------------------------------------------------
step "path (a): prebuilt binary, PREBUILDS_ONLY=1"
check_xor prebuilt prebuilt static PREBUILDS_ONLY=1

# ---- 4. path (b): built from source ---------------------------------------------------------
if [ $skip_source -eq 0 ]; then
  step "path (b): prebuilds removed, npm rebuild torchlet with npm_config_build_from_source=true"
  rm -rf node_modules/torchlet/prebuilds
  # npm 11 records which dependencies may run install scripts in package.json's
  # allowScripts ("npm install-scripts approve"); unapproved ones run with a
  # warning today and will be skipped by a later npm. --strict-allow-scripts
  # makes an unapproved script an error, so this proves the approval suffices.
  strict=()
  if npm install-scripts ls >/dev/null 2>&1; then
    npm install-scripts approve torchlet || fail approve "npm install-scripts approve torchlet failed"
    node -e 'console.log("allowScripts:", JSON.stringify(require("./package.json").allowScripts))'
    strict=(--strict-allow-scripts)
  fi
  t=$SECONDS
  npm_config_build_from_source=true npm_config_jobs="${npm_config_jobs:-max}" npm rebuild torchlet --foreground-scripts "${strict[@]}" \
    > "$tmp/rebuild.log" 2>&1
  s=$?
  tail -n 5 "$tmp/rebuild.log"
  timings+=("rebuild $((SECONDS - t)) s")
  if [ $s -ne 0 ] || [ ! -f node_modules/torchlet/build/Release/torchlet.node ]; then
    cat "$tmp/rebuild.log" >&2
    fail rebuild "npm rebuild torchlet did not build build/Release/torchlet.node"
  else
    check_xor source source shared
  fi
fi

finish
