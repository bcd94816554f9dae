#!/usr/bin/env node
// `npm run prebuilds`: makes the prebuilt binary for this platform,
// prebuilds/<platform>-<arch>/torchlet.<libc>.node, with prebuildify
// (--napi --strip --tag-libc) through binding.gyp, OpenBLAS linked in
// statically with its symbols hidden (TORCHLET_STATIC_BLAS=1, read by
// native/find-blas.js). The binary works on any Node with N-API 8+.
//
// It builds in a scratch copy of binding.gyp + native/ (+ the linker version
// script scripts/prebuild-exports.map) so that node-gyp's
// `rebuild` does not wipe build/ (the cmake-js development build).
// Then it checks the result: loads it, and on Linux that `ldd` shows no
// libopenblas/libgfortran and `nm -D --defined-only` shows only N-API entry points.
//
// Options: --keep (leave the scratch directory), --quiet (less node-gyp output),
// --arch arm64 (Linux x64 only: cross-compile prebuilds/linux-arm64/ with
// Debian's aarch64-linux-gnu-g++ against the arm64 OpenBLAS of
// libopenblas-dev:arm64; the checks then read the ELF with readelf and the
// cross nm, since the binary cannot load here).
// Env: TORCHLET_STATIC_BLAS=/path/to/libopenblas.a to pick the archive.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { values: opts } = (() => {
  try {
    return require('util').parseArgs({
      options: { keep: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false }, arch: { type: 'string', default: process.arch } },
    });
  } catch (err) {
    process.stderr.write(`prebuild: ${err.message}\nusage: node scripts/prebuild.js [--keep] [--quiet] [--arch arm64]\n`);
    process.exit(2);
  }
})();
const { keep, quiet, arch } = opts;

/** Debian's cross toolchain and the arm64 OpenBLAS (pkg-config), per target arch built from x64 Linux. */
const CROSS = {
  arm64: { triplet: 'aarch64-linux-gnu', apt: 'g++-aarch64-linux-gnu libopenblas-dev:arm64 (dpkg --add-architecture arm64 first)' },
};
const cross = arch !== process.arch ? CROSS[arch] : undefined;
if (arch !== process.arch && (!cross || process.platform !== 'linux' || process.arch !== 'x64')) {
  fail(`cannot cross-compile for ${arch} on ${process.platform}-${process.arch} (supported: linux-x64 to ${Object.keys(CROSS).join(', ')})`);
}

function fail(msg) {
  process.stderr.write(`prebuild: ${msg}\n`);
  process.exit(1);
}

/** Symbols a Node-API addon may export. */
const NAPI_EXPORT = /^(napi_register_module_v\d+|node_api_module_get_api_version_v\d+)$/;

/** Checks the ldd/nm properties of a prebuilt binary (a cross-built one: readelf's NEEDED list); returns what it found. */
function inspect(file) {
  const facts = { size: fs.statSync(file).size, ldd: null, exports: null, problems: [] };
  if (process.platform !== 'linux') return facts;
  facts.ldd = cross
    ? execFileSync('readelf', ['-d', file], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('(NEEDED)')).join('\n')
    : execFileSync('ldd', [file], { encoding: 'utf8' });
  if (/libopenblas|libgfortran|libblas|liblapack/.test(facts.ldd)) {
    facts.problems.push(`it still depends on a shared BLAS/gfortran library:\n${facts.ldd}`);
  }
  const nm = execFileSync(cross ? `${cross.triplet}-nm` : 'nm', ['-D', '--defined-only', file], { encoding: 'utf8' });
  facts.exports = nm.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/).pop());
  const extra = facts.exports.filter((s) => !NAPI_EXPORT.test(s));
  if (extra.length > 0) facts.problems.push(`it exports more than the N-API entry points: ${extra.slice(0, 20).join(', ')}${extra.length > 20 ? ', …' : ''}`);
  return facts;
}

function main() {
  let prebuildify;
  try {
    prebuildify = require('prebuildify');
  } catch {
    fail('prebuildify is not installed (npm install --save-dev prebuildify)');
  }

  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-prebuild-'));
  for (const f of ['binding.gyp', 'package.json']) fs.copyFileSync(path.join(root, f), path.join(stage, f));
  fs.cpSync(path.join(root, 'native'), path.join(stage, 'native'), { recursive: true });
  fs.mkdirSync(path.join(stage, 'scripts'));
  fs.copyFileSync(path.join(__dirname, 'prebuild-exports.map'), path.join(stage, 'scripts', 'prebuild-exports.map'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');

  const env = process.env;
  if (!env.TORCHLET_STATIC_BLAS) env.TORCHLET_STATIC_BLAS = '1';
  if (cross) {
    const t = cross.triplet;
    try {
      execFileSync(`${t}-g++`, ['--version'], { stdio: 'ignore' });
    } catch {
      fail(`${t}-g++ not found: apt-get install ${cross.apt}`);
    }
    Object.assign(env, { CC: `${t}-gcc`, CXX: `${t}-g++`, LINK: `${t}-g++`, AR: `${t}-ar`, PKG_CONFIG_LIBDIR: `/usr/lib/${t}/pkgconfig` });
  }
  // Build against this Node's own headers when they are installed next to it
  // (no download); npm run sets npm_config_nodedir from .npmrc otherwise.
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'))) {
    env.npm_config_nodedir = nodedir;
  }

  const t0 = Date.now();
  prebuildify(
    {
      cwd: stage,
      out: stage,
      napi: true,
      strip: true,
      tagLibc: true,
      quiet,
      arch,
      ...(cross ? { stripBin: `${cross.triplet}-strip` } : {}),
      // One N-API build works on every Node with N-API 8+; building against
      // the running Node lets node-gyp use its headers.
      targets: [process.version.replace(/^v/, '')],
    },
    (err) => {
      if (err) {
        if (!keep) fs.rmSync(stage, { recursive: true, force: true });
        fail(`prebuildify failed: ${err.message}`);
      }
      const dirName = `${process.platform}-${arch}`;
      const builtDir = path.join(stage, 'prebuilds', dirName);
      const outDir = path.join(root, 'prebuilds', dirName);
      fs.mkdirSync(outDir, { recursive: true });
      const files = fs.readdirSync(builtDir).filter((f) => f.endsWith('.node'));
      if (files.length === 0) fail(`no .node file in ${builtDir}`);
      let problems = 0;
      for (const f of files) {
        const dest = path.join(outDir, f);
        fs.copyFileSync(path.join(builtDir, f), dest);
        const facts = inspect(dest);
        process.stdout.write(`\nprebuild: ${path.relative(root, dest)} (${(facts.size / 1e6).toFixed(1)} MB, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
        if (facts.ldd) process.stdout.write(`  ldd:\n${facts.ldd.trimEnd().replace(/^\s*/gm, '    ')}\n`);
        if (facts.exports) process.stdout.write(`  exports: ${facts.exports.join(', ')}\n`);
        for (const p of facts.problems) process.stderr.write(`prebuild: PROBLEM: ${p}\n`);
        problems += facts.problems.length;
      }
      if (!keep) fs.rmSync(stage, { recursive: true, force: true });
      else process.stdout.write(`prebuild: scratch build kept in ${stage}\n`);
      if (problems > 0) process.exit(1);
      process.stdout.write('prebuild: ok. node-gyp-build prefers build/Release when it exists; PREBUILDS_ONLY=1 loads the prebuilt binary.\n');
    },
  );
}

main();
