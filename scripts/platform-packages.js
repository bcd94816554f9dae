#!/usr/bin/env node
// `npm run platform-packages`: lays out the npm packages a release publishes,
// sharp/@napi-rs style, from the prebuilt binaries (prebuilds/ as
// `npm run prebuilds` or the release workflow's build jobs leave it):
//
//   <out>/<platform>/   one package per platform of dist/backend/platforms.js
//                       (@torchlet/linux-x64-gnu, …): package.json with os,
//                       cpu and libc, torchlet.node (Windows: and
//                       torchlet-openblas.dll), README.md, LICENSE;
//   <out>/torchlet/     the main package: the `files` of package.json, with
//                       optionalDependencies naming every platform package at
//                       this version (the checkout's package.json has none: the
//                       packages do not exist before the first release, and
//                       npm ci needs a lockfile that resolves them);
//   <out>/packages.json the directories to publish, platform packages first.
//
// Options: --binaries DIR (default prebuilds), --out DIR (default
// npm-packages), --all (fail unless every platform has a binary: the release),
// --only NAME[,NAME] (lay out only these platform packages), --check (for
// prepublishOnly: fails in a package.json without optionalDependencies).
// Needs dist/ (npm run build), for the platform table.
'use strict';

const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');

const root = path.resolve(__dirname, '..');

function fail(msg) {
  process.stderr.write(`platform-packages: ${msg}\n`);
  process.exit(1);
}

const { values: opts } = (() => {
  try {
    return parseArgs({
      options: {
        binaries: { type: 'string', default: 'prebuilds' },
        out: { type: 'string', default: 'npm-packages' },
        all: { type: 'boolean', default: false },
        only: { type: 'string' },
        check: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return fail(`${err.message}\nusage: node scripts/platform-packages.js [--binaries DIR] [--out DIR] [--all] [--only NAME,...]`);
  }
})();

// --check (prepublishOnly): the checkout itself is not what gets published.
if (opts.check) {
  const m = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
  if (!m.optionalDependencies) {
    fail('this package.json lists no platform packages: publish the directories that scripts/release.sh lays out ' +
      '(npm run platform-packages), not the checkout');
  }
  process.exit(0);
}

let platforms;
try {
  ({ PLATFORM_PACKAGES: platforms } = require(path.join(root, 'dist', 'backend', 'platforms.js')));
} catch (err) {
  fail(`cannot read dist/backend/platforms.js (run npm run build first): ${err.message}`);
}

const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const binaries = path.resolve(root, opts.binaries);
const out = path.resolve(root, opts.out);
const only = opts.only ? new Set(opts.only.split(',')) : null;
if (only) for (const n of only) if (!platforms.some((p) => p.name === n)) fail(`--only: no platform package ${n}`);

/** The directory name of a platform package: its name without the scope. */
const dirOf = (p) => p.name.split('/')[1];

/** The binary for `p` under `binaries` (prebuildify's layout), or null. */
function findBinary(p) {
  const dir = path.join(binaries, `${p.os}-${p.cpu}`);
  if (!fs.existsSync(dir)) return null;
  const nodes = fs.readdirSync(dir).filter((f) => f.endsWith('.node'));
  const tagged = p.libc ? nodes.find((f) => f.split('.').includes(p.libc)) : undefined;
  const file = tagged ?? nodes.find((f) => f === 'torchlet.node') ?? (p.libc ? undefined : nodes[0]);
  return file ? path.join(dir, file) : null;
}

function platformManifest(p) {
  return {
    name: p.name,
    version: main.version,
    description: `torchlet's native addon, prebuilt for ${p.os}-${p.cpu}${p.libc ? ' ' + p.libc : ''} (${p.blas}); installed by torchlet, not on its own`,
    license: main.license,
    repository: main.repository,
    homepage: main.homepage,
    bugs: main.bugs,
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    main: 'torchlet.node',
    files: ['torchlet.node', ...(p.extraFiles ?? [])],
    engines: main.engines,
  };
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const publish = [];
const missing = [];
for (const p of platforms) {
  if (only && !only.has(p.name)) continue;
  const bin = findBinary(p);
  if (!bin) {
    missing.push(p.name);
    continue;
  }
  const dir = path.join(out, dirOf(p));
  fs.mkdirSync(dir);
  fs.copyFileSync(bin, path.join(dir, 'torchlet.node'));
  for (const extra of p.extraFiles ?? []) {
    const src = path.join(path.dirname(bin), extra);
    if (!fs.existsSync(src)) fail(`${p.name}: ${extra} is missing beside ${bin}`);
    fs.copyFileSync(src, path.join(dir, extra));
  }
  writeJson(path.join(dir, 'package.json'), platformManifest(p));
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# ${p.name}\n\nThe prebuilt native addon of [torchlet](${main.homepage}) for ${p.os}-${p.cpu}` +
      `${p.libc ? ' (' + p.libc + ')' : ''}, with ${p.blas}. torchlet lists it as an optional dependency ` +
      'and npm installs it on matching machines only; install `torchlet`, not this package.\n',
  );
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  publish.push(dir);
  process.stdout.write(`platform-packages: ${path.relative(root, dir)} ${p.name}@${main.version} (${(fs.statSync(bin).size / 1e6).toFixed(1)} MB from ${path.relative(root, bin)})\n`);
}
if (opts.all && missing.length > 0) fail(`no binary under ${binaries} for: ${missing.join(', ')}`);
if (missing.length > 0) process.stdout.write(`platform-packages: no binary here for ${missing.join(', ')} (the release workflow builds them)\n`);

// The main package: package.json's `files` (npm adds README, LICENSE, CHANGELOG itself).
const mainDir = path.join(out, 'torchlet');
fs.mkdirSync(mainDir);
for (const f of [...main.files, 'README.md', 'LICENSE', 'CHANGELOG.md']) {
  const src = path.join(root, f);
  if (!fs.existsSync(src)) fail(`${f} (package.json files) does not exist${f === 'dist' ? ': run npm run build' : ''}`);
  fs.cpSync(src, path.join(mainDir, f), { recursive: true });
}
// Consumers need only the explicit source build's script; prepublishOnly has
// run already (dist/ is built), and the dev tools stay behind.
const manifest = {
  ...main,
  scripts: { 'build:addon': main.scripts['build:addon'] },
  optionalDependencies: Object.fromEntries(platforms.map((p) => [p.name, main.version])),
};
delete manifest.devDependencies;
writeJson(path.join(mainDir, 'package.json'), manifest);
publish.push(mainDir);
writeJson(path.join(out, 'packages.json'), publish.map((d) => path.relative(out, d)));
process.stdout.write(`platform-packages: ${path.relative(root, mainDir)} torchlet@${main.version} with ${platforms.length} optional platform packages\n`);
