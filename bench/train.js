// bench/train: training steps W2–W8 (bench/workloads.js) on torchlet's native
// and js backends, beside PyTorch 1.13 and 2.x (CPU) and TensorFlow.js (CPU
// and WASM backends) running the very same workloads on the very same data in
// the same run.
//
//   npm run build && node bench/train.js
//   node bench/train.js --only W2-b128,W5       # a subset
//   node bench/train.js --torch-configs         # PyTorch under 4 thread configs, beside native
//   npm run bench:setup                         # once: the PyTorch 2.x environment
//
// torchlet runs in this process; each peer is a long-lived child process
// (bench/peers/pytorch_train.py under each PyTorch's interpreter, see
// bench/pythons.js; bench/peers/tfjs_train.js once per tfjs backend) that
// builds the model at `setup` and times `n` steps on request, itself, around
// the steps only. Per workload:
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
// faster), paired within a trial. The workload's bars (bench/bars.js) are
// printed under the table. Results (every sample) are merged into
// bench/results.json under "train" (or "trainTorchConfigs").
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const torch = require('..');
const { WORKLOADS, makeData, dataKey, flopsPerStep, workloadKind } = require('./workloads');
const { torchPeers, torchLabel, versionMismatch } = require('./pythons');
const { checkBars, formatBar } = require('./bars');
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
// PyTorch's thread configuration "intra:openblas" (torch.set_num_threads and
// OPENBLAS_NUM_THREADS). Unless TORCHLET_BENCH_TORCH_THREADS fixes one, each
// run measures, for each PyTorch and each kind of workload in the run, the
// candidates on that kind's probe workload (PROBE_TRIALS interleaved trials,
// both PyTorchs in the same trials) and keeps each PyTorch's fastest for all
// workloads of that kind. MLPs: 1 intra-op thread with OpenBLAS on 2 threads
// (fastest on a quiet machine) and on 1 thread (fastest when the machine is
// oversubscribed); 2 intra-op threads lose by 5–20× there (see
// bench/README.md, `--torch-configs`). Convolutions and the LSTM: also 2
// intra-op threads, which oneDNN's kernels split over. (The 2.x wheel's BLAS,
// MKL, follows the intra-op threads: it is probed once per intra-op count.)
const TORCH_CONFIG = process.env.TORCHLET_BENCH_TORCH_THREADS || null;
const PROBES = {
  mlp: { workload: 'W2-b128', candidates: ['1:2', '1:1'], what: 'the MLPs' },
  conv: { workload: 'W6', candidates: ['1:2', '1:1', '2:1'], what: 'the convolutional networks' },
  rnn: { workload: 'W8', candidates: ['1:2', '1:1', '2:1'], what: 'the LSTM' },
};
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

/**
 * One PyTorch peer (an entry of bench/pythons.js's torchPeers) under the
 * thread configuration `config`: the column `peer.id`, or (named) a
 * candidate `${peer.id}-${intra}x${openblas}`. Its label carries the torch
 * version it reports once started; a torch of the wrong major version for the
 * column makes it unavailable.
 */
function pytorchImpl(peer, config, named = true) {
  const [intra, openblas] = config.split(':');
  const impl = childImpl({
    id: named ? `${peer.id}-${intra}x${openblas}` : peer.id,
    label: torchLabel(null, peer.major),
    command: peer.python,
    argv: [path.join(__dirname, 'peers', 'pytorch_train.py'), '--threads', intra],
    env: { OPENBLAS_NUM_THREADS: openblas, OMP_NUM_THREADS: intra },
    blasThreads: true,
    missing: peer.missing,
  });
  impl.column = peer.id;
  impl.config = config;
  const start = impl.start;
  impl.start = async () => {
    await start();
    if (!impl.available) return;
    const wrong = versionMismatch(impl.info.torch, peer.major);
    if (wrong) {
      impl.available = false;
      impl.reason = `${peer.python} ${wrong} (TORCHLET_BENCH_PYTHON${peer.major === 1 ? '' : '2'} picks the interpreter)`;
      await impl.close();
      return;
    }
    impl.mkl = impl.info.blas === 'mkl';
    impl.label = `${torchLabel(impl.info.torch, peer.major)}${named ? ` ${intra} intra-op${impl.mkl ? ' (MKL)' : ` / OpenBLAS ${openblas}`}` : ''}`;
  };
  return impl;
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

/**
 * Starts every PyTorch of `peers` under each thread configuration of
 * `candidates`, times them all on `spec` (PROBE_TRIALS interleaved trials)
 * and keeps each PyTorch's fastest, renamed to its column; closes the others.
 * Returns { chosen: Map(column -> impl), probe } (probe null when no candidate
 * started; a PyTorch none of whose candidates started is chosen as its first
 * candidate, which carries the reason).
 */
async function probeTorch(peers, candidates, spec, dir, dataCache) {
  const started = peers.flatMap((peer) => candidates.map((c) => pytorchImpl(peer, c)));
  await Promise.all(started.map((c) => c.start()));
  // With MKL (the 2.x wheel) OPENBLAS_NUM_THREADS changes nothing: one candidate per intra-op count.
  const seen = new Set();
  const ok = started.filter((c) => {
    const key = `${c.column} ${c.mkl ? c.config.split(':')[0] : c.config}`;
    if (!c.available || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const row = ok.length > 0 ? await benchWorkload(spec, ok, dir, dataCache, PROBE_TRIALS) : null;
  const time = (c) => (!row || row.results[c.id].error ? Infinity : row.results[c.id].median);
  const chosen = new Map();
  for (const peer of peers) {
    const mine = ok.filter((c) => c.column === peer.id);
    chosen.set(peer.id, mine.length ? mine.reduce((a, b) => (time(b) < time(a) ? b : a)) : started.find((c) => c.column === peer.id));
  }
  const probe = row && { kind: workloadKind(spec), workload: spec.id, trials: PROBE_TRIALS,
    chosen: Object.fromEntries([...chosen].filter(([, c]) => c.available).map(([col, c]) => [col, c.id])),
    ms: Object.fromEntries(ok.map((c) => [c.id, time(c) * 1e3])), labels: Object.fromEntries(ok.map((c) => [c.id, c.label])),
    results: row.results };
  const keep = new Set(chosen.values());
  for (const c of started) if (!keep.has(c)) await c.close();
  for (const c of keep) {
    c.id = c.column;
    c.label = torchLabel(c.info?.torch, peers.find((p) => p.id === c.column).major);
  }
  return { chosen, probe };
}

async function main() {
  const start = process.hrtime.bigint();
  const env0 = environment();
  torch.setBackend('native');
  const peers = torchPeers();
  const impls = TORCH_CONFIGS
    ? [torchletImpl('native'), ...peers.flatMap((peer) => ['1:1', '1:2', '2:1', '2:2'].map((c) => pytorchImpl(peer, c)))]
    : [torchletImpl('native'), torchletImpl('js'), ...peers.map((peer) => pytorchImpl(peer, TORCH_CONFIG || '1:2', false)), tfjsImpl('cpu'), tfjsImpl('wasm')];
  const probing = !TORCH_CONFIGS && !TORCH_CONFIG;
  const isColumn = (i) => peers.some((p) => p.id === i.id);
  await Promise.all(impls.filter((i) => !(probing && isColumn(i))).map((i) => i.start()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-bench-'));
  const dataCache = new Map();
  const workloads = WORKLOADS.filter((w) => !ONLY || ONLY.includes(w.id) || ONLY.includes(w.group));
  // Each PyTorch's fastest thread configuration, measured now, per kind of workload.
  const probes = [];
  const torchFor = new Map(); // kind -> Map(column -> the PyTorch impl of that column for that kind)
  if (probing) {
    for (const [kind, { workload, candidates }] of Object.entries(PROBES)) {
      if (!workloads.some((w) => workloadKind(w) === kind)) continue;
      const { chosen, probe } = await probeTorch(peers, candidates, WORKLOADS.find((w) => w.id === workload), dir, dataCache);
      torchFor.set(kind, chosen);
      if (probe) probes.push(probe);
    }
    // The header and the results name each column by its first kind's choice.
    const first = torchFor.values().next().value;
    for (let k = 0; k < impls.length; k++) if (isColumn(impls[k]) && first) impls[k] = first.get(impls[k].id);
  }
  const implsFor = (spec) => {
    const chosen = torchFor.get(workloadKind(spec));
    return chosen ? impls.map((i) => (isColumn(i) ? chosen.get(i.id) : i)) : impls;
  };
  const labelOf = (id) => impls.find((i) => i.id === id)?.label ?? id;
  const fusion = fusionState();

  console.log(`# bench/train — one training step (zero grad, forward, loss, backward, optimizer step), median time per step`);
  console.log(`node ${env0.node}; ${env0.cpus} CPUs (${env0.cpu}); loadavg ${env0.loadavg.join(' ')}; torchlet fusion: ${fusion}`);
  for (const impl of impls) {
    let desc;
    if (!impl.available) desc = `— (${impl.reason})`;
    else if (impl.id === 'native') desc = `${impl.info.threads} threads (torchlet's pool; OpenBLAS single-threaded inside)`;
    else if (impl.id === 'js') desc = '1 thread (pure TypeScript kernels)';
    else if (impl.column) desc = `torch ${impl.info.torch} (${impl.info.executable}, python ${impl.info.python}, BLAS ${impl.info.blas}), oneDNN ${impl.info.mkldnn ? 'on' : 'off'}, ${probing ? 'threads per kind of workload as measured below' : `${impl.info.intraOpThreads} intra-op thread(s), OPENBLAS_NUM_THREADS=${impl.info.OPENBLAS_NUM_THREADS}`}`;
    else desc = `@tensorflow/tfjs ${impl.info.tfjs}, backend ${impl.info.backend}, ${impl.info.threads ?? '?'} thread(s)`;
    console.log(`  ${impl.label}: ${desc}`);
  }
  console.log(`trials: ${TRIALS} interleaved (rotating order), each ≈ ${TRIAL_S * 1000} ms of steps after a warm-up (≥ ${WARMUP_S} s and ≥ ${MIN_WARM_STEPS} steps until the time per step settles, ≤ ${WARMUP_MAX_S} s); a slow one stops after ${MIN_TRIALS} trials once it has spent ${BUDGET_S} s. Ratio = median of per-trial native time / other time (< 1: native faster).`);

  for (const probe of probes) {
    console.log(`PyTorch threads for ${PROBES[probe.kind].what}, measured on ${probe.workload} (${probe.trials} interleaved trials): ${Object.entries(probe.ms).map(([k, v]) => `${probe.labels[k]} ${v.toFixed(2)} ms`).join(', ')} → using ${Object.values(probe.chosen).map((id) => probe.labels[id]).join(' and ')}`);
  }
  console.log('');
  const rows = [];
  try {
    for (const spec of workloads) {
      const t0 = process.hrtime.bigint();
      const row = await benchWorkload(spec, implsFor(spec), dir, dataCache);
      row.seconds = since(t0);
      row.bars = checkBars(spec, row.results, labelOf);
      rows.push(row);
      process.stderr.write(`  ${spec.id} done in ${row.seconds.toFixed(1)} s (loadavg ${os.loadavg()[0].toFixed(2)})\n`);
    }
  } finally {
    await Promise.all([...new Set([...impls, ...[...torchFor.values()].flatMap((chosen) => [...chosen.values()])])].map((i) => i.close()));
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
  const barred = rows.filter((r) => r.bars.length);
  if (barred.length) {
    console.log('');
    for (const row of barred) console.log(`${row.id}: ${row.bars.map((b) => formatBar(b, labelOf)).join('; ')}`);
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
    settings: { WARMUP_S, WARMUP_MAX_S, MIN_WARM_STEPS, TRIAL_S, TRIALS, MIN_TRIALS, BUDGET_S, GAP_MS, TORCH_CONFIG, PROBES },
    torchProbes: probes,
    impls: impls.map((i) => ({ id: i.id, label: i.label, available: i.available, reason: i.reason, info: i.info })),
    torchChoices: Object.fromEntries([...torchFor].map(([kind, chosen]) => [kind, Object.fromEntries([...chosen].map(([col, c]) => [col, c.available ? c.config : null]))])),
    rows: rows.map(({ spec, ...rest }) => ({ ...rest, layers: spec.layers, loss: spec.loss, optim: spec.optim, data: spec.data })),
    seconds: secs,
  });
  console.log(`wrote ${file} (key "${key}")`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
