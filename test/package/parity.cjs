// Native-vs-js parity of the installed package, for a platform the test suite
// does not run on (linux-arm64 under QEMU, scripts/test-package.sh --arm64):
// every kernel of the table with a parity check, a few seeded random calls each (the harness of
// test/backend/parity.test.ts, the table's tolerances), then a sanity timing
// of three float32 SIMD kernels, native against js. Under QEMU both sides are
// emulated: the timing shows the native kernels run and are not slower than
// js, it is no measure of arm64 speed. Prints one JSON line; exit code 1 on a
// mismatch. Argument: random calls per kernel (default 3).
'use strict';
const path = require('path');

const dist = path.join(path.dirname(require.resolve('torchlet')));
const { KERNEL_NAMES, compareCall, describeArgs, makeRng, randomCall, specOf } = require(path.join(dist, 'backend', 'harness'));
const { jsKernels } = require(path.join(dist, 'backend', 'js'));
const { loadNativeKernels } = require(path.join(dist, 'backend', 'native'));
const { info } = require(path.join(dist, 'runtime', 'info'));

const CALLS = Number(process.argv[2] || 3);
const native = loadNativeKernels();
const rng = makeRng(20261203);
// As test/backend/parity.test.ts: the kernels whose results both backends share
// (not e.g. getNumThreads, 1 for js by design).
const kernels = KERNEL_NAMES.filter((n) => specOf(n).parity);
const failures = [];
let calls = 0;
for (const name of kernels) {
  for (let i = 0; i < CALLS; i++) {
    const args = randomCall(name, rng);
    const diff = compareCall(name, args, native, jsKernels);
    calls++;
    if (diff) failures.push(`${name} ${describeArgs(args)}: ${diff}`);
  }
}

/** Milliseconds per call of kernel `name` on a 2^16-element float32 input (median of 5 rounds of 20). */
function time(k, name) {
  const n = 1 << 16;
  const x = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
  const y = new Float32Array(n);
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let j = 0; j < 20; j++) k[name](x, y, n);
    rounds.push(Number(process.hrtime.bigint() - t) / 20 / 1e6);
  }
  return rounds.sort((a, b) => a - b)[2];
}
const timing = {};
for (const name of ['exp', 'sigmoid', 'tanh']) {
  const nat = time(native, name);
  const js = time(jsKernels, name);
  timing[name] = { nativeMs: +nat.toFixed(3), jsMs: +js.toFixed(3), speedup: +(js / nat).toFixed(1) };
}

const i = info();
console.log(JSON.stringify({ arch: process.arch, node: process.version, simd: i.simd.level, addon: i.addon.path, kernels: kernels.length, calls, failures, timing }));
process.exit(failures.length ? 1 : 0);
