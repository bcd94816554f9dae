// bench/setup: `npm run bench:setup` — creates the virtual environment of
// bench/train.js's PyTorch 2.x peer (bench/pythons.js says where) and installs
// the CPU wheel into it with pip, from the indexes pip is configured with.
// Does nothing when the environment already imports a torch 2.x. The 1.13
// peer is Debian's python3-torch, installed with apt. (TORCHLET_BENCH_PYTHON2
// points the bench at another interpreter instead; this script ignores it.)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { TORCH2_REQUIREMENT, torch2VenvDir, versionMismatch } = require('./pythons');

const BASE_PYTHON = '/usr/bin/python3';

function run(command, argv) {
  console.log(`$ ${command} ${argv.join(' ')}`);
  const r = spawnSync(command, argv, { stdio: 'inherit' });
  if (r.error) throw new Error(`cannot run ${command}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** torch.__version__ as the interpreter imports it, or null. */
function torchVersion(python) {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function main() {
  const venv = torch2VenvDir();
  const python = path.join(venv, 'bin', 'python');
  const have = fs.existsSync(python) ? torchVersion(python) : null;
  if (have && !versionMismatch(have, 2)) {
    console.log(`PyTorch 2.x peer ready: ${python} (torch ${have})`);
    return;
  }
  if (!fs.existsSync(python)) run(BASE_PYTHON, ['-m', 'venv', venv]);
  run(path.join(venv, 'bin', 'pip'), ['install', TORCH2_REQUIREMENT]);
  const version = torchVersion(python);
  const wrong = versionMismatch(version, 2);
  if (wrong) throw new Error(`${python}: ${wrong}`);
  console.log(`PyTorch 2.x peer ready: ${python} (torch ${version})`);
}

try {
  main();
} catch (e) {
  console.error(`bench:setup: ${e.message}`);
  process.exitCode = 1;
}
