// bench/profile-step: where one training step of a bench/workloads.js
// workload spends its time on the native backend, per kernel (GEMMs keyed by
// their shape, the convolution kernels by their image and kernel), as ms per step and share of
// the step. Kernels are timed by wrapping the active kernel set, so a step
// runs slightly slower than in bench/train.js; "outside" is what the step
// spends in JS (tape, shapes, allocation). Not part of `npm run bench`.
//
//   npm run build && node bench/profile-step.js [W7] [steps, default 20]
'use strict';
const torch = require('..');
const backend = require('../dist/backend');
const { KERNEL_TABLE } = require('../dist/backend/table');
const { WORKLOADS, makeData } = require('./workloads');
const { buildTorchletWorkload } = require('./torchlet-workload');

const id = process.argv[2] || 'W7';
const steps = Number(process.argv[3] || 20);
const spec = WORKLOADS.find((w) => w.id === id);
if (!spec) throw new Error(`bench/profile-step: unknown workload ${id}; one of ${WORKLOADS.map((w) => w.id).join(', ')}`);

/** A kernel's argument positions by their names in the kernel table. */
const at = (name) => Object.fromEntries(KERNEL_TABLE[name].args.map((arg, i) => [arg.name, i]));
const GEMM = at('gemm');
const CONV = Object.fromEntries(['convForward', 'convBackwardInput', 'convBackwardWeight'].map((n) => [n, at(n)]));

/** The row a kernel call is billed to: GEMMs by transposes and m, n, k; the batch convolution kernels by channels, image and kernel. */
function keyOf(name, a) {
  if (name === 'gemm') return `gemm ${a[GEMM.transA] ? 'T' : 'N'}${a[GEMM.transB] ? 'T' : 'N'} m${a[GEMM.m]} n${a[GEMM.n]} k${a[GEMM.k]}`;
  const c = CONV[name];
  if (c) return `${name} c${a[c.c]}→${a[c.oc]} ${a[c.h]}×${a[c.w]} k${a[c.kH]}×${a[c.kW]}`;
  return name;
}

torch.setBackend('native');
const real = backend.kernels();
const stats = new Map();
let timing = false;
const wrapped = {};
for (const [name, f] of Object.entries(real)) {
  wrapped[name] = typeof f !== 'function' ? f : (...a) => {
    if (!timing) return f(...a);
    const t0 = process.hrtime.bigint();
    try {
      return f(...a);
    } finally {
      const key = keyOf(name, a);
      const s = stats.get(key) ?? { calls: 0, ns: 0n };
      s.calls++;
      s.ns += process.hrtime.bigint() - t0;
      stats.set(key, s);
    }
  };
}
// Ops look the kernel set up through this export at every call.
backend.kernels = () => wrapped;

const { batches, step } = buildTorchletWorkload(spec, makeData(spec));
for (let i = 0; i < 5; i++) step(...batches[i % batches.length]).item();
timing = true;
const t0 = process.hrtime.bigint();
for (let i = 0; i < steps; i++) step(...batches[i % batches.length]).item();
const total = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
timing = false;

const rows = [...stats].map(([key, s]) => [key, s.calls / steps, Number(s.ns) / 1e6 / steps]).sort((a, b) => b[2] - a[2]);
const inKernels = rows.reduce((x, r) => x + r[2], 0);
console.log(`${spec.title}: ${total.toFixed(2)} ms/step over ${steps} steps (loadavg ${require('node:os').loadavg()[0].toFixed(2)})`);
console.log(`| kernel | calls/step | ms/step | share |\n|---|---:|---:|---:|`);
for (const [key, calls, ms] of rows) console.log(`| ${key} | ${calls} | ${ms.toFixed(2)} | ${(100 * ms / total).toFixed(1)}% |`);
console.log(`| outside the kernels (JS) | | ${(total - inKernels).toFixed(2)} | ${(100 * (total - inKernels) / total).toFixed(1)}% |`);
