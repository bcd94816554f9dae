// bench/simd: torchlet's vectorised float32 kernels at each SIMD level the
// CPU offers, against the portable (baseline SSE2 / NEON) build of the same
// kernels, in one run.
//
//   npm run build && node bench/simd.js
//   TORCHLET_BENCH_BEFORE=/path/to/old/torchlet.node node bench/simd.js   # also an older addon
//
// Each configuration runs in its own child process (TORCHLET_SIMD is read once,
// when the addon loads); the child reports the level the addon dispatched to
// (blasInfo().simd) and the median time of each case. Ratios are
// portable-time / level-time (> 1: faster than the portable path).
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { median } = require('./results');

const CASES = [
  'tanh 64k', 'sigmoid 64k', 'exp 64k', 'relu 64k',
  'linear 512x64->512 tanh', 'linear 512x64->512 sigmoid', 'linear 128x784->512 tanh',
  'softmax 512x1000', 'logSoftmax 512x1000', 'softmax 4096x10',
  'CE fwd+bwd 512x1000',
  'MLP step 784-512-10 tanh b128', 'MLP step 2-200-3 tanh b8000',
];

/** Median ms per call of fn over several batches of calls. */
function time(fn, minMs = 100) {
  for (let i = 0; i < 5; i++) fn();
  let reps = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > 20) break;
    reps *= 2;
  }
  const samples = [];
  const end = Date.now() + minMs;
  do {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6 / reps);
  } while (Date.now() < end || samples.length < 7);
  return median(samples);
}

function child() {
  process.env.OPENBLAS_NUM_THREADS = process.env.OPENBLAS_NUM_THREADS || '1';
  const torch = require('..');
  const { loadNativeKernels, loadAddon } = require('../dist/backend/native');
  const k = loadNativeKernels();
  const level = loadAddon().blasInfo().simd;
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  const f32 = (n, lo = -4, hi = 4) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rnd(); return a; };
  const out = {};
  const N = 65536;
  const x = f32(N);
  const y = new Float32Array(N);
  out['tanh 64k'] = time(() => k.tanh(x, y));
  out['sigmoid 64k'] = time(() => k.sigmoid(x, y));
  out['exp 64k'] = time(() => k.exp(x, y));
  out['relu 64k'] = time(() => k.relu(x, y));
  const lin = (rows, inF, outF, act) => {
    const a = f32(rows * inF, -1, 1);
    const w = f32(outF * inF, -0.2, 0.2);
    const b = f32(outF, -0.1, 0.1);
    const o = new Float32Array(rows * outF);
    return time(() => k.linearForward(a, w, b, rows, inF, outF, act, 0, o));
  };
  out['linear 512x64->512 tanh'] = lin(512, 64, 512, 4);
  out['linear 512x64->512 sigmoid'] = lin(512, 64, 512, 3);
  out['linear 128x784->512 tanh'] = lin(128, 784, 512, 4);
  const sm = (fn, rows, dim) => { const a = f32(rows * dim); const o = new Float32Array(rows * dim); return time(() => k[fn](a, rows, dim, 1, o)); };
  out['softmax 512x1000'] = sm('softmax', 512, 1000);
  out['logSoftmax 512x1000'] = sm('logSoftmax', 512, 1000);
  out['softmax 4096x10'] = sm('softmax', 4096, 10);
  {
    const n = 512, c = 1000;
    const a = f32(n * c);
    const t = new Int32Array(n).map(() => Math.floor(rnd() * c));
    const l = new Float32Array(1), d = new Float32Array(n * c);
    out['CE fwd+bwd 512x1000'] = time(() => {
      k.softmaxCrossEntropy(a, t, null, n, c, -100, 1, l);
      k.softmaxCrossEntropyBackward(a, t, null, n, c, -100, 1, Float32Array.of(1), d);
    });
  }
  const mlp = (sizes, batch) => {
    torch.setBackend('native');
    torch.manualSeed(0);
    const { nn, optim } = torch;
    const model = new nn.Sequential(new nn.Linear(sizes[0], sizes[1]), new nn.Tanh(), new nn.Linear(sizes[1], sizes[2]));
    const lossFn = new nn.CrossEntropyLoss();
    const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const xb = torch.tensor(f32(batch * sizes[0], 0, 1)).reshape(batch, sizes[0]);
    const yb = torch.tensor(new Int32Array(batch).map(() => Math.floor(rnd() * sizes[2])), { dtype: 'int32' });
    return time(() => {
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(xb), yb);
      loss.backward();
      opt.step();
    }, 400);
  };
  out['MLP step 784-512-10 tanh b128'] = mlp([784, 512, 10], 128);
  out['MLP step 2-200-3 tanh b8000'] = mlp([2, 200, 3], 8000);
  process.stdout.write(JSON.stringify({ level, out }));
}

function run(label, env) {
  const r = spawnSync(process.execPath, [__filename, '--child'], {
    env: { ...process.env, ...env }, encoding: 'utf8', cwd: path.join(__dirname, '..'),
  });
  if (r.status !== 0) throw new Error(`${label}: child failed\n${r.stderr}`);
  return { label, ...JSON.parse(r.stdout) };
}

function main() {
  // Several rounds, the configurations in a rotating order within each; per
  // case the best (lowest) median over the rounds, which is what a busy
  // machine distorts least.
  const rounds = Number(process.env.TORCHLET_BENCH_ROUNDS || 5);
  const configs = [];
  if (process.env.TORCHLET_BENCH_BEFORE) {
    configs.push(['before', { TORCHLET_ADDON_PATH: path.resolve(process.env.TORCHLET_BENCH_BEFORE), TORCHLET_SIMD: '' }]);
  }
  configs.push(['portable', { TORCHLET_SIMD: 'portable' }]);
  configs.push(['avx2', { TORCHLET_SIMD: 'avx2' }]);
  configs.push(['avx512', { TORCHLET_SIMD: 'avx512' }]);
  const best = new Map();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < configs.length; i++) {
      const [label, env] = configs[(i + round) % configs.length];
      const r = run(label, env);
      const prev = best.get(label);
      if (!prev) best.set(label, r);
      else for (const c of CASES) prev.out[c] = Math.min(prev.out[c], r.out[c]);
    }
  }
  // a level the CPU lacks falls back to a lower one: show each level once
  const results = [];
  const seen = new Set();
  for (const [label] of configs) {
    const r = best.get(label);
    if (label !== 'before') {
      if (seen.has(r.level)) continue;
      seen.add(r.level);
    }
    results.push(r);
  }
  const base = results.find((r) => r.label === 'portable');
  const others = results.filter((r) => r !== base);
  const head = ['case'.padEnd(32), ...results.map((r) => `${r.label}[${r.level}]`.padStart(18)), ...others.map((r) => `×${r.label}`.padStart(9))];
  console.log(`ms per call, best of ${rounds} rounds (OPENBLAS_NUM_THREADS=${process.env.OPENBLAS_NUM_THREADS || 1})`);
  console.log(head.join(' '));
  for (const c of CASES) {
    const row = [c.padEnd(32), ...results.map((r) => r.out[c].toFixed(4).padStart(18))];
    for (const r of others) row.push((base.out[c] / r.out[c]).toFixed(2).padStart(9));
    console.log(row.join(' '));
  }
  console.log('×label = portable time / that time (> 1: faster than the portable path)');
  if (best.has('before')) console.log('before: the addon at TORCHLET_BENCH_BEFORE (libm loops, no dispatch)');
}

if (process.argv.includes('--child')) child();
else main();
