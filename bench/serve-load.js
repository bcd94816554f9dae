/**
 * Load test of the inference service (examples/serve/server.mjs) over
 * loopback while a worker thread in the same server process fine-tunes the
 * model and the main thread swaps its weights in between requests.
 *
 *   npm run bench:serve                    # builds, then: node bench/serve-load.js
 *   node bench/serve-load.js --duration 10 --connections 32
 *
 * Starts the server as a child process (127.0.0.1, port 0, --train-in-worker),
 * waits until the worker has posted its first epoch, warms up 10 s with each
 * request size (TORCHLET_SERVE_WARMUP), then
 * runs autocannon against POST /predict twice — single-sample bodies, then
 * 64-sample bodies — each for --duration seconds (default 30) at
 * --connections (default 32). Prints requests/s, p50/p99 latency, errors,
 * the weight swaps and the rows per forward pass during each run, the server's RSS (from GET /health)
 * before and after, and the load average. Bars: zero errors, single-sample
 * p99 < 10 ms, RSS growth < 10%; exits 1 if one fails. Trains
 * examples/serve/model.safetensors first if it is missing.
 *
 * Then (unless --skip-onnx) the same two loads on the same model without the
 * training worker, once served by torchlet and once by onnxruntime-node from
 * the model exported with torch.onnx.export (server.mjs --runtime
 * onnxruntime), each with 1 and with 2 intra-op threads (--threads) and after
 * its own warm-up: a comparison table, no bar.
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { spawn, spawnSync } = require('node:child_process');
const { createInterface } = require('node:readline');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const torch = require('torchlet');

const root = path.resolve(__dirname, '..');
const serveDir = path.join(root, 'examples', 'serve');
const modelPath = path.join(serveDir, 'model.safetensors');

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '30' },
  connections: { type: 'string', default: '32' },
  'skip-onnx': { type: 'boolean', default: false },
} });
const duration = Number(values.duration);
const connections = Number(values.connections);

const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;

function startServer(extra = ['--train-in-worker']) {
  const child = spawn(process.execPath, [path.join(serveDir, 'server.mjs'), '--host', '127.0.0.1', '--port', '0', ...extra],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const url = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]); else reject(new Error(`unexpected first line from the server: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

async function health(url) {
  return (await fetch(`${url}/health`)).json();
}

/** Polls GET /health every second until stop(); stop() resolves to the RSS readings. */
function sampleRss(url) {
  const samples = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 1000));
      if (stopped) break;
      try { samples.push((await health(url)).rssBytes); } catch { /* the server is busy or gone: skip */ }
    }
  })();
  return { stop: async () => { stopped = true; await loop; return samples; } };
}

function run(url, body, title, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({
      url: `${url}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body,
      connections, duration: seconds, pipelining: 1, title,
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  if (!fs.existsSync(modelPath)) {
    console.log(`no ${path.relative(root, modelPath)}: training it (examples/serve/train-model.mjs) ...`);
    const r = spawnSync(process.execPath, [path.join(serveDir, 'train-model.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('train-model.mjs failed');
  }
  // Real digits as clients would send them: raw pixels, three decimals.
  const { images } = torch.data.datasets.mnist();
  const rows = images.narrow(0, 0, 64).toArray().map((r) => r.map((v) => Math.round(v * 1000) / 1000));
  const bodies = [
    ['single sample', JSON.stringify({ inputs: [rows[0]] })],
    ['64 samples', JSON.stringify({ inputs: rows })],
  ];

  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0].model}), load average ${load()} (1/5/15 min)`);
  const server = startServer();
  const url = await server.url;
  console.log(`server ${url} (--train-in-worker); waiting for the worker's first epoch ...`);
  const deadline = Date.now() + 120_000;
  let h = await health(url);
  while (h.training.swaps < 1) {
    if (h.training.error) throw new Error(`training worker failed: ${h.training.error}`);
    if (Date.now() > deadline) throw new Error('the training worker posted no epoch within 120 s');
    await new Promise((r) => setTimeout(r, 250));
    h = await health(url);
  }
  // Warm up with both request sizes (TORCHLET_SERVE_WARMUP seconds each): V8's
  // young generation, the allocator and the JIT grow to their working size in
  // the first seconds of load, and that is not growth across the run.
  const warmup = Number(process.env.TORCHLET_SERVE_WARMUP ?? 10);
  for (const [, body] of bodies) await run(url, body, 'warm-up', warmup);
  const first = await health(url);
  await fetch(`${url}/health?reset=1`);
  console.log(`worker training (epoch ${first.training.lastEpoch.epoch} posted); server RSS before: ${mb(first.rssBytes)}\n`);

  const results = [];
  const allRss = []; // every per-second RSS sample of both runs, in order
  for (const [name, body] of bodies) {
    const before = await (await fetch(`${url}/health?reset=1`)).json();
    const loadBefore = load();
    const rss = sampleRss(url);
    const r = await run(url, body, name, duration);
    const rssSamples = await rss.stop();
    allRss.push(...rssSamples);
    const after = await health(url);
    const errors = r.errors + r.timeouts + r.non2xx;
    results.push({ name, r, errors, before, after });
    console.log(`${name} (${Buffer.byteLength(body)} B body), ${duration} s, ${connections} connections:`);
    console.log(`  requests/s ${r.requests.average.toFixed(0)} (${r.requests.total} requests, ${(r.requests.average * (name === '64 samples' ? 64 : 1)).toFixed(0)} samples/s)`);
    console.log(`  latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`);
    const passes = after.forwardPasses - before.forwardPasses;
    const perPass = passes > 0 ? ((after.predictions - before.predictions) / passes).toFixed(1) : '-';
    console.log(`  server side: handler p50 ${after.handlerMs.p50} ms, p99 ${after.handlerMs.p99} ms; event-loop delay p99 ${after.eventLoopDelayMs.p99} ms, max ${after.eventLoopDelayMs.max} ms; ` +
      `${perPass} samples per forward pass (${passes} passes)`);
    console.log(`  errors ${errors} (connection errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx})`);
    console.log(`  weight swaps during the run ${after.training.swaps - before.training.swaps} (worker at epoch ${after.training.lastEpoch.epoch}, held-out accuracy ${(100 * after.training.lastEpoch.heldOutAccuracy).toFixed(2)}%)`);
    const wm = (h) => h.training.lastEpoch.memory;
    if (wm(before) && wm(after)) {
      console.log(`  worker isolate heap ${mb(wm(before).heapTotalBytes)} → ${mb(wm(after).heapTotalBytes)}, external ${mb(wm(before).externalBytes)} → ${mb(wm(after).externalBytes)}, ` +
        `arrayBuffers ${mb(wm(before).arrayBuffersBytes)} → ${mb(wm(after).arrayBuffersBytes)}`);
    }
    const sorted = [...rssSamples].sort((a, b) => a - b);
    if (sorted.length) console.log(`  server RSS sampled every second: min ${mb(sorted[0])}, median ${mb(sorted[sorted.length >> 1])}, max ${mb(sorted[sorted.length - 1])} (${sorted.length} samples)`);
    console.log(`  server RSS ${mb(before.rssBytes)} → ${mb(after.rssBytes)}; main isolate heap ${mb(before.heapTotalBytes)} → ${mb(after.heapTotalBytes)}, ` +
      `external ${mb(before.externalBytes)} → ${mb(after.externalBytes)}, arrayBuffers ${mb(before.arrayBuffersBytes)} → ${mb(after.arrayBuffersBytes)}; load average before ${loadBefore}, after ${load()}\n`);
  }
  const last = await health(url);
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));

  const growth = (last.rssBytes - first.rssBytes) / first.rssBytes;
  const single = results[0];
  const bars = [
    ['zero errors', results.every((x) => x.errors === 0), results.map((x) => `${x.name}: ${x.errors}`).join(', ')],
    ['single-sample p99 < 10 ms', single.r.latency.p99 < 10, `${single.r.latency.p99} ms`],
    ['RSS growth < 10%', growth < 0.1, `${mb(first.rssBytes)} → ${mb(last.rssBytes)} (${(100 * growth).toFixed(1)}%)`],
  ];
  // The bar compares two single readings, and the training worker's ArrayBuffer
  // garbage alone swings by ~50 MB between its GCs. The medians of the first and
  // the last 5 per-second samples say more about growth; printed beside the bar.
  if (allRss.length >= 10) {
    const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const a = med(allRss.slice(0, 5));
    const b = med(allRss.slice(-5));
    console.log(`RSS, median of the first 5 vs the last 5 per-second samples: ${mb(a)} → ${mb(b)} (${(100 * (b - a) / a).toFixed(1)}%)`);
  }
  console.log(`training errors: ${last.training.error ?? 'none'}; load average at the end ${load()}`);
  for (const [bar, ok, detail] of bars) console.log(`${ok ? 'PASS' : 'FAIL'}  ${bar}: ${detail}`);
  process.exitCode = bars.every(([, ok]) => ok) && last.training.error === null ? 0 : 1;
  if (!values['skip-onnx']) await compareRuntimes(bodies, warmup);
}

/**
 * The same loads against torchlet and onnxruntime serving the same model, no
 * training worker, each runtime with 1 and with 2 intra-op threads (which is
 * faster depends on the load: both are shown): one table.
 */
async function compareRuntimes(bodies, warmup) {
  const rows = [];
  for (const runtime of ['torchlet', 'onnxruntime']) {
    for (const threads of [1, 2]) {
      const server = startServer(['--runtime', runtime, '--threads', String(threads)]);
      const url = await server.url;
      for (const [, body] of bodies) await run(url, body, 'warm-up', warmup);
      for (const [name, body] of bodies) {
        const r = await run(url, body, name, duration);
        const samples = r.requests.average * (name === '64 samples' ? 64 : 1);
        rows.push([runtime, String(threads), name, r.requests.average.toFixed(0), samples.toFixed(0), String(r.latency.p50), String(r.latency.p99), String(r.errors + r.timeouts + r.non2xx)]);
      }
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  }
  console.log(`\ninference only (no training worker), same model, ${duration} s per row, ${connections} connections, load average ${load()}:`);
  console.log('| runtime | threads | body | requests/s | samples/s | p50 ms | p99 ms | errors |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
