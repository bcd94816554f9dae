#!/usr/bin/env node
// Prints the compiler or linker flags for the system OpenBLAS, for binding.gyp:
//   node native/find-blas.js cflags   -> -I... flags
//   node native/find-blas.js libs     -> -L... -lopenblas
// Uses pkg-config (also trying Homebrew's keg-only prefixes on macOS). When
// OpenBLAS cannot be found it prints how to get it and exits non-zero, which
// stops the node-gyp build.
//
// TORCHLET_STATIC_BLAS=1 (what scripts/prebuild.js sets for the prebuilt
// binaries) links OpenBLAS statically instead: `libs` prints the path of
// libopenblas.a (from pkg-config's libdir, or TORCHLET_STATIC_BLAS=/path/to/libopenblas.a)
// plus, on Linux, -Wl,--exclude-libs,ALL (the archive's symbols stay hidden) and
// the version script scripts/prebuild-exports.map (the addon exports only its
// N-API entry points), and -lpthread -lm; `cflags` adds
// -DTORCHLET_STATIC_BLAS=1 so that blasInfo() reports linkage 'static'. The
// CBLAS calls torchlet makes need no libgfortran.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const MESSAGE =
  'torchlet: OpenBLAS not found. On Debian/Ubuntu: sudo apt-get install -y libopenblas-dev ' +
  '(macOS: brew install openblas); or use the pure-JS backend with TORCHLET_BACKEND=js';

function pkgConfig(args, extraPaths) {
  const env = { ...process.env };
  if (extraPaths.length > 0) {
    env.PKG_CONFIG_PATH = [...extraPaths, env.PKG_CONFIG_PATH].filter(Boolean).join(path.delimiter);
  }
  return execFileSync('pkg-config', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function main() {
  const what = process.argv[2];
  if (what !== 'cflags' && what !== 'libs') {
    process.stderr.write('usage: node native/find-blas.js cflags|libs\n');
    process.exit(2);
  }
  const extra = ['/opt/homebrew/opt/openblas/lib/pkgconfig', '/usr/local/opt/openblas/lib/pkgconfig']
    .filter((p) => fs.existsSync(p));
  const staticBlas = process.env.TORCHLET_STATIC_BLAS;
  const wantStatic = staticBlas !== undefined && staticBlas !== '' && staticBlas !== '0';
  let flags;
  try {
    if (wantStatic && what === 'libs' && staticBlas !== '1' && staticBlas !== 'true') {
      flags = ''; // an explicit archive path: pkg-config not needed
    } else {
      pkgConfig(['--exists', 'openblas'], extra);
      flags = pkgConfig([what === 'cflags' ? '--cflags' : '--libs', 'openblas'], extra);
    }
  } catch {
    process.stderr.write(`\n${MESSAGE}\n\n`);
    process.exit(1);
  }
  if (wantStatic) flags = what === 'cflags' ? `${flags} -DTORCHLET_STATIC_BLAS=1`.trim() : staticLibs(staticBlas, extra);
  process.stdout.write(flags + '\n');
}

// The link flags for a static OpenBLAS: the archive itself, symbols hidden.
function staticLibs(setting, extra) {
  let archive = setting;
  if (setting === '1' || setting === 'true') {
    const libdir = pkgConfig(['--variable=libdir', 'openblas'], extra);
    archive = path.join(libdir, 'libopenblas.a');
  }
  if (!fs.existsSync(archive)) {
    process.stderr.write(
      `\ntorchlet: TORCHLET_STATIC_BLAS is set but the static OpenBLAS ${archive} does not exist.\n` +
        'Debian/Ubuntu ship it in libopenblas-dev; or set TORCHLET_STATIC_BLAS=/path/to/libopenblas.a\n\n',
    );
    process.exit(1);
  }
  const versionScript = path.resolve(__dirname, '..', 'scripts', 'prebuild-exports.map');
  const hide = process.platform === 'linux' ? ['-Wl,--exclude-libs,ALL', `-Wl,--version-script=${versionScript}`] : [];
  return [path.resolve(archive), ...hide, '-lpthread', '-lm'].join(' ');
}

main();
