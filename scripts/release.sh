#!/usr/bin/env bash
# The publishing steps of .github/workflows/release.yml, runnable here with
# --dry-run (from the binaries under prebuilds/, whichever platforms exist):
#   1. npm run build (dist/);
#   2. scripts/platform-packages.js lays out npm-packages/: one package per
#      platform and torchlet with them as optional dependencies (a release
#      needs every platform: --all);
#   3. publint and @arethetypeswrong/cli on the main package: no errors;
#   4. npm publish of each directory, platform packages first (so that
#      torchlet's optionalDependencies resolve the moment it appears), with
#      provenance (npm's --provenance needs the CI's OIDC token, so the dry
#      run leaves it out) and public access (scoped packages).
# Usage: scripts/release.sh [--dry-run] [--out DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dry=0
out=npm-packages
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry=1 ;;
    --out) shift; out=${1:?--out needs a directory} ;;
    *) echo "usage: scripts/release.sh [--dry-run] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
cd "$root"
out=$(realpath -m "$out")

echo "== release: npm run build"
npm run build --silent

echo "== release: lay out the packages in $out"
all=(--all)
[ $dry -eq 1 ] && all=()
node scripts/platform-packages.js --binaries prebuilds --out "$out" "${all[@]}"

echo "== release: publint and attw on $out/torchlet"
(cd "$out/torchlet" && "$root/node_modules/.bin/publint" --strict)
"$root/node_modules/.bin/attw" --pack "$out/torchlet"

publish=(--access public)
if [ $dry -eq 1 ]; then publish+=(--dry-run); else publish+=(--provenance); fi
dirs=$(node -p 'require(process.argv[1]).join(" ")' "$out/packages.json")
for d in $dirs; do
  echo "== release: npm publish $out/$d ${publish[*]}"
  # The directory's own package.json: the main package's has no prepublishOnly (dist/ is built above).
  (cd "$out/$d" && npm publish "${publish[@]}")
done
echo "release: ok ($([ $dry -eq 1 ] && echo 'dry run: nothing was published' || echo published))"
