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
//
// Other platforms (binding.gyp asks only where it applies):
//   macOS uses Apple's Accelerate (binding.gyp links -framework Accelerate and
//   never runs this script there).
//   Windows: set TORCHLET_OPENBLAS_DIR to an OpenBLAS tree with include/
//   (cblas.h), lib/ (import library) and bin/ (the DLL), e.g. OpenBLAS's
//   release zip OpenBLAS-<v>-x64.zip unpacked:
//     node native/find-blas.js include -> the directory holding cblas.h
//     node native/find-blas.js libs    -> the import library (.lib)
//     node native/find-blas.js dll     -> the DLL, which binding.gyp copies
//                                         beside torchlet.node
//   A torchlet-openblas.lib/.dll pair (the prebuilds: the DLL renamed so that
//   another libopenblas.dll in the process cannot stand in for it) wins over
//   libopenblas.lib/.dll.
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

// Windows: paths inside TORCHLET_OPENBLAS_DIR (see the top of this file).
function windows(what) {
  const dir = process.env.TORCHLET_OPENBLAS_DIR;
  const fail = (msg) => {
    process.stderr.write(
      `\ntorchlet: ${msg}\nOn Windows set TORCHLET_OPENBLAS_DIR to an unpacked OpenBLAS release ` +
        '(https://github.com/OpenMathLib/OpenBLAS/releases, OpenBLAS-<version>-x64.zip), ' +
        'or use the pure-JS backend with TORCHLET_BACKEND=js\n\n',
    );
    process.exit(1);
  };
  if (!dir) fail('OpenBLAS not found: TORCHLET_OPENBLAS_DIR is not set.');
  const pick = (candidates) => candidates.map((c) => path.resolve(dir, c)).find((c) => fs.existsSync(c));
  let found;
  if (what === 'include') {
    found = pick(['include/cblas.h', 'include/openblas/cblas.h']);
    if (found) found = path.dirname(found);
  } else if (what === 'libs') {
    found = pick(['lib/torchlet-openblas.lib', 'lib/libopenblas.lib', 'lib/openblas.lib']);
  } else {
    found = pick(['bin/torchlet-openblas.dll', 'bin/libopenblas.dll', 'bin/openblas.dll']);
  }
  if (!found) fail(`no OpenBLAS ${what === 'include' ? 'cblas.h' : what === 'libs' ? 'import library' : 'DLL'} under ${dir}.`);
  // gyp splits <!@(...) output on whitespace: forward slashes, quoted when needed.
  const out = found.split(path.sep).join('/');
  process.stdout.write((/\s/.test(out) ? JSON.stringify(out) : out) + '\n');
}

function main() {
  const what = process.argv[2];
  const modes = process.platform === 'win32' ? ['cflags', 'libs', 'include', 'dll'] : ['cflags', 'libs'];
  if (!modes.includes(what)) {
    process.stderr.write(`usage: node native/find-blas.js ${modes.join('|')}\n`);
    process.exit(2);
  }
  if (process.platform === 'win32') {
    if (what === 'cflags') return; // include_dirs carries the header path on Windows
    return windows(what);
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
