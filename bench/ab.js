// bench/ab: this checkout's build against another build of torchlet, in one
// process, interleaved: W1 (float32 matmul) and the training steps W2–W8 of
// bench/workloads.js on the native backend. For checking that a change leaves
// speed alone; each side loads its own dist/ and its own addon.
//
//   npm run build && node bench/ab.js /path/to/other/checkout [--trials 9] [--only W2-b128,W3]
//
// Each trial runs every case once on both builds, in an order that alternates
// from trial to trial; a case's ratio is the median over trials of
// (this build's time per step) / (the other build's). Below 1: this build is faster.
'use strict';
const path = require('node:path');
const { WORKLOADS, makeData } = require('./workloads');
const { buildTorchletWorkload } = require('./torchlet-workload');
const { median } = require('./results');

const args = process.argv.slice(2);
const argValue = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
const other = args[0] && !args[0].startsWith('--') ? path.resolve(args[0]) : null;
if (!other) {
  console.error('usage: node bench/ab.js /path/to/other/checkout [--trials N] [--only ids]');
  process.exit(2);
}
const TRIALS = Number(argValue('--trials') ?? 9);
const ONLY = argValue('--only') ? argValue('--only').split(',') : null;
const TRIAL_S = 0.2;

const builds = { this: require('..'), other: require(other) };
for (const [name, lib] of Object.entries(builds)) {
  if (lib.getBackend() !== 'native') throw new Error(`${name}: native backend expected, got ${lib.getBackend()}`);
}

/** Calls fn until TRIAL_S has passed (at least once); returns seconds per call. */
function timeCalls(fn, minCalls = 1) {
  const t0 = process.hrtime.bigint();
  let calls = 0;
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (calls < minCalls || elapsed < TRIAL_S);
  return elapsed / calls;
}

function matmulCase(n) {
  const make = (lib) => {
    lib.manualSeed(0);
    const a = lib.rand(n, n);
    const b = lib.rand(n, n);
    return () => lib.noGrad(() => a.matmul(b));
  };
  return { id: `W1-${n}`, unit: 'ms', make };
}

function trainCase(spec) {
  const data = makeData(spec);
  const make = (lib) => {
    const w = buildTorchletWorkload(spec, data, lib);
    let i = 0;
    return () => { const [x, y] = w.batches[i++ % w.batches.length]; w.step(x, y); };
  };
  return { id: spec.id, unit: spec.unit, make };
}

const cases = [matmulCase(256), matmulCase(1024), ...WORKLOADS.map(trainCase)]
  .filter((c) => !ONLY || ONLY.includes(c.id));

console.log(`bench/ab: ${path.resolve(__dirname, '..')} (this) against ${other} (other), ${TRIALS} trials`);
console.log('case        this/step    other/step   this/other');
for (const c of cases) {
  const runners = { this: c.make(builds.this), other: c.make(builds.other) };
  for (const r of Object.values(runners)) timeCalls(r, 20); // warm-up
  const times = { this: [], other: [] };
  const ratios = [];
  for (let t = 0; t < TRIALS; t++) {
    const order = t % 2 === 0 ? ['this', 'other'] : ['other', 'this'];
    const got = {};
    for (const name of order) got[name] = timeCalls(runners[name]);
    times.this.push(got.this);
    times.other.push(got.other);
    ratios.push(got.this / got.other);
  }
  const scale = c.unit === 'ms' ? 1e3 : 1e6;
  const fmt = (s) => `${(median(s) * scale).toFixed(c.unit === 'ms' ? 3 : 2)} ${c.unit}`.padStart(12);
  console.log(`${c.id.padEnd(10)} ${fmt(times.this)} ${fmt(times.other)}   ${median(ratios).toFixed(3)}`);
}
