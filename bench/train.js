// bench/train: training steps W2–W7 (bench/workloads.js) on torchlet's native
// and js backends, beside PyTorch (CPU) and TensorFlow.js (CPU and WASM
// backends) running the very same workloads on the very same data in the same
// run.
//
//   npm run build && node bench/train.js
//   node bench/train.js --only W2-b128,W5       # a subset
//   node bench/train.js --torch-configs         # PyTorch under 4 thread configs, beside native
//
// torchlet runs in this process; each peer is a long-lived child process
// (bench/peers/pytorch_train.py under /usr/bin/python3, bench/peers/tfjs_train.js
// once per tfjs backend) that builds the model at `setup` and times `n` steps
// on request, itself, around the steps only. Per workload:
//   1. setup everywhere (data cut into batches once, model, optimizer);
//   2. warm-up and calibration per implementation: run 1, 2, 4, … steps until
//      WARMUP_S and MIN_WARM_STEPS have been spent and the time per step has
//      settled (the last batch not > 20% faster per step than the one
//      before), at most WARMUP_MAX_S; tfjs needs thousands of steps before
//      its JIT-compiled paths settle (10–30× faster than its first steps); a trial is then as many steps as fill TRIAL_S (at
//      least 1);
//   3. TRIALS trials; each trial runs every implementation once, in an order
//      that rotates from trial to trial, so drift and neighbours hit everybody
//      alike. A slow implementation (js at batch 512, tfjs cpu on W2) stops
//      after MIN_TRIALS once it has spent BUDGET_S on the workload. After a
//      trial of an implementation whose BLAS runs threads (torchlet native,
//      PyTorch), GAP_MS of quiet lets those threads stop spinning
//      (OpenBLAS's worker threads busy-wait a while after each call) before
//      the next implementation starts.
// Columns are medians of time per step; a ratio is the median of the
// per-trial ratios torchlet-native-time / other-time (< 1: torchlet native
// faster), paired within a trial. Results (every sample) are merged into
// bench/results.json under "train" (or "trainTorchConfigs").
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const torch = require('..');
const { WORKLOADS, makeData, dataKey, flopsPerStep } = require('./workloads');
const { buildTorchletWorkload } = require('./torchlet-workload');
const { writeResults, environment, median, since } = require('./results');

const WARMUP_S = 0.3;      // warm-up time per implementation and workload, at least…
const WARMUP_MAX_S = 2;    // …at most (tfjs keeps speeding up for thousands of tiny steps)
const MIN_WARM_STEPS = 500; // and at least this many steps unless WARMUP_MAX_S or slow (≥ 0.5 s) batches end it
const TRIAL_S = 0.25;      // target length of one trial (longer trials average over scheduler slices)
const TRIALS = 7;          // trials per workload (interleaved)
const MIN_TRIALS = 3;      // a slow implementation still gets this many
const BUDGET_S = 4;        // …and no new trial once it has spent this much on the workload
// OpenBLAS's threads spin 2^28 TSC cycles after a call (THREAD_TIMEOUT 28): 128 ms at this
// machine's 2.1 GHz TSC. A gap shorter than that bills PyTorch's spinning to whoever runs next.
const GAP_MS = 200;        // quiet after a trial of a BLAS-threaded implementation
const PYTHON = process.env.TORCHLET_BENCH_PYTHON || '/usr/bin/python3'; // Debian's, with python3-torch
// PyTorch's thread configuration "intra:openblas" (torch.set_num_threads and
// OPENBLAS_NUM_THREADS). Unless TORCHLET_BENCH_TORCH_THREADS fixes one, each
// run measures the two candidates — 1 intra-op thread with OpenBLAS on 2
// threads (fastest on a quiet machine) and on 1 thread (fastest when the
// machine is oversubscribed) — on W2 batch 128, PROBE_TRIALS interleaved
// trials, and keeps the faster for the whole run. 2 intra-op threads lose
// by 5–20× here (see bench/README.md, `--torch-configs`).
const TORCH_CONFIG = process.env.TORCHLET_BENCH_TORCH_THREADS || null;
const TORCH_CANDIDATES = ['1:2', '1:1'];
const PROBE_WORKLOAD = 'W2-b128';
// For W6–W7, also 2 intra-op threads: oneDNN's convolutions split over them.
const TORCH_CONV_CANDIDATES = ['1:2', '1:1', '2:1'];
const CONV_PROBE_WORKLOAD = 'W6';
const PROBE_TRIALS = 5;

const args = process.argv.slice(2);
const argValue = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
const ONLY = argValue('--only') ? argValue('--only').split(',') : null;
const TORCH_CONFIGS = args.includes('--torch-configs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A full GC without starting node with --expose-gc.
require('node:v8').setFlagsFromString('--expose-gc');
const fullGc = require('node:vm').runInNewContext('gc');

// ---------------------------------------------------------------- torchlet

function torchletImpl(backend) {
  let session = null;
  return {
    id: backend, label: `torchlet ${backend}`, blasThreads: backend === 'native', sameProcess: true,
    available: true, reason: null,
    info: backend === 'native' ? { threads: torch.getNumThreads() } : { threads: 1 },
    async start() {},
    async setup(spec, data) {
      session = null;
      torch.setBackend(backend);
      const { batches, step } = buildTorchletWorkload(spec, data);
      let cursor = 0;
      session = {
        run(steps) {
          torch.setBackend(backend);
          let loss = null;
          const t0 = process.hrtime.bigint();
          for (let s = 0; s < steps; s++) {
            const [xb, yb] = batches[cursor];
            cursor = (cursor + 1) % batches.length;
            loss = step(xb, yb);
          }
          const seconds = since(t0);
          return { seconds, loss: loss.item() };
        },
      };
      return { batches: batches.length };
    },
    async run(steps) { return session.run(steps); },
    async close() {},
  };
}

// ---------------------------------------------------------------- peers (child processes)

/** A long-lived child speaking the JSON-lines protocol of bench/peers/*. */
function childImpl({ id, label, command, argv, env, blasThreads, missing }) {
  let child = null;
  let pending = [];
  let stderrTail = [];
  let exited = null;
  const impl = {
    id, label, blasThreads, available: false, reason: missing || null, info: null,
    async start() {
      if (missing) return;
      try {
        child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (e) {
        impl.reason = `cannot start ${command}: ${e.message}`;
        return;
      }
      let buf = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line.startsWith('{')) continue;
          let msg;
          try { msg = JSON.parse(line); } catch { continue; }
          const p = pending.shift();
          if (p) p.resolve(msg);
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => { stderrTail = stderrTail.concat(chunk.split('\n').filter(Boolean)).slice(-10); });
      const fail = (why) => {
        exited = why;
        for (const p of pending) p.reject(new Error(`${why}${stderrTail.length ? ` — stderr: ${stderrTail.slice(-3).join(' | ')}` : ''}`));
        pending = [];
      };
      child.on('error', (e) => fail(`cannot run ${command}: ${e.message}`));
      child.on('exit', (code, sig) => fail(`${label} exited (${sig || code})`));
      try {
        const hello = await impl.next(120_000);
        if (!hello.ready) { impl.reason = hello.error || 'not ready'; await impl.close(); return; }
        impl.info = hello.info;
        impl.available = true;
      } catch (e) {
        impl.reason = e.message;
      }
    },
    next(timeoutMs) {
      if (exited) return Promise.reject(new Error(exited));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label}: no reply in ${timeoutMs / 1000} s`)), timeoutMs);
        pending.push({
          resolve: (m) => { clearTimeout(timer); resolve(m); },
          reject: (e) => { clearTimeout(timer); reject(e); },
        });
      });
    },
    async request(msg, timeoutMs) {
      const p = impl.next(timeoutMs);
      child.stdin.write(JSON.stringify(msg) + '\n');
      const r = await p;
      if (r.error) throw new Error(r.error);
      return r;
    },
    async setup(spec, data, files) {
      return impl.request({ cmd: 'setup', spec, x: files.x, y: files.y }, 120_000);
    },
    async run(steps) {
      return impl.request({ cmd: 'run', steps }, 600_000);
    },
    async close() {
      if (child && !exited) {
        try { child.stdin.write(JSON.stringify({ cmd: 'quit' }) + '\n'); child.stdin.end(); } catch { /* gone */ }
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(2000)]);
        if (!exited) child.kill();
      }
    },
  };
  return impl;
}

function pytorchImpl(config, named = true) {
  const [intra, openblas] = config.split(':');
  const missing = fs.existsSync(PYTHON) ? null : `${PYTHON} not found (PyTorch peer: apt-get install -y python3-torch)`;
  return childImpl({
    id: named ? `pytorch-${intra}x${openblas}` : 'pytorch',
    label: named ? `PyTorch ${intra} intra-op / OpenBLAS ${openblas}` : 'PyTorch',
    command: PYTHON,
    argv: [path.join(__dirname, 'peers', 'pytorch_train.py'), '--threads', intra],
    env: { OPENBLAS_NUM_THREADS: openblas, OMP_NUM_THREADS: intra },
    blasThreads: true,
    missing,
  });
}

function tfjsImpl(backend) {
  let missing = null;
  try {
    require.resolve('@tensorflow/tfjs');
    if (backend === 'wasm') require.resolve('@tensorflow/tfjs-backend-wasm');
  } catch {
    missing = `${backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs'} not installed (npm install --save-dev @tensorflow/tfjs @tensorflow/tfjs-backend-wasm)`;
  }
  return childImpl({
    id: `tfjs-${backend}`, label: `tfjs ${backend}`,
    command: process.execPath,
    argv: [path.join(__dirname, 'peers', 'tfjs_train.js'), backend],
    env: {}, blasThreads: false, missing,
  });
}

// ---------------------------------------------------------------- orchestration

function writeDataFiles(dir, spec, data) {
  const key = dataKey(spec);
  const x = path.join(dir, `${key}.x.f32`);
  const y = path.join(dir, `${key}.y.${data.y instanceof Int32Array ? 'i32' : 'f32'}`);
  if (!fs.existsSync(x)) {
    fs.writeFileSync(x, Buffer.from(data.x.buffer, data.x.byteOffset, data.x.byteLength));
    fs.writeFileSync(y, Buffer.from(data.y.buffer, data.y.byteOffset, data.y.byteLength));
  }
  return { x, y };
}

async function benchWorkload(spec, impls, dir, dataCache, trials = TRIALS) {
  const key = dataKey(spec);
  if (!dataCache.has(key)) dataCache.set(key, makeData(spec));
  const data = dataCache.get(key);
  const files = writeDataFiles(dir, spec, data);
  const per = {};
  const live = [];
  for (const impl of impls) {
    if (!impl.available) { per[impl.id] = { error: impl.reason }; continue; }
    if (spec.skip?.[impl.id]) { per[impl.id] = { error: spec.skip[impl.id] }; continue; }
    try {
      await impl.setup(spec, data, files);
      live.push(impl);
      per[impl.id] = { perStep: [], trialSteps: 0, spent: 0 };
    } catch (e) {
      per[impl.id] = { error: `setup: ${e.message}` };
    }
  }
  // Warm-up and calibration.
  for (const impl of [...live]) {
    const r = per[impl.id];
    try {
      let steps = 1;
      let spent = 0;
      let warmSteps = 0;
      let last;
      let perStep = Infinity;
      for (;;) {
        last = await impl.run(steps);
        spent += last.seconds;
        warmSteps += steps;
        const prev = perStep;
        perStep = last.seconds / steps;
        // Done when warm (time spent) and settled (no longer getting >20% faster),
        // or when steps are slow enough that JIT warm-up is amortised, or at the cap.
        if (spent >= WARMUP_MAX_S) break;
        if (spent >= WARMUP_S && last.seconds >= 0.5) break;
        if (spent >= WARMUP_S && warmSteps >= MIN_WARM_STEPS && perStep >= 0.8 * prev) break;
        if (last.seconds < TRIAL_S) steps *= 2;
      }
      if (impl.blasThreads) await sleep(GAP_MS);
      r.warmupSteps = warmSteps;
      r.warmupSeconds = spent;
      r.trialSteps = Math.max(1, Math.round(TRIAL_S / (last.seconds / steps)));
    } catch (e) {
      per[impl.id] = { error: `warm-up: ${e.message}` };
      live.splice(live.indexOf(impl), 1);
    }
  }
  // Interleaved trials.
  for (let t = 0; t < trials; t++) {
    for (let j = 0; j < live.length; j++) {
      const impl = live[(t + j) % live.length];
      const r = per[impl.id];
      if (r.error) continue;
      if (r.perStep.length >= MIN_TRIALS && r.spent >= BUDGET_S) { r.perStep.push(null); continue; }
      try {
        // Both torchlet backends share this process: collect the garbage of the
        // trial before (the js backend's batch-512 steps leave hundreds of MB) so
        // it is not billed to this one. The peers run in their own processes.
        if (impl.sameProcess) fullGc();
        const { seconds, loss } = await impl.run(r.trialSteps);
        r.perStep.push(seconds / r.trialSteps);
        r.spent += seconds;
        r.loss = loss;
      } catch (e) {
        r.error = `trial: ${e.message}`;
      }
      if (impl.blasThreads) await sleep(GAP_MS);
    }
  }
  const nat = per.native;
  for (const impl of impls) {
    const r = per[impl.id];
    if (r.error) continue;
    const xs = r.perStep.filter((v) => v !== null);
    r.trials = xs.length;
    r.median = median(xs);
    r.samplesPerSecond = spec.batch / r.median;
    r.gflops = flopsPerStep(spec) / r.median / 1e9;
    if (nat && !nat.error && impl.id !== 'native') {
      const pairs = [];
      r.perStep.forEach((v, i) => { if (v !== null && nat.perStep[i] != null) pairs.push(nat.perStep[i] / v); });
      r.nativeOverThis = pairs.length ? median(pairs) : null;
    }
  }
  return { id: spec.id, group: spec.group, title: spec.title, unit: spec.unit, batch: spec.batch, spec, results: per };
}

const UNIT = { ms: 1e3, us: 1e6 };
const UNIT_LABEL = { ms: 'ms/step', us: 'µs/step' };
function fmtTime(seconds, unit) {
  if (seconds == null) return '—';
  const v = seconds * UNIT[unit];
  return v >= 1000 ? v.toFixed(0) : v >= 100 ? v.toFixed(1) : v >= 10 ? v.toFixed(2) : v.toFixed(3);
}
function fmtRatio(x) {
  if (x == null) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3);
}
function fmtRate(x) {
  if (x == null) return '—';
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
}

function fusionState() {
  try {
    const f = require('../dist/ops/fused-switch');
    return f.fusionEnabled() ? 'on' : 'off (TORCHLET_FUSION=0)';
  } catch {
    return 'absent in dist/';
  }
}

/** 'conv' for the convolutional networks (image input), 'mlp' for the others. */
const workloadKind = (spec) => (spec.input ? 'conv' : 'mlp');

/**
 * Starts PyTorch under each thread configuration of `candidates`, times them
 * on `spec` (PROBE_TRIALS interleaved trials) and keeps the fastest, renamed
 * to the 'pytorch' column; closes the others. Returns { impl, probe } (probe
 * null when no candidate started: impl then carries the reason).
 */
async function probeTorch(candidates, spec, dir, dataCache) {
  const started = candidates.map((c) => pytorchImpl(c));
  await Promise.all(started.map((c) => c.start()));
  const ok = started.filter((c) => c.available);
  let best = started[0];
  let probe = null;
  if (ok.length > 0) {
    const row = await benchWorkload(spec, ok, dir, dataCache, PROBE_TRIALS);
    const time = (c) => (row.results[c.id].error ? Infinity : row.results[c.id].median);
    best = ok.reduce((a, b) => (time(b) < time(a) ? b : a));
    probe = { kind: workloadKind(spec), workload: spec.id, trials: PROBE_TRIALS, chosen: best.id,
      ms: Object.fromEntries(ok.map((c) => [c.id, time(c) * 1e3])), results: row.results };
    for (const c of started) if (c !== best) await c.close();
  }
  best.chosenFrom = best.label;
  best.id = 'pytorch';
  best.label = 'PyTorch';
  return { impl: best, probe };
}

async function main() {
  const start = process.hrtime.bigint();
  const env0 = environment();
  torch.setBackend('native');
  const impls = TORCH_CONFIGS
    ? [torchletImpl('native'), ...['1:1', '1:2', '2:1', '2:2'].map(pytorchImpl)]
    : [torchletImpl('native'), torchletImpl('js'), pytorchImpl(TORCH_CONFIG || '1:2', false), tfjsImpl('cpu'), tfjsImpl('wasm')];
  const probing = !TORCH_CONFIGS && !TORCH_CONFIG;
  await Promise.all(impls.filter((i) => !(probing && i.id === 'pytorch')).map((i) => i.start()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-bench-'));
  const dataCache = new Map();
  const workloads = WORKLOADS.filter((w) => !ONLY || ONLY.includes(w.id) || ONLY.includes(w.group));
  // PyTorch's fastest thread configuration, measured now: one for the MLPs,
  // one for the convolutional networks (oneDNN's convolutions use the intra-op threads).
  const probes = [];
  const torchFor = new Map(); // 'mlp' | 'conv' -> the PyTorch impl of that kind of workload
  if (probing) {
    for (const [kind, candidates, workload] of [['mlp', TORCH_CANDIDATES, PROBE_WORKLOAD], ['conv', TORCH_CONV_CANDIDATES, CONV_PROBE_WORKLOAD]]) {
      if (!workloads.some((w) => workloadKind(w) === kind)) continue;
      const { impl, probe } = await probeTorch(candidates, WORKLOADS.find((w) => w.id === workload), dir, dataCache);
      torchFor.set(kind, impl);
      if (probe) probes.push(probe);
    }
  }
  const slot = impls.findIndex((i) => i.id === 'pytorch');
  const implsFor = (spec) => (torchFor.has(workloadKind(spec)) ? impls.map((i, k) => (k === slot ? torchFor.get(workloadKind(spec)) : i)) : impls);
  if (probing) impls[slot] = torchFor.get('mlp') ?? torchFor.get('conv') ?? impls[slot];
  const fusion = fusionState();

  console.log(`# bench/train — one training step (zero grad, forward, loss, backward, SGD step), median time per step`);
  console.log(`node ${env0.node}; ${env0.cpus} CPUs (${env0.cpu}); loadavg ${env0.loadavg.join(' ')}; torchlet fusion: ${fusion}`);
  for (const impl of impls) {
    let desc;
    if (!impl.available) desc = `— (${impl.reason})`;
    else if (impl.id === 'native') desc = `${impl.info.threads} threads (torchlet's pool; OpenBLAS single-threaded inside)`;
    else if (impl.id === 'js') desc = '1 thread (pure TypeScript kernels)';
    else if (impl.id.startsWith('pytorch')) desc = `torch ${impl.info.torch} (python ${impl.info.python}, BLAS ${impl.info.blas}), ${impl.info.intraOpThreads} intra-op thread(s), OPENBLAS_NUM_THREADS=${impl.info.OPENBLAS_NUM_THREADS}, oneDNN ${impl.info.mkldnn ? 'on' : 'off'}`;
    else desc = `@tensorflow/tfjs ${impl.info.tfjs}, backend ${impl.info.backend}, ${impl.info.threads ?? '?'} thread(s)`;
    console.log(`  ${impl.label}: ${desc}`);
  }
  console.log(`trials: ${TRIALS} interleaved (rotating order), each ≈ ${TRIAL_S * 1000} ms of steps after a warm-up (≥ ${WARMUP_S} s and ≥ ${MIN_WARM_STEPS} steps until the time per step settles, ≤ ${WARMUP_MAX_S} s); a slow one stops after ${MIN_TRIALS} trials once it has spent ${BUDGET_S} s. Ratio = median of per-trial native time / other time (< 1: native faster).`);

  for (const probe of probes) console.log(`PyTorch threads: measured ${Object.entries(probe.ms).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(' vs ')} on ${probe.workload} (${probe.trials} interleaved trials) → using ${probe.chosen} for the ${probe.kind === 'conv' ? 'convolutional networks' : 'MLPs'}`);
  console.log('');
  const rows = [];
  try {
    for (const spec of workloads) {
      const t0 = process.hrtime.bigint();
      const row = await benchWorkload(spec, implsFor(spec), dir, dataCache);
      row.seconds = since(t0);
      rows.push(row);
      process.stderr.write(`  ${spec.id} done in ${row.seconds.toFixed(1)} s (loadavg ${os.loadavg()[0].toFixed(2)})\n`);
    }
  } finally {
    await Promise.all([...new Set([...impls, ...torchFor.values()])].map((i) => i.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const others = impls.filter((i) => i.id !== 'native');
  console.log(`| workload | unit | ${impls.map((i) => i.label).join(' | ')} | ${others.map((i) => `native/${i.id}`).join(' | ')} |`);
  console.log(`|---|---|${impls.map(() => '---:').join('|')}|${others.map(() => '---:').join('|')}|`);
  const notes = [];
  for (const row of rows) {
    const cells = impls.map((i) => {
      const r = row.results[i.id];
      if (r.error) { if (i.available) notes.push(`${row.id} ${i.label}: ${r.error}`); return '—'; }
      return fmtTime(r.median, row.unit);
    });
    const ratios = others.map((i) => fmtRatio(row.results[i.id].nativeOverThis));
    console.log(`| ${row.title} | ${UNIT_LABEL[row.unit]} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  const w2 = rows.filter((r) => r.group === 'W2');
  if (w2.length) {
    console.log('');
    console.log(`| W2 throughput (samples/s) | ${impls.map((i) => i.label).join(' | ')} |`);
    console.log(`|---|${impls.map(() => '---:').join('|')}|`);
    for (const row of w2) console.log(`| batch ${row.batch} | ${impls.map((i) => fmtRate(row.results[i.id].error ? null : row.results[i.id].samplesPerSecond)).join(' | ')} |`);
  }
  console.log('');
  console.log(`trials per cell (steps per trial): ${rows.map((row) => `${row.id} ${impls.filter((i) => !row.results[i.id].error).map((i) => `${i.id} ${row.results[i.id].trials}×${row.results[i.id].trialSteps}`).join(', ')}`).join('; ')}`);
  for (const impl of impls) if (!impl.available) console.log(`${impl.label}: — ${impl.reason}`);
  for (const n of notes) console.log(`note: ${n}`);
  const env1 = environment();
  const secs = since(start);
  console.log(`loadavg at the end ${env1.loadavg.join(' ')}; took ${secs.toFixed(1)} s`);
  const key = TORCH_CONFIGS ? 'trainTorchConfigs' : 'train';
  const file = writeResults(key, {
    env: env0, loadavgEnd: env1.loadavg, fusion,
    settings: { WARMUP_S, WARMUP_MAX_S, MIN_WARM_STEPS, TRIAL_S, TRIALS, MIN_TRIALS, BUDGET_S, GAP_MS, TORCH_CONFIG, TORCH_CANDIDATES },
    torchProbes: probes,
    impls: impls.map((i) => ({ id: i.id, label: i.label, available: i.available, reason: i.reason, info: i.info })),
    rows: rows.map(({ spec, ...rest }) => ({ ...rest, layers: spec.layers, loss: spec.loss, optim: spec.optim, data: spec.data })),
    seconds: secs,
  });
  console.log(`wrote ${file} (key "${key}")`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
