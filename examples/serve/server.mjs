/**
 * An MNIST inference service on node:http: the course's MLP loaded from
 * safetensors, predictions under torch.noGrad, optionally fine-tuned in a
 * worker thread at the same time with the new weights swapped in between
 * requests. Requests that arrive together share one forward pass
 * (batcher.mjs: under load that doubled the requests/s).
 *
 *   node examples/serve/server.mjs [--port 0] [--host 127.0.0.1] [--model PATH] [--train-in-worker [--train-duty 0.25]] [--max-body BYTES] [--runtime torchlet|onnxruntime] [--threads N]
 *   PORT=8080 node examples/serve/server.mjs
 *
 * Routes:
 *   POST /predict  body { "inputs": [[784 numbers], ...] } or { "inputs": [784 numbers] } or a bare [784 numbers]
 *                  (raw pixels in [0, 1], row-major 28×28) → { "predictions": [digit, ...], "probabilities": [[10 numbers], ...] }
 *   GET  /health   → { status, model, requests, predictions, forwardPasses, errors, training, rssBytes, heapUsedBytes, heapTotalBytes,
 *                      externalBytes, arrayBuffersBytes (the main thread's isolate), uptimeSeconds,
 *                       handlerMs: { count, p50, p99, max }, eventLoopDelayMs: { p50, p99, max } }
 *                  (GET /health?reset=1 resets the two timing histograms after replying)
 * Errors are JSON { "error": message } with 400 (malformed JSON, wrong sizes,
 * non-numbers), 404 (unknown route), 405 (wrong method), 413 (body over the
 * cap, default 1 MiB), 415 (not application/json). The server keeps serving.
 */
import http from 'node:http';
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { torch, workerApi, loadModel, DEFAULT_MODEL, PIXELS, CLASSES, MEAN, STD } from './model.mjs';
import { MicroBatcher } from './batcher.mjs';

export const DEFAULT_MAX_BODY = 1024 * 1024;
export const MAX_BATCH = 1024;
/**
 * Rows per forward pass at most when concurrent requests are joined
 * (batcher.mjs). Per row, a forward through the 784-512-10 MLP costs 8.3 µs
 * at 256 rows and no less at 512 or 1,024 (one thread, measured); larger
 * batches would only hold larger buffers.
 */
export const BATCH_ROWS = 256;
const TRAIN_WORKER = fileURLToPath(new URL('./train-worker.mjs', import.meta.url));

/**
 * The model (with its softmax) exported to ONNX, batch dim dynamic, in an
 * onnxruntime-node session: `run(x, n)` resolves to the probabilities [n × 10].
 */
async function onnxSession(model, threads) {
  const ort = await import('onnxruntime-node');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torchlet-serve-'));
  const file = path.join(dir, 'model.onnx');
  try {
    await torch.onnx.export(new torch.nn.Sequential(model, new torch.nn.Softmax(1)), torch.zeros(1, PIXELS), file,
      { inputNames: ['pixels'], outputNames: ['probabilities'], dynamicAxes: { pixels: { 0: 'batch' }, probabilities: { 0: 'batch' } } });
    const session = await ort.InferenceSession.create(file, threads === undefined ? {} : { intraOpNumThreads: threads, interOpNumThreads: 1 });
    return {
      async run(x, n) {
        const out = await session.run({ pixels: new ort.Tensor('float32', x, [n, PIXELS]) });
        return out.probabilities.data;
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An error with an HTTP status; its message goes to the client. */
class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Checks the parsed body and packs the rows, normalised, into one
 * Float32Array [n × 784]. Throws HttpError(400) naming the first bad value.
 */
export function parseInputs(body) {
  let inputs = body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    if (!('inputs' in body)) throw new HttpError(400, 'body must be { "inputs": [[784 numbers], ...] } or [784 numbers]; "inputs" is missing');
    inputs = body.inputs;
  }
  if (!Array.isArray(inputs)) throw new HttpError(400, `"inputs" must be an array of ${PIXELS} numbers or an array of such rows, got ${describe(inputs)}`);
  if (inputs.length === 0) throw new HttpError(400, '"inputs" is empty; send at least one row of 784 numbers');
  const rows = Array.isArray(inputs[0]) ? inputs : [inputs];
  const single = rows !== inputs;
  if (rows.length > MAX_BATCH) throw new HttpError(400, `"inputs" has ${rows.length} rows; at most ${MAX_BATCH} per request`);
  const out = new Float32Array(new ArrayBuffer(rows.length * PIXELS * 4));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const where = single ? 'inputs' : `inputs[${r}]`;
    if (!Array.isArray(row)) throw new HttpError(400, `${where} must be an array of ${PIXELS} numbers, got ${describe(row)}`);
    if (row.length !== PIXELS) throw new HttpError(400, `${where} has ${row.length} values; expected ${PIXELS} (28×28 pixels)`);
    const base = r * PIXELS;
    for (let i = 0; i < PIXELS; i++) {
      const v = row[i];
      if (typeof v !== 'number') throw new HttpError(400, `${where}[${i}] is ${describe(v)}, not a number`);
      if (!Number.isFinite(v)) throw new HttpError(400, `${where}[${i}] is ${v}, not a finite number`);
      out[base + i] = (v - MEAN) / STD;
    }
  }
  return { x: out, n: rows.length };
}

/** Reads the request body up to `maxBytes`; HttpError(413) beyond it. */
function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new HttpError(413, `body is ${declared} bytes; the limit is ${maxBytes}`));
      return;
    }
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (c) => {
      if (done) return;
      size += c.length;
      if (size > maxBytes) {
        done = true;
        reject(new HttpError(413, `body is over the ${maxBytes}-byte limit`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks, size)); } });
    req.on('error', (e) => { if (!done) { done = true; reject(e); } });
  });
}

/**
 * Starts the service. Returns { url, server, state, close() }; `state` holds
 * the counters /health reports. Options: port (0: a free one), host
 * (127.0.0.1), modelPath, trainInWorker (boolean), trainOptions (workerData
 * for train-worker.mjs: epochs, lr, duty), maxBodyBytes, runtime ('torchlet', or
 * 'onnxruntime': the model exported with torch.onnx.export and run by
 * onnxruntime-node, a devDependency), threads (the runtime's intra-op
 * threads for inference; default: the runtime's own, 1 with trainInWorker), log.
 */
export async function startServer({ port = 0, host = '127.0.0.1', modelPath = DEFAULT_MODEL, trainInWorker = false, trainOptions = {},
  maxBodyBytes = DEFAULT_MAX_BODY, runtime = 'torchlet', threads, log = () => {} } = {}) {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`threads: expected a positive integer, got ${threads}`);
  if (runtime !== 'torchlet' && runtime !== 'onnxruntime') throw new RangeError(`runtime: expected 'torchlet' or 'onnxruntime', got ${runtime}`);
  if (runtime === 'onnxruntime' && trainInWorker) throw new Error('runtime onnxruntime serves a fixed exported model: it cannot take the weights a training worker posts');
  let model;
  try {
    ({ model } = await loadModel(modelPath));
  } catch (e) {
    throw new Error(`cannot load the model from ${modelPath}: ${e.message}\n(train one first: node examples/serve/train-model.mjs)`);
  }
  const started = Date.now();
  const state = { requests: 0, predictions: 0, forwardPasses: 0, errors: 0, swaps: 0, lastEpoch: null, trainingError: null, trainingDone: false };
  // Time in the handler (request seen → response written) and the event loop's delay, since start or the last ?reset=1.
  const handlerTime = createHistogram();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  /** Softmax outputs [n × 10] → one { prediction, probabilities } per row. */
  function rowsOf(p, n) {
    const out = new Array(n);
    for (let r = 0; r < n; r++) {
      const probabilities = Array.from(p.subarray(r * CLASSES, (r + 1) * CLASSES));
      let best = 0;
      for (let k = 1; k < CLASSES; k++) if (probabilities[k] > probabilities[best]) best = k;
      out[r] = { prediction: best, probabilities };
    }
    return out;
  }

  /** Rows of normalised pixels → one { prediction, probabilities } per row (a Promise with onnxruntime). */
  const onnx = runtime === 'onnxruntime' ? await onnxSession(model, threads) : null;
  if (runtime === 'torchlet' && threads !== undefined) torch.setNumThreads(threads);
  function predict(x, n) {
    state.forwardPasses++;
    if (onnx !== null) return onnx.run(x, n).then((p) => rowsOf(p, n));
    return torch.noGrad(() => rowsOf(model.forward(torch.tensor(x).reshape(n, PIXELS)).softmax(1).data, n));
  }
  const batcher = new MicroBatcher(predict, { width: PIXELS, maxRows: BATCH_ROWS });

  function send(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  const ms = (ns) => (Number.isFinite(ns) && ns > 0 ? Math.round(ns / 1e3) / 1e3 : 0);

  function health() {
    const mem = process.memoryUsage();
    return {
      status: 'ok', model: modelPath, requests: state.requests, predictions: state.predictions, forwardPasses: state.forwardPasses, errors: state.errors,
      training: trainInWorker ? { swaps: state.swaps, lastEpoch: state.lastEpoch, done: state.trainingDone, error: state.trainingError } : null,
      rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external,
      arrayBuffersBytes: mem.arrayBuffers, uptimeSeconds: (Date.now() - started) / 1000,
      handlerMs: { count: handlerTime.count, p50: ms(handlerTime.percentile(50)), p99: ms(handlerTime.percentile(99)), max: ms(handlerTime.max) },
      eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    };
  }

  async function handle(req, res) {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${req.method} /health is not allowed; use GET`, { allow: 'GET, HEAD' });
      send(res, 200, health());
      if (url.searchParams.get('reset') === '1') { handlerTime.reset(); loopDelay.reset(); }
      return;
    }
    if (url.pathname !== '/predict') throw new HttpError(404, `no route ${req.method} ${url.pathname}; the routes are POST /predict and GET /health`);
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} /predict is not allowed; use POST with a JSON body`, { allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(415, `content-type must be application/json, got ${type === '' ? 'none' : JSON.stringify(type)}`);
    }
    const raw = await readBody(req, maxBodyBytes);
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, `body is not valid JSON: ${e.message}`);
    }
    const { x, n } = parseInputs(body);
    const rows = await batcher.submit(x, n);
    state.predictions += n;
    send(res, 200, { predictions: rows.map((r) => r.prediction), probabilities: rows.map((r) => r.probabilities) });
  }

  const server = http.createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    res.once('finish', () => handlerTime.record(Math.max(1, Number(process.hrtime.bigint() - t0))));
    handle(req, res).catch((e) => {
      state.errors++;
      if (res.headersSent) { res.destroy(); return; }
      if (e instanceof HttpError) {
        const close = e.status === 413 ? { connection: 'close' } : {};
        send(res, e.status, { error: e.message }, { ...e.headers, ...close });
        if (e.status === 413) req.resume(); // discard the rest; the connection closes after the reply
      } else {
        log(`internal error: ${e.stack ?? e}`);
        send(res, 500, { error: `internal error: ${e.message}` });
      }
    });
  });
  server.keepAliveTimeout = 10_000;

  let training = null;
  if (trainInWorker) {
    // One thread for this thread's kernels (each worker_thread has its own setting): the
    // requests keep to one core and leave the other to the worker and the load.
    if (threads === undefined) torch.setNumThreads(1);
    training = workerApi.trainInWorker(TRAIN_WORKER, { workerData: { modelPath, ...trainOptions } });
    (async () => {
      for await (const { info, stateDict } of training) {
        model.loadStateDict(stateDict); // its own task: never in the middle of a request's forward pass
        state.swaps++;
        state.lastEpoch = info;
        log(`swapped in the weights of epoch ${info.epoch}: loss ${info.loss.toFixed(4)}, held-out accuracy ${(100 * info.heldOutAccuracy).toFixed(2)}% (${info.ms.toFixed(0)} ms)`);
      }
      state.trainingDone = true;
    })().catch((e) => { state.trainingError = e.message; log(`training worker failed: ${e.message}`); });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url, server, state, training,
    async close() {
      loopDelay.disable();
      if (training !== null) await training.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '0' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      model: { type: 'string', default: process.env.MODEL ?? DEFAULT_MODEL },
      'train-in-worker': { type: 'boolean', default: false },
      'train-epochs': { type: 'string' },
      'train-duty': { type: 'string' },
      'max-body': { type: 'string', default: String(DEFAULT_MAX_BODY) },
      runtime: { type: 'string', default: 'torchlet' },
      threads: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`--port: expected 0..65535, got ${values.port}`);
  const maxBodyBytes = Number(values['max-body']);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new RangeError(`--max-body: expected a positive integer, got ${values['max-body']}`);
  const trainOptions = {};
  if (values['train-epochs'] !== undefined) trainOptions.epochs = Number(values['train-epochs']);
  if (values['train-duty'] !== undefined) {
    const duty = Number(values['train-duty']);
    if (!(duty > 0 && duty <= 1)) throw new RangeError(`--train-duty: expected a fraction in (0, 1], got ${values['train-duty']}`);
    trainOptions.duty = duty;
  }
  const log = values.quiet ? () => {} : (line) => console.error(line);
  try {
    const service = await startServer({ port, host: values.host, modelPath: values.model, trainInWorker: values['train-in-worker'], trainOptions, maxBodyBytes, runtime: values.runtime, threads: values.threads === undefined ? undefined : Number(values.threads), log });
    console.log(`listening on ${service.url}`);
    const stop = () => { service.close().then(() => process.exit(0)); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
