// bench/run-all: `npm run bench` — runs the four benchmarks one after the
// other, each in its own process (their own tables stream through), then
// prints one combined summary table from what they merged into
// bench/results.json during this run.
//
//   npm run bench            # = npm run build && node bench/run-all.js
//   node bench/run-all.js    # after npm run build
//
//   W1      bench/gemm.js      float32 N×N matmul, N = 128…2048
//   tiny op bench/overhead.js  fixed cost of a 4-element add, one chain link
//   W2–W7   bench/train.js     training steps beside PyTorch and TensorFlow.js
//   memory  bench/memory.js    RSS over 10,000 W2 steps (batch 128)
//
// Every time in the summary is a median over interleaved trials; every ratio
// is torchlet native time / other time (< 1: torchlet native is faster), the
// median of per-trial ratios taken in the same process run (see
// bench/README.md). Exit code 0 unless a benchmark crashed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { environment, since, FILE } = require('./results');

// PyTorch 1.13 on the 2-vCPU development VM when quiet (1 intra-op thread, OpenBLAS
// on 2; ms or µs per step), printed beside this run's own PyTorch column.
const QUIET_REF = {
  'W2-b32': '0.77 ms', 'W2-b128': '1.95 ms', 'W2-b512': '6.6 ms', W3: '70 µs', W4: '57 µs', W5: '3–9 ms',
  // W6–W7: the ranges issue 14 measured on this VM (oneDNN; W6 with 2 threads).
  W6: '3.2–4.0 ms', W7: '34–68 ms',
};

// The bars of the convolutional networks (issue 14), checked on this run's ratios:
// [peer, the largest native/peer ratio that meets the bar].
const BARS = { W6: [['pytorch', 0.8]], W7: [['pytorch', 1.0], ['js', 1 / 30]] };

const start = process.hrtime.bigint();
const startDate = new Date();
const env0 = environment();
const failed = [];
for (const script of ['gemm.js', 'overhead.js', 'train.js', 'memory.js']) {
  console.log(`\n=== node bench/${script} ===\n`);
  const r = spawnSync(process.execPath, [path.join(__dirname, script)], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(`${script} (exit ${r.status ?? r.signal})`);
}

let all = {};
try { all = JSON.parse(fs.readFileSync(FILE, 'utf8')); } catch { /* none */ }
/** A section of results.json, only if written during this run. */
const fresh = (key) => (all[key] && all[key].env && new Date(all[key].env.date) >= startDate ? all[key] : null);
const gemm = fresh('gemm');
const overhead = fresh('overhead');
const train = fresh('train');
const memory = fresh('memory');

const PEERS = [
  { id: 'js', label: 'torchlet js' },
  { id: 'pytorch', label: 'PyTorch' },
  { id: 'tfjs-cpu', label: 'tfjs cpu' },
  { id: 'tfjs-wasm', label: 'tfjs wasm' },
];
const num = (v, unitScale) => {
  if (v == null || !Number.isFinite(v)) return '—';
  const x = v * unitScale;
  return x >= 1000 ? x.toFixed(0) : x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3);
};
const ratio = (x) => (x == null || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3));
const rate = (x) => (x == null ? '—' : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

const lines = [];
const out = (s = '') => lines.push(s);
out(`| workload | unit | torchlet native | ${PEERS.map((p) => p.label).join(' | ')} | ${PEERS.map((p) => `native/${p.id}`).join(' | ')} | notes |`);
out(`|---|---|---:|${PEERS.map(() => '---:').join('|')}|${PEERS.map(() => '---:').join('|')}|---|`);
const row = (name, unit, native, peers, ratios, note) =>
  out(`| ${name} | ${unit} | ${native} | ${peers.join(' | ')} | ${ratios.join(' | ')} | ${note} |`);
const dash = PEERS.map(() => '—');

// W1: gemm (time per matmul from GFLOP/s; peers not run: W1 is against raw sgemm).
if (gemm) {
  for (const r of gemm.rows) {
    const ms = (gf) => (gf == null ? null : (2 * r.N ** 3) / (gf * 1e9));
    row(`W1 GEMM f32 ${r.N}×${r.N}`, 'ms/matmul', num(ms(r.nativeGflops), 1e3),
      [num(ms(r.jsGflops), 1e3), '—', '—', '—'],
      [r.nativeOverJs ? ratio(1 / r.nativeOverJs) : '—', '—', '—', '—'],
      `${r.nativeGflops.toFixed(1)} GFLOP/s; raw sgemm ${r.rawGflops.toFixed(1)}; native/raw speed ${r.nativeOverRaw.toFixed(3)}`);
  }
} else {
  row('W1 GEMM', '—', '—', dash, dash, 'gemm.js did not write results in this run');
}

// Tiny-op overhead (no peers).
if (overhead) {
  const byId = Object.fromEntries(overhead.rows.map((r) => [r.id, r]));
  const pair = (nid, jid, label) => {
    const n = byId[nid]; const j = byId[jid];
    if (!n) return;
    row(label, 'µs/op', num(n.usPerOp, 1), [j ? num(j.usPerOp, 1) : '—', '—', '—', '—'],
      [j ? ratio(n.usPerOp / j.usPerOp) : '—', '—', '—', '—'], n.bar ? `bar ≤ 2 µs: ${n.bar}` : '');
  };
  pair('nativeAdd', 'jsAdd', 'tiny op: add of 4-element tensors, no grad');
  pair('nativeAddGrad', 'jsAddGrad', 'tiny op: same, input requires grad');
  pair('nativeChain', 'jsChain', 'tiny op: 1 link of a 100k chain, fwd+bwd');
} else {
  row('tiny-op overhead', '—', '—', dash, dash, 'overhead.js did not write results in this run');
}

// W2–W7: training steps.
if (train) {
  for (const r of train.rows) {
    const scale = r.unit === 'us' ? 1e6 : 1e3;
    const res = r.results;
    const med = (id) => (res[id] && !res[id].error ? res[id].median : null);
    const nat = med('native');
    const notes = [];
    if (r.group === 'W2') notes.push(`samples/s: native ${rate(nat ? r.batch / nat : null)}, PyTorch ${rate(med('pytorch') ? r.batch / med('pytorch') : null)}`);
    if (QUIET_REF[r.id]) notes.push(`PyTorch on a quiet VM ${QUIET_REF[r.id]}`);
    for (const [peer, max] of BARS[r.id] ?? []) {
      const x = res[peer] && !res[peer].error ? res[peer].nativeOverThis : null;
      const bar = peer === 'js' ? `native ≥ ${Math.round(1 / max)}× js` : `≤ ${max.toFixed(1)}× ${peer}`;
      notes.push(`bar ${bar}: ${x == null ? 'not measured' : x <= max ? 'met' : 'missed'}`);
    }
    row(r.title, r.unit === 'us' ? 'µs/step' : 'ms/step', num(nat, scale),
      PEERS.map((p) => num(med(p.id), scale)),
      PEERS.map((p) => ratio(res[p.id] && !res[p.id].error ? res[p.id].nativeOverThis : null)),
      notes.join('; '));
  }
} else {
  row('W2–W7 training', '—', '—', dash, dash, 'train.js did not write results in this run');
}

const env1 = environment();
console.log('\n=== summary (npm run bench) ===\n');
console.log(`node ${env0.node}; ${env0.cpus} CPUs (${env0.cpu}); loadavg at start ${env0.loadavg.join(' ')}, at end ${env1.loadavg.join(' ')}`);
if (gemm) console.log(`torchlet native: ${gemm.blas.config ?? "OpenBLAS ?"} (core ${gemm.blas.corename ?? '?'}), ${gemm.threads} threads${train ? `; fusion ${train.fusion}` : ''}`);
if (train) {
  for (const i of train.impls) {
    if (i.id === 'native') continue;
    if (!i.available) { console.log(`${i.label}: — ${i.reason}`); continue; }
    if (i.id === 'js') console.log('torchlet js: pure TypeScript kernels, 1 thread');
    else if (i.id === 'pytorch') console.log(`PyTorch ${i.info.torch} (CPU, ${i.info.executable}): ${i.info.intraOpThreads} intra-op thread, ${i.info.interOpThreads} inter-op, OPENBLAS_NUM_THREADS=${i.info.OPENBLAS_NUM_THREADS}`);
    else console.log(`${i.label}: @tensorflow/tfjs ${i.info.tfjs}, backend ${i.info.backend}, ${i.info.threads ?? '?'} thread`);
  }
}
if (memory) {
  const base = memory.samples.find((x) => x.step === 100);
  const last = memory.samples[memory.samples.length - 1];
  console.log(`memory: ${memory.workload}, ${memory.steps} steps: RSS ${base.rssMB.toFixed(1)} MB after step 100 → ${last.rssMB.toFixed(1)} MB ` +
    `(${(100 * memory.growth).toFixed(1)}%; bar < 5%: ${memory.bar})`);
}
console.log('Times are medians; native/X = median of per-trial time ratios (< 1: torchlet native faster). — = not run / not available (reason above or in notes).');
console.log('');
for (const l of lines) console.log(l);
if (failed.length) console.log(`\nfailed: ${failed.join(', ')}`);
console.log(`\ntook ${since(start).toFixed(1)} s; details (every sample) in ${path.relative(process.cwd(), FILE)}`);
if (failed.length) process.exitCode = 1;
