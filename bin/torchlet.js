#!/usr/bin/env node
// torchlet's command line: `npx torchlet doctor` prints what torchlet runs on
// (backend, addon, BLAS, threads, SIMD, Node, platform) and runs a one-second
// GEMM check — paste its output into bug reports. Exit code 0 when healthy,
// 1 when the selected backend cannot load or computes wrong results, 2 for a
// usage error (an unknown command or flag, a bad value).
'use strict';

const path = require('path');
const { parseArgs } = require('util');

const USAGE = `usage: torchlet <command> [flags]

commands:
  doctor [--json] [--seconds S]   print runtime information and run a GEMM check
                                  (exit code 0 healthy, 1 not)
  info [--json]                   print runtime information only
  help                            this text

flags:
  --version, -v                   print torchlet's version
  --help, -h                      this text
`;

/** The flags each command accepts (node:util parseArgs rejects any other). */
const FLAGS = {
  doctor: { json: { type: 'boolean' }, seconds: { type: 'string' } },
  info: { json: { type: 'boolean' } },
  help: {},
};
const GLOBAL_FLAGS = { version: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' } };

function usageError(msg) {
  process.stderr.write(`torchlet: ${msg}\n\n${USAGE}`);
  return 2;
}

function version() {
  return require(path.join(__dirname, '..', 'package.json')).version;
}

function main(argv) {
  const cmd = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined;
  if (cmd !== undefined && !Object.hasOwn(FLAGS, cmd)) return usageError(`unknown command ${JSON.stringify(cmd)}`);
  let values;
  try {
    ({ values } = parseArgs({ args: cmd === undefined ? argv : argv.slice(1), options: { ...GLOBAL_FLAGS, ...(cmd ? FLAGS[cmd] : {}) }, strict: true, allowPositionals: false }));
  } catch (err) {
    return usageError(cmd ? `${cmd}: ${err.message}` : err.message);
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (cmd === undefined || cmd === 'help' || values.help) {
    process.stdout.write(USAGE);
    return cmd === undefined && !values.help ? 2 : 0;
  }
  let doctorModule;
  try {
    doctorModule = require('../dist/runtime/doctor');
  } catch (err) {
    process.stderr.write(
      `torchlet: cannot load the library from ${path.resolve(__dirname, '..', 'dist')}: ` +
        `${err && err.message ? err.message : err}\n  (in a checkout, run npm run build first)\n`,
    );
    return 1;
  }
  const json = values.json === true;
  if (cmd === 'doctor') {
    const seconds = values.seconds === undefined ? 1 : Number(values.seconds);
    if (!(seconds > 0 && seconds <= 600)) {
      process.stderr.write(`torchlet doctor: --seconds expects a number of seconds in (0, 600], got ${values.seconds}\n`);
      return 2;
    }
    return doctorModule.doctor({ json, seconds });
  }
  const info = require('../dist/runtime/info').info();
  process.stdout.write(json ? JSON.stringify(info, null, 2) + '\n' : doctorModule.formatReport({ info, gemm: null, healthy: info.backend !== null, problems: [] }, 'torchlet info'));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
