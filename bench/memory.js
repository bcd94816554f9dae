// bench/memory: RSS over 10,000 W2 training steps (the memory bar:
// growth under 5% after the first 100 steps), torchlet native backend.
//
//   npm run build && node bench/memory.js [--steps 10000] [--batch 128]
//
// The same model, data and step as bench/train.js's W2 (bench/torchlet-workload.js).
// Prints the RSS after step 100 (the baseline: buffers, momentum, V8's heap
// have grown to their working size by then) and every 1,000 steps, with the
// JS heap and ArrayBuffer totals beside it; writes results.json "memory".
// On Linux it also splits the RSS by /proc/self/smaps into glibc's main heap
// ([heap]: tensor storage, allocated by V8 for the main thread) and the rest
// (V8's own heap pages, the malloc arenas of V8's compiler and GC threads,
// stacks, code), so growth can be told apart: see bench/README.md.
'use strict';
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const torch = require('..');
const { WORKLOADS, makeData } = require('./workloads');
const { buildTorchletWorkload } = require('./torchlet-workload');
const { writeResults, environment } = require('./results');

const { values } = parseArgs({ options: { steps: { type: 'string', default: '10000' }, batch: { type: 'string', default: '128' } } });
const steps = Number(values.steps);
const spec = WORKLOADS.find((w) => w.id === `W2-b${values.batch}`);
if (!spec) throw new Error(`no W2 workload with batch ${values.batch} (bench/workloads.js has 32, 128, 512)`);

torch.setBackend('native');
const { batches, step } = buildTorchletWorkload(spec, makeData(spec));

const mb = (b) => b / 2 ** 20;
/** RSS of glibc's main heap (the [heap] mapping) in MB; null where /proc/self/smaps is missing. */
function mainHeapMB() {
  let text;
  try {
    text = fs.readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return null;
  }
  const at = text.indexOf('[heap]');
  if (at < 0) return 0;
  return Number(/Rss:\s+(\d+) kB/.exec(text.slice(at))[1]) / 1024;
}
const sample = (step) => {
  const m = process.memoryUsage();
  return { step, rssMB: mb(m.rss), mainHeapMB: mainHeapMB(), heapUsedMB: mb(m.heapUsed), arrayBuffersMB: mb(m.arrayBuffers) };
};
const fmtHeap = (x) => (x.mainHeapMB === null ? '' : `, glibc main heap ${x.mainHeapMB.toFixed(1)} MB`);
const samples = [];
const t0 = process.hrtime.bigint();
let loss = null;
for (let s = 1; s <= steps; s++) {
  const [xb, yb] = batches[s % batches.length];
  loss = step(xb, yb);
  if (s === 100 || s % 1000 === 0) {
    const x = sample(s);
    samples.push(x);
    console.log(`step ${String(s).padStart(6)}: RSS ${x.rssMB.toFixed(1)} MB${fmtHeap(x)}, JS heap ${x.heapUsedMB.toFixed(1)} MB, ArrayBuffers ${x.arrayBuffersMB.toFixed(1)} MB, loss ${loss.item().toFixed(4)}`);
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const base = samples.find((x) => x.step === 100);
const last = samples[samples.length - 1];
const growth = (last.rssMB - base.rssMB) / base.rssMB;
const peak = Math.max(...samples.map((x) => x.rssMB));
console.log(`\n${spec.id}, ${steps} steps in ${seconds.toFixed(1)} s: RSS after step 100 ${base.rssMB.toFixed(1)} MB, at the end ${last.rssMB.toFixed(1)} MB ` +
  `(${(100 * growth).toFixed(1)}%), peak ${peak.toFixed(1)} MB. Bar: growth < 5%: ${growth < 0.05 ? 'met' : 'MISSED'}`);
const warm = samples.find((x) => x.step === 1000);
if (warm !== undefined && warm !== last) {
  console.log(`after step 1,000: ${warm.rssMB.toFixed(1)} → ${last.rssMB.toFixed(1)} MB (${(100 * (last.rssMB - warm.rssMB) / warm.rssMB).toFixed(1)}%)`);
}
if (base.mainHeapMB !== null) {
  const heapGrowth = last.mainHeapMB - base.mainHeapMB;
  console.log(`of the growth after step 100: glibc main heap ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MB, ` +
    `everything else (V8 heap pages, V8 compiler/GC threads' arenas, …) ${(last.rssMB - base.rssMB - heapGrowth).toFixed(1)} MB`);
}
writeResults('memory', { env: environment(), workload: spec.id, steps, seconds, samples, growth, bar: growth < 0.05 ? 'met' : 'missed' });
