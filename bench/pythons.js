// bench/pythons: the two PyTorch interpreters bench/train.js runs as peers —
// Debian's /usr/bin/python3 with python3-torch 1.13, and a virtual environment
// with a current PyTorch 2.x CPU wheel that `npm run bench:setup`
// (bench/setup.js) creates under the cache directory the tests already use
// (TORCHLET_CACHE, default ~/.cache/torchlet). Plain data and paths, no
// process is started here.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The wheel `npm run bench:setup` installs (the machine's local pip index has it; a plain `torch` resolves to a CUDA build). */
const TORCH2_REQUIREMENT = 'torch==2.13.0+cpu';

/** The directory the tests and the bench cache downloads in. */
function cacheDir(env = process.env) {
  return env.TORCHLET_CACHE || path.join(os.homedir(), '.cache', 'torchlet');
}

/** The virtual environment of the PyTorch 2.x peer. */
function torch2VenvDir(env = process.env) {
  return path.join(cacheDir(env), 'torch2-venv');
}

/**
 * The PyTorch peers, in column order: { id, major, python, missing }.
 * `major` is the torch major version the column expects; `missing` says why
 * the interpreter cannot run (and how to get it), null when its file exists.
 * TORCHLET_BENCH_PYTHON and TORCHLET_BENCH_PYTHON2 override the two paths.
 */
function torchPeers(env = process.env, exists = fs.existsSync) {
  const py1 = env.TORCHLET_BENCH_PYTHON || '/usr/bin/python3';
  const py2 = env.TORCHLET_BENCH_PYTHON2 || path.join(torch2VenvDir(env), 'bin', 'python');
  return [
    { id: 'pytorch', major: 1, python: py1,
      missing: exists(py1) ? null : `${py1} not found (PyTorch 1.13 peer: apt-get install -y python3-torch)` },
    { id: 'pytorch2', major: 2, python: py2,
      missing: exists(py2) ? null : `${py2} not found (PyTorch 2.x peer: run \`npm run bench:setup\` to create it)` },
  ];
}

/** 'PyTorch 2.13' from torch.__version__ '2.13.0+cpu'; 'PyTorch 2.x' for the column of major 2 when the version is unknown. */
function torchLabel(version, major) {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `PyTorch ${m[1]}.${m[2]}` : `PyTorch ${major === 1 ? '1.13' : `${major}.x`}`;
}

/** Null when torch.__version__ `version` belongs in the column of `major`, else why not. */
function versionMismatch(version, major) {
  const m = /^(\d+)\./.exec(version ?? '');
  if (!m) return `cannot read torch.__version__ ${JSON.stringify(version)}`;
  return Number(m[1]) === major ? null : `has torch ${version}, this column is PyTorch ${major}.x`;
}

module.exports = { TORCH2_REQUIREMENT, torch2VenvDir, torchPeers, torchLabel, versionMismatch };
