// bench/overhead: the fixed cost of one small op, where no kernel work hides it.
//
//   npm run build && node bench/overhead.js
//
// Times batches of BATCH calls (median of ROUNDS batches, after warm-up) of
//   - add of two 4-element float32 tensors, no grad (nothing recorded),
//   - the same with one input requiring grad (a tape node is recorded),
//   - a 4-element tensor + a JS number,
// on the native and the js backend, and a DEPTH-deep chain y = y + c run
// forward then backward (per link). Every round runs every case once, in an
// order that rotates from round to round, beside a trivial baseline in the
// same process: allocate a 4-element Float32Array and add two 4-element
// arrays in a plain JS loop. "× baseline" is the median of the per-round
// ratios (case / baseline of the same round).
// Bar: ≤ 2 µs per op on native for the two 4-element tensor adds (PASS/MISS
// is printed; a miss does not change the exit code).
'use strict';
const torch = require('..');
const { loadAddon } = require('../dist/backend/native');
const { writeResults, environment, median, since } = require('./results');
const v8 = require('node:v8');
const vm = require('node:vm');

// A full GC before each chain run (and before its baseline batch), so the
// garbage of one 100k-node graph is not collected inside the next timing.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const BATCH = 100_000;      // calls per timed batch
const ROUNDS = 9;           // timed batches per case (median)
const WARMUP_ROUNDS = 3;
const DEPTH = 100_000;      // links in the chain
const CHAIN_ROUNDS = 7;
const BAR_US = 2;

const addon = loadAddon();
torch.setBackend('native');
torch.manualSeed(0);

let sink = 0;
const x4 = Float32Array.of(1, 2, 3, 4);
const y4 = Float32Array.of(5, 6, 7, 8);
const a = torch.tensor(x4);
const b = torch.tensor(y4);
const ag = torch.tensor(x4, { requiresGrad: true });
const UNIT = Int32Array.of(1);
const DIMS = Int32Array.of(4);
const out4 = new Float32Array(4);

/** One call of each case; `backend` is set before the batch, not per call. */
const CASES = [
  { id: 'baseline', label: 'baseline: new Float32Array(4) + JS loop a[i]+b[i]', backend: null,
    fn: () => { const o = new Float32Array(4); for (let i = 0; i < 4; i++) o[i] = x4[i] + y4[i]; sink += o[0]; } },
  { id: 'rawNapi', label: 'reference: addon.add kernel on preallocated arrays (one N-API call)', backend: null,
    fn: () => { addon.add(x4, UNIT, y4, UNIT, out4, DIMS); sink += out4[0]; } },
  { id: 'nativeAdd', label: 'add(a, b), 4 elements, no grad', backend: 'native', bar: true,
    fn: () => { sink += torch.add(a, b).data[0]; } },
  { id: 'nativeAddGrad', label: 'add(a, b), 4 elements, a.requiresGrad (tape)', backend: 'native', bar: true,
    fn: () => { sink += torch.add(ag, b).data[0]; } },
  { id: 'nativeAddScalar', label: 'add(a, 1), 4 elements + scalar, no grad', backend: 'native',
    fn: () => { sink += torch.add(a, 1).data[0]; } },
  { id: 'jsAdd', label: 'add(a, b), 4 elements, no grad', backend: 'js',
    fn: () => { sink += torch.add(a, b).data[0]; } },
  { id: 'jsAddGrad', label: 'add(a, b), 4 elements, a.requiresGrad (tape)', backend: 'js',
    fn: () => { sink += torch.add(ag, b).data[0]; } },
  { id: 'jsAddScalar', label: 'add(a, 1), 4 elements + scalar, no grad', backend: 'js',
    fn: () => { sink += torch.add(a, 1).data[0]; } },
];

/** Seconds per call over one batch. */
function batch(c) {
  if (c.backend) torch.setBackend(c.backend);
  const fn = c.fn;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) fn();
  const s = since(t0) / BATCH;
  torch.setBackend('native');
  return s;
}

/** Per-link seconds of a DEPTH-deep chain: [forward, backward] on `backend`. */
function chain(backend) {
  torch.setBackend(backend);
  const x = torch.tensor(x4, { requiresGrad: true });
  const c = torch.tensor(y4);
  gc();
  const t0 = process.hrtime.bigint();
  let y = x;
  for (let i = 0; i < DEPTH; i++) y = torch.add(y, c);
  const fwd = since(t0);
  const t1 = process.hrtime.bigint();
  y.sum().backward();
  const bwd = since(t1);
  sink += x.grad.data[0];
  torch.setBackend('native');
  return [fwd / DEPTH, bwd / DEPTH];
}

function main() {
  const start = process.hrtime.bigint();
  const env = environment();
  console.log(`# bench/overhead — time per small op (µs/op), batches of ${BATCH.toLocaleString('en')} calls, median of ${ROUNDS} batches`);
  console.log(`node ${env.node}; ${env.cpus} CPUs (${env.cpu}); loadavg ${env.loadavg.join(' ')}`);

  // Samples per case; rounds rotate the order so drift hits every case alike.
  const t = Object.fromEntries(CASES.map((c) => [c.id, []]));
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (let j = 0; j < CASES.length; j++) {
      const c = CASES[(round + j) % CASES.length];
      const s = batch(c);
      if (round >= WARMUP_ROUNDS) t[c.id].push(s);
    }
  }
  // The chain: forward and backward of DEPTH links, native and js alternating,
  // each round beside a baseline batch; a forced full GC precedes each timing.
  const chainT = { native: { fwd: [], bwd: [], base: [] }, js: { fwd: [], bwd: [], base: [] } };
  chain('native'); chain('js');   // warm-up
  for (let round = 0; round < CHAIN_ROUNDS; round++) {
    for (const be of round % 2 ? ['js', 'native'] : ['native', 'js']) {
      const [f, bw] = chain(be);
      chainT[be].fwd.push(f);
      chainT[be].bwd.push(bw);
      gc();
      chainT[be].base.push(batch(CASES[0]));
    }
  }

  const us = (s) => s * 1e6;
  const base = t.baseline;
  const rows = CASES.map((c) => ({
    id: c.id, label: c.label, backend: c.backend ?? '—',
    usPerOp: us(median(t[c.id])),
    overBaseline: median(t[c.id].map((s, i) => s / base[i])),
    bar: c.bar ? (us(median(t[c.id])) <= BAR_US ? 'PASS' : 'MISS') : null,
    samplesUs: t[c.id].map(us),
  }));
  for (const be of ['native', 'js']) {
    const ct = chainT[be];
    const tot = ct.fwd.map((f, i) => f + ct.bwd[i]);
    rows.push({
      id: `${be}Chain`, label: `${DEPTH / 1000}k-deep chain y = y + c: forward + backward, per link`, backend: be,
      usPerOp: us(median(tot)), overBaseline: median(tot.map((s, i) => s / ct.base[i])), bar: null,
      forwardUs: us(median(ct.fwd)), backwardUs: us(median(ct.bwd)), samplesUs: tot.map(us),
    });
  }

  console.log('');
  console.log('| op | backend | µs/op | × baseline | bar (≤ 2 µs) |');
  console.log('|---|---|---:|---:|---|');
  for (const r of rows) {
    const extra = r.forwardUs !== undefined ? ` (fwd ${r.forwardUs.toFixed(2)} + bwd ${r.backwardUs.toFixed(2)})` : '';
    console.log(`| ${r.label}${extra} | ${r.backend} | ${r.usPerOp < 0.1 ? r.usPerOp.toFixed(4) : r.usPerOp.toFixed(3)} | ${r.id === 'baseline' ? '1' : r.overBaseline.toFixed(1)} | ${r.bar ?? ''} |`);
  }
  console.log('');
  const barRows = rows.filter((r) => r.bar !== null);
  const pass = barRows.every((r) => r.bar === 'PASS');
  console.log(`bar: ≤ ${BAR_US} µs per op on native for the two 4-element adds: ${pass ? 'PASS' : 'MISS'} (${barRows.map((r) => `${r.id} ${r.usPerOp.toFixed(3)} µs`).join(', ')})`);
  if (!Number.isFinite(sink)) console.log('(sink)', sink);
  const secs = since(start);
  console.log(`took ${secs.toFixed(1)} s`);
  const file = writeResults('overhead', { env, batch: BATCH, rounds: ROUNDS, depth: DEPTH, bar: { us: BAR_US, pass }, rows, seconds: secs });
  console.log(`wrote ${file} (key "overhead")`);
}

main();
