#!/usr/bin/env node
// torchlet's command line: `npx torchlet doctor` prints what torchlet runs on
// (backend, addon, BLAS, threads, SIMD, Node, platform) and runs a one-second
// GEMM check — paste its output into bug reports. Exit code 0 when healthy,
// 1 when the selected backend cannot load or computes wrong results.
'use strict';

const USAGE = `usage: torchlet <command>

commands:
  doctor [--json] [--seconds S]   print runtime information and run a GEMM check
                                  (exit code 0 healthy, 1 not)
  info [--json]                   print runtime information only
  help                            this text
`;

function main(argv) {
  const [cmd, ...rest] = argv;
  const json = rest.includes('--json');
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  let doctorModule;
  try {
    doctorModule = require('../dist/runtime/doctor');
  } catch (err) {
    process.stderr.write(
      `torchlet: cannot load the library from ${require('path').resolve(__dirname, '..', 'dist')}: ` +
        `${err && err.message ? err.message : err}\n  (in a checkout, run npm run build first)\n`,
    );
    return 1;
  }
  if (cmd === 'doctor') {
    const i = rest.indexOf('--seconds');
    const seconds = i >= 0 ? Number(rest[i + 1]) : 1;
    if (!(seconds > 0 && seconds <= 600)) {
      process.stderr.write(`torchlet doctor: --seconds expects a number of seconds in (0, 600], got ${rest[i + 1]}\n`);
      return 2;
    }
    return doctorModule.doctor({ json, seconds });
  }
  if (cmd === 'info') {
    const info = require('../dist/runtime/info').info();
    process.stdout.write(json ? JSON.stringify(info, null, 2) + '\n' : doctorModule.formatReport({ info, gemm: null, healthy: info.backend !== null, problems: [] }, 'torchlet info'));
    return 0;
  }
  process.stderr.write(`torchlet: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
