// bench/kernels: per-call time of every kernel of the table on both backends,
// on the harness's small random valid calls (a few elements: the per-call
// cost, argument checks included, where no kernel work hides it).
//
//   npm run build && node bench/kernels.js [name ...] [--min-ms 200] [--seed 1]
//
// Each kernel is timed on one random valid call (the same arguments on both
// backends) with the harness's timing mode (dist/backend/harness/timing.js):
// the median over trials of the mean time per call.
'use strict';
const { jsKernels } = require('../dist/backend/js');
const { loadNativeKernels } = require('../dist/backend/native');
const { KERNEL_NAMES, makeRng, randomCall, timeKernel } = require('../dist/backend/harness');

function parseArgs(argv) {
  const o = { names: [], minMs: 200, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--min-ms') o.minMs = Number(argv[++i]);
    else if (argv[i] === '--seed') o.seed = Number(argv[++i]);
    else o.names.push(argv[i]);
  }
  return o;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const unknown = o.names.filter((n) => !KERNEL_NAMES.includes(n));
  if (unknown.length > 0) throw new Error(`bench/kernels: unknown kernel(s) ${unknown.join(', ')}`);
  const names = o.names.length > 0 ? o.names : KERNEL_NAMES.filter((n) => n !== 'setNumThreads');
  const native = loadNativeKernels();
  const rng = makeRng(o.seed);
  console.log(`kernel                       native µs      js µs   js/native   (one small random call each, ${o.minMs} ms per timing)`);
  for (const name of names) {
    const args = randomCall(name, rng, { alias: false });
    const n = timeKernel(native, name, args, o.minMs);
    const j = timeKernel(jsKernels, name, args, o.minMs);
    console.log(`${name.padEnd(28)} ${n.usPerCall.toFixed(3).padStart(9)} ${j.usPerCall.toFixed(3).padStart(10)} ${(j.usPerCall / n.usPerCall).toFixed(2).padStart(10)}`);
  }
}

main();
