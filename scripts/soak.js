#!/usr/bin/env node
/*
 * Soak test: trains the course's XOR MLP (2-8-1 sigmoid, BCELoss, SGD lr 1
 * momentum 0.9) for N steps and an MNIST MLP (784-128-10 ReLU, CrossEntropyLoss,
 * Adam, mini-batches of 64 from a shuffling DataLoader) for M steps, saving and
 * re-loading a checkpoint (model + optimizer) every 1,000 steps, and samples
 * RSS, heapUsed, external and arrayBuffers along the way. Memory must not grow
 * after warm-up: the last samples are compared with the first sample after
 * warm-up and more than 5% growth (RSS or arrayBuffers) fails.
 *
 *   node --expose-gc --min-semi-space-size=16 --max-semi-space-size=16 \
 *        scripts/soak.js [--short] [--xor N] [--mnist M]
 *        [--warmup FRACTION] [--samples K] [--bar PERCENT] [--json FILE]
 *
 * The semi-space flags pin V8's young generation at its default maximum
 * (16 MB per semi-space on 64-bit). Left adaptive, V8 grows it step by step
 * under a high allocation rate, which alone added 10–25 MB of RSS over
 * 300,000 XOR steps with heapUsed and arrayBuffers flat (measured on both
 * backends); pinned, RSS reaches its plateau during warm-up (+0.9% after it),
 * so what the bar sees is our memory, not V8's sizing policy.
 *
 * Defaults: 1,000,000 XOR steps, 20,000 MNIST steps; --short: 50,000 and 1,000
 * with a 40% warm-up (RSS is still settling 5,000 steps in: JIT code, allocator).
 * Needs dist/ (npm run build). With --expose-gc a full GC runs before each
 * sample (less noise); the backend is the usual one (TORCHLET_BACKEND,
 * TORCHLET_ADDON_PATH honoured). Exit status 1 when growth exceeds the bar.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');

const root = path.resolve(__dirname, '..');
const torch = require(path.join(root, 'dist', 'index.js'));

function parseArgs(argv) {
  const o = { xor: 1_000_000, mnist: 20_000, warmup: 0.1, samples: 40, bar: 5, every: 1000, json: null, short: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--short') { o.short = true; o.xor = 50_000; o.mnist = 1_000; o.samples = 20; o.warmup = 0.4; }
    else if (a === '--xor') o.xor = Number(next());
    else if (a === '--mnist') o.mnist = Number(next());
    else if (a === '--warmup') o.warmup = Number(next());
    else if (a === '--samples') o.samples = Number(next());
    else if (a === '--bar') o.bar = Number(next());
    else if (a === '--checkpoint-every') o.every = Number(next());
    else if (a === '--json') o.json = next();
    else throw new Error(`soak: unknown argument ${a}`);
  }
  return o;
}

const MB = 1024 * 1024;
function sample(step) {
  if (typeof global.gc === 'function') { global.gc(); global.gc(); }
  const m = process.memoryUsage();
  return { step, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, t: performance.now() };
}
const fmt = (b) => `${(b / MB).toFixed(1)} MB`;

/**
 * Runs `steps` steps of `stepFn`, checkpointing every `every` steps through
 * `checkpoint()`, sampling memory `samples` times. Returns the samples and
 * the growth after warm-up.
 */
async function soak(name, steps, o, stepFn, checkpoint) {
  const samples = [];
  const sampleEvery = Math.max(1, Math.floor(steps / o.samples));
  const t0 = performance.now();
  let lastLoss = NaN;
  samples.push(sample(0));
  for (let step = 1; step <= steps; step++) {
    lastLoss = stepFn(step);
    if (step % o.every === 0) await checkpoint(step);
    if (step % sampleEvery === 0 || step === steps) samples.push(sample(step));
  }
  const seconds = (performance.now() - t0) / 1000;
  // Baseline: the first sample at or after the warm-up; end: the mean of the last
  // quarter of the samples (at least one), so one GC-timing outlier does not decide.
  const warmStep = Math.floor(steps * o.warmup);
  const base = samples.find((s) => s.step >= warmStep && s.step > 0) || samples[samples.length - 1];
  const after = samples.filter((s) => s.step > base.step);
  const tail = after.slice(-Math.max(1, Math.floor(after.length / 4)));
  const mean = (k) => (tail.length ? tail.reduce((a, s) => a + s[k], 0) / tail.length : base[k]);
  const growth = (k) => (base[k] > 0 ? (mean(k) / base[k] - 1) * 100 : 0);
  const max = (k) => Math.max(...samples.map((s) => s[k]));
  const result = {
    name, steps, seconds, stepsPerSecond: steps / seconds, lastLoss,
    baseStep: base.step,
    rss: { start: samples[0].rss, base: base.rss, end: mean('rss'), max: max('rss'), growthPercent: growth('rss') },
    heapUsed: { base: base.heapUsed, end: mean('heapUsed'), max: max('heapUsed'), growthPercent: growth('heapUsed') },
    arrayBuffers: { base: base.arrayBuffers, end: mean('arrayBuffers'), max: max('arrayBuffers'), growthPercent: growth('arrayBuffers') },
    external: { base: base.external, end: mean('external'), growthPercent: growth('external') },
    samples: samples.map((s) => ({ step: s.step, rss: s.rss, heapUsed: s.heapUsed, arrayBuffers: s.arrayBuffers, external: s.external })),
  };
  console.log(`soak ${name}: ${steps} steps in ${seconds.toFixed(1)} s (${result.stepsPerSecond.toFixed(0)} steps/s), final loss ${lastLoss.toFixed(5)}`);
  console.log(`  RSS           start ${fmt(result.rss.start)}, after warm-up (step ${base.step}) ${fmt(result.rss.base)}, ` +
    `end ${fmt(result.rss.end)}, max ${fmt(result.rss.max)}: ${result.rss.growthPercent >= 0 ? '+' : ''}${result.rss.growthPercent.toFixed(2)}%`);
  console.log(`  heapUsed      ${fmt(result.heapUsed.base)} → ${fmt(result.heapUsed.end)} (${result.heapUsed.growthPercent.toFixed(2)}%)`);
  console.log(`  arrayBuffers  ${fmt(result.arrayBuffers.base)} → ${fmt(result.arrayBuffers.end)} (${result.arrayBuffers.growthPercent.toFixed(2)}%)`);
  console.log(`  external      ${fmt(result.external.base)} → ${fmt(result.external.end)} (${result.external.growthPercent.toFixed(2)}%)`);
  return result;
}

async function xorSoak(o, dir) {
  const { nn, optim } = torch;
  torch.manualSeed(0);
  const x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = torch.tensor([[0], [1], [1], [0]]);
  const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1), new nn.Sigmoid());
  const lossFn = new nn.BCELoss();
  const opt = new optim.SGD(model.parameters(), { lr: 1, momentum: 0.9 });
  const file = path.join(dir, 'xor.safetensors');
  const r = await soak('XOR 2-8-1', o.xor, o, () => {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  }, async (step) => {
    await torch.saveCheckpoint(file, { model, optimizer: opt, extra: { step } });
    const ck = await torch.loadCheckpoint(file, { model, optimizer: opt });
    if (ck.extra.step !== step) throw new Error(`soak: checkpoint says step ${ck.extra.step}, expected ${step}`);
  });
  const out = torch.noGrad(() => model.forward(x)).toArray().map((row) => (row[0] >= 0.5 ? 1 : 0));
  r.solved = out.join('') === '0110';
  console.log(`  XOR truth table ${out.join('')} (${r.solved ? 'solved' : 'NOT solved'})`);
  return r;
}

async function mnistSoak(o, dir) {
  const { nn, optim, data } = torch;
  torch.manualSeed(1);
  const { images, labels } = data.datasets.mnist();
  const xs = images.sub(0.1307).div(0.3081);
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = new data.DataLoader(new data.TensorDataset(xs, labels), { batchSize: 64, shuffle: true, dropLast: true, generator: new torch.Generator(2) });
  let it = loader[Symbol.iterator]();
  const file = path.join(dir, 'mnist.safetensors');
  return soak('MNIST 784-128-10', o.mnist, o, () => {
    let nx = it.next();
    if (nx.done) { it = loader[Symbol.iterator](); nx = it.next(); }
    const [xb, yb] = nx.value;
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(xb), yb);
    loss.backward();
    opt.step();
    return loss.item();
  }, async (step) => {
    await torch.saveCheckpoint(file, { model, optimizer: opt, extra: { step } });
    await torch.loadCheckpoint(file, { model, optimizer: opt });
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-soak-'));
  console.log(`soak: backend ${torch.getBackend()}, ${o.xor} XOR steps, ${o.mnist} MNIST steps, checkpoint every ${o.every}, ` +
    `warm-up ${(o.warmup * 100).toFixed(0)}%, bar ${o.bar}%${typeof global.gc === 'function' ? '' : ' (no --expose-gc: noisier)'}`);
  const results = [];
  try {
    if (o.xor > 0) results.push(await xorSoak(o, dir));
    if (o.mnist > 0) results.push(await mnistSoak(o, dir));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (o.json) fs.writeFileSync(o.json, JSON.stringify({ options: o, results }, null, 2));
  const bad = [];
  for (const r of results) {
    if (r.rss.growthPercent > o.bar) bad.push(`${r.name}: RSS grew ${r.rss.growthPercent.toFixed(2)}% after warm-up`);
    if (r.arrayBuffers.growthPercent > o.bar && r.arrayBuffers.end - r.arrayBuffers.base > MB) {
      bad.push(`${r.name}: arrayBuffers grew ${r.arrayBuffers.growthPercent.toFixed(2)}% after warm-up`);
    }
    if (!Number.isFinite(r.lastLoss)) bad.push(`${r.name}: loss is ${r.lastLoss}`);
    if (r.solved === false) bad.push(`${r.name}: XOR not solved`);
  }
  for (const b of bad) console.log(`soak: FAIL ${b}`);
  console.log(bad.length ? 'soak: FAILED' : `soak: OK (growth after warm-up below ${o.bar}%)`);
  process.exitCode = bad.length ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exitCode = 2; });
