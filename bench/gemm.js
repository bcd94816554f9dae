// bench/gemm: float32 square matmul, N = 128…2048, through torch.matmul on the
// native and js backends, beside raw cblas_sgemm (the addon's cblasSgemm) on
// the very same buffers in the same process.
//
//   npm run build && node bench/gemm.js
//
// Each trial times raw sgemm, native matmul and (N ≤ 512) js matmul back to
// back, in an order that rotates from trial to trial, so machine noise and
// clock drift hit all of them alike. Columns are medians over the trials;
// ratios are medians of the per-trial ratios (paired, same trial).
// Bar: native matmul ≥ 0.9 × raw sgemm for N ≥ 256 (PASS/MISS is printed;
// a miss does not change the exit code).
'use strict';
const torch = require('..');
const { loadAddon } = require('../dist/backend/native');
const { writeResults, environment, median, since } = require('./results');

const SIZES = [128, 256, 512, 1024, 2048];
const JS_MAX_N = 512;          // the js backend takes seconds per product above this
const BAR = 0.9;               // native / raw, for N ≥ BAR_MIN_N
const BAR_MIN_N = 256;
const RAW_GAP_MS = 200;        // after each raw-sgemm sample: OpenBLAS's threads stop spinning
const QUIET = new Int32Array(new SharedArrayBuffer(4));
const TARGET_FLOP = 1e9;       // work per timed sample on native/raw (≈ 4–10 ms): short, so paired samples see the same noise
const TARGET_FLOP_JS = 2e8;    // work per timed sample on js

const addon = loadAddon();
torch.setBackend('native');
torch.manualSeed(0);

/** Seconds per call of fn, averaged over `reps` back-to-back calls. */
function timeIt(fn, reps) {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) fn();
  return since(t0) / reps;
}

const fmt = (x, d = 1) => (x === null ? '—' : x.toFixed(d));

function benchSize(N) {
  const flop = 2 * N * N * N;
  const A = torch.randn(N, N);
  const B = torch.randn(N, N);
  const C = new Float32Array(N * N);
  const runJs = N <= JS_MAX_N;
  const reps = Math.max(1, Math.round(TARGET_FLOP / flop));
  const repsJs = Math.max(1, Math.round(TARGET_FLOP_JS / flop));
  const trials = N >= 2048 ? 7 : N >= 1024 ? 11 : 15;

  let sink = 0;
  const raw = () => { addon.cblasSgemm(N, N, N, A.data, B.data, C); };
  const nat = () => { torch.setBackend('native'); sink += torch.matmul(A, B).data[0]; };
  const js = () => { torch.setBackend('js'); sink += torch.matmul(A, B).data[0]; torch.setBackend('native'); };

  // Warm-up: JIT, OpenBLAS thread pool, page faults of fresh buffers. matmul
  // allocates its output on every call, and until V8's GC has freed earlier
  // outputs for glibc to hand back, each one page-faults in (at 1024², 18 ms
  // a call instead of 11, for about the first six calls): at least 12 calls
  // and 0.3 s, so the trials see the steady state a training loop runs in.
  const warmUntil = process.hrtime.bigint() + 300_000_000n;
  for (let i = 0; i < 12 || process.hrtime.bigint() < warmUntil; i++) { raw(); nat(); }
  if (runJs) js();

  // Same answer? (native matmul vs raw sgemm, same inputs)
  raw();
  const out = torch.matmul(A, B).data;
  let maxDiff = 0;
  for (let i = 0; i < C.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - C[i]));

  const cases = [['raw', raw, reps], ['native', nat, reps]];
  if (runJs) cases.push(['js', js, repsJs]);
  const t = { raw: [], native: [], js: [] };
  for (let trial = 0; trial < trials; trial++) {
    for (let j = 0; j < cases.length; j++) {
      const [name, fn, r] = cases[(trial + j) % cases.length];
      t[name].push(timeIt(fn, r));
      // Raw sgemm runs on OpenBLAS's threads, which spin ~128 ms after a call
      // (torchlet's own pool runs OpenBLAS single-threaded): let them sleep
      // before the next case, or native matmul's helper shares a core with one.
      if (name === 'raw') Atomics.wait(QUIET, 0, 0, RAW_GAP_MS);
    }
  }
  const gf = (s) => flop / s / 1e9;
  const row = {
    N, trials, reps, repsJs: runJs ? repsJs : null,
    rawGflops: gf(median(t.raw)),
    nativeGflops: gf(median(t.native)),
    nativeOverRaw: median(t.raw.map((r, i) => r / t.native[i])),
    jsGflops: runJs ? gf(median(t.js)) : null,
    nativeOverJs: runJs ? median(t.js.map((j, i) => j / t.native[i])) : null,
    maxAbsDiff: maxDiff,
    seconds: { raw: t.raw, native: t.native, js: runJs ? t.js : null },
  };
  if (!Number.isFinite(sink)) console.log('(sink)', sink);
  return row;
}

function main() {
  const start = process.hrtime.bigint();
  const info = addon.blasInfo();
  const env = environment();
  console.log('# bench/gemm — float32 C = A·B, square N×N, GFLOP/s = 2N³ / t');
  console.log(`node ${env.node}; ${env.cpus} CPUs (${env.cpu}); loadavg ${env.loadavg.join(' ')}`);
  console.log(`torch.getNumThreads() = ${torch.getNumThreads()}; OPENBLAS_CORETYPE=${env.OPENBLAS_CORETYPE ?? '(unset)'}; OPENBLAS_NUM_THREADS=${env.OPENBLAS_NUM_THREADS ?? '(unset)'}`);
  console.log(`OpenBLAS: ${info.config ?? '?'} (core ${info.corename ?? '?'}, ${info.numThreads} threads)`);
  console.log(`js backend only for N ≤ ${JS_MAX_N} ('—' above: seconds per product). Columns: medians; ratios: medians of paired per-trial ratios.`);
  console.log('');
  console.log('| N | raw sgemm GFLOP/s | native matmul GFLOP/s | native/raw | js GFLOP/s | native/js |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  const rows = [];
  for (const N of SIZES) {
    const r = benchSize(N);
    rows.push(r);
    console.log(`| ${N} | ${fmt(r.rawGflops)} | ${fmt(r.nativeGflops)} | ${fmt(r.nativeOverRaw, 3)} | ${fmt(r.jsGflops, 2)} | ${r.nativeOverJs === null ? '—' : fmt(r.nativeOverJs, 0) + '×'} |`);
  }
  console.log('');
  const barRows = rows.filter((r) => r.N >= BAR_MIN_N);
  const pass = barRows.every((r) => r.nativeOverRaw >= BAR);
  const worst = barRows.reduce((a, b) => (b.nativeOverRaw < a.nativeOverRaw ? b : a));
  console.log(`bar: native matmul ≥ ${BAR}× raw sgemm for N ≥ ${BAR_MIN_N}: ${pass ? 'PASS' : 'MISS'} (lowest ${worst.nativeOverRaw.toFixed(3)} at N = ${worst.N})`);
  console.log(`max |matmul − sgemm| over the outputs: ${Math.max(...rows.map((r) => r.maxAbsDiff))}`);
  const secs = since(start);
  console.log(`took ${secs.toFixed(1)} s`);
  const file = writeResults('gemm', {
    env, threads: torch.getNumThreads(), blas: info, bar: { ratio: BAR, minN: BAR_MIN_N, pass },
    rows, seconds: secs,
  });
  console.log(`wrote ${file} (key "gemm")`);
}

main();
