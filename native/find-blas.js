#!/usr/bin/env node
// Prints the compiler or linker flags for the system OpenBLAS, for binding.gyp:
//   node native/find-blas.js cflags   -> -I... flags
//   node native/find-blas.js libs     -> -L... -lopenblas
// Uses pkg-config (also trying Homebrew's keg-only prefixes on macOS). When
// OpenBLAS cannot be found it prints how to get it and exits non-zero, which
// stops the node-gyp build.
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
  let flags;
  try {
    pkgConfig(['--exists', 'openblas'], extra);
    flags = pkgConfig([what === 'cflags' ? '--cflags' : '--libs', 'openblas'], extra);
  } catch {
    process.stderr.write(`\n${MESSAGE}\n\n`);
    process.exit(1);
  }
  process.stdout.write(flags + '\n');
}

main();
