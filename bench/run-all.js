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
//   W2–W8   bench/train.js     training steps beside PyTorch 1.13, 2.x and TensorFlow.js
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
const { formatBar } = require('./bars');

// PyTorch on the 2-vCPU development VM when quiet (W2–W5: 1.13 with 1 intra-op
// thread, OpenBLAS on 2; ms or µs per step), printed beside this run's own
// PyTorch columns.
const QUIET_REF = {
  'W2-b32': '0.77 ms', 'W2-b128': '1.95 ms', 'W2-b512': '6.6 ms', W3: '70 µs', W4: '57 µs', W5: '3–9 ms',
  // W6–W8: the ranges issues 14 and 15 measured on this VM (oneDNN; W6 with 2 threads).
  W6: '3.2–4.0 ms (1.13 and 2.13)', W7: '1.13 34–68 ms, 2.13 27–46 ms', W8: '1.13 9–13 ms, 2.13 3.3–5.0 ms',
};

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

// The columns; the PyTorch ones are named by the version train.js found.
const PEERS = [
  { id: 'js', label: 'torchlet js' },
  { id: 'pytorch', label: 'PyTorch 1.13' },
  { id: 'pytorch2', label: 'PyTorch 2.x' },
  { id: 'tfjs-cpu', label: 'tfjs cpu' },
  { id: 'tfjs-wasm', label: 'tfjs wasm' },
].map((p) => ({ ...p, label: train?.impls.find((i) => i.id === p.id)?.label ?? p.label }));
const labelOf = (id) => PEERS.find((p) => p.id === id)?.label ?? id;
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
/** The cells of a row only torchlet js is compared in. */
const jsOnly = (v) => [v, ...dash.slice(1)];

// W1: gemm (time per matmul from GFLOP/s; peers not run: W1 is against raw sgemm).
if (gemm) {
  for (const r of gemm.rows) {
    const ms = (gf) => (gf == null ? null : (2 * r.N ** 3) / (gf * 1e9));
    row(`W1 GEMM f32 ${r.N}×${r.N}`, 'ms/matmul', num(ms(r.nativeGflops), 1e3),
      jsOnly(num(ms(r.jsGflops), 1e3)),
      jsOnly(r.nativeOverJs ? ratio(1 / r.nativeOverJs) : '—'),
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
    row(label, 'µs/op', num(n.usPerOp, 1), jsOnly(j ? num(j.usPerOp, 1) : '—'),
      jsOnly(j ? ratio(n.usPerOp / j.usPerOp) : '—'), n.bar ? `bar ≤ 2 µs: ${n.bar}` : '');
  };
  pair('nativeAdd', 'jsAdd', 'tiny op: add of 4-element tensors, no grad');
  pair('nativeAddGrad', 'jsAddGrad', 'tiny op: same, input requires grad');
  pair('nativeChain', 'jsChain', 'tiny op: 1 link of a 100k chain, fwd+bwd');
} else {
  row('tiny-op overhead', '—', '—', dash, dash, 'overhead.js did not write results in this run');
}

// W2–W8: training steps.
if (train) {
  for (const r of train.rows) {
    const scale = r.unit === 'us' ? 1e6 : 1e3;
    const res = r.results;
    const med = (id) => (res[id] && !res[id].error ? res[id].median : null);
    const nat = med('native');
    const notes = [];
    const rateOf = (id) => rate(med(id) ? r.batch / med(id) : null);
    if (r.group === 'W2') notes.push(`samples/s: native ${rateOf('native')}, ${labelOf('pytorch')} ${rateOf('pytorch')}, ${labelOf('pytorch2')} ${rateOf('pytorch2')}`);
    if (QUIET_REF[r.id]) notes.push(`PyTorch on a quiet VM ${QUIET_REF[r.id]}`);
    for (const b of r.bars ?? []) notes.push(formatBar(b, labelOf));
    row(r.title, r.unit === 'us' ? 'µs/step' : 'ms/step', num(nat, scale),
      PEERS.map((p) => num(med(p.id), scale)),
      PEERS.map((p) => ratio(res[p.id] && !res[p.id].error ? res[p.id].nativeOverThis : null)),
      notes.join('; '));
  }
} else {
  row('W2–W8 training', '—', '—', dash, dash, 'train.js did not write results in this run');
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
    else if (i.id === 'pytorch' || i.id === 'pytorch2') {
      const threads = Object.entries(train.torchChoices ?? {}).map(([kind, chosen]) => `${kind} ${chosen[i.id] ?? '—'}`).join(', ');
      console.log(`${i.label}: torch ${i.info.torch} (CPU, ${i.info.executable}, BLAS ${i.info.blas}, oneDNN ${i.info.mkldnn ? 'on' : 'off'}); threads intra-op:OpenBLAS per kind of workload ${threads || `${i.info.intraOpThreads}:${i.info.OPENBLAS_NUM_THREADS}`}`);
    }
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
