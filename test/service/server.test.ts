/**
 * examples/serve/server.mjs over loopback with fetch: a model trained for one
 * epoch by train-model.mjs into a temp dir, predictions for held-out digits
 * (right, and identical to in-process inference), every error class with its
 * status and message, and the server answering after each of them. Then the
 * CLI as a child process with --train-in-worker: it prints its URL and swaps
 * in the worker's weights while serving. Needs dist/ (npm test builds it).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { connect, type Socket } from 'node:net';

interface Service { url: string; close(): Promise<void>; state: { errors: number } }
interface ServerModule { startServer(o: Record<string, unknown>): Promise<Service>; DEFAULT_MAX_BODY: number }
interface Tensorish { shape: number[]; toArray(): unknown; narrow(d: number, s: number, n: number): Tensorish }
interface ModelModule {
  mnistSplit(o?: Record<string, unknown>): { xTest: Tensorish; yTest: Tensorish };
  loadModel(p: string): Promise<{ model: { forward(x: unknown): { softmax(d: number): { toArray(): number[][] } } } }>;
  normalize(x: Tensorish): unknown;
  torch: { noGrad<T>(f: () => T): T; tensor(d: number[][]): Tensorish };
}
interface TrainModule { trainModel(o: Record<string, unknown>): Promise<{ path: string; testAccuracy: number }> }

const root = path.resolve(__dirname, '..', '..');
const serveDir = path.join(root, 'examples', 'serve');
const MAX_BODY = 256 * 1024;
let dir: string;
let modelPath: string;
let service: Service;
let lib: ModelModule;
let digits: number[][];
let labels: number[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'torchlet-serve-'));
  modelPath = path.join(dir, 'model.safetensors');
  const { trainModel } = await import(path.join(serveDir, 'train-model.mjs')) as TrainModule;
  const trained = await trainModel({ epochs: 1, out: modelPath, log: () => {} });
  expect(trained.testAccuracy).toBeGreaterThan(0.85);
  lib = await import(path.join(serveDir, 'model.mjs')) as ModelModule;
  const { xTest, yTest } = lib.mnistSplit();
  // Three decimals, as the mnist package stores them (float32's long decimals would triple the JSON).
  digits = (xTest.narrow(0, 0, 100).toArray() as number[][]).map((r) => r.map((v) => Math.round(v * 1000) / 1000));
  labels = yTest.narrow(0, 0, 100).toArray() as number[];
  const { startServer } = await import(path.join(serveDir, 'server.mjs')) as ServerModule;
  service = await startServer({ port: 0, modelPath, maxBodyBytes: MAX_BODY });
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: string | Uint8Array | ReadableStream<Uint8Array>, contentType: string | null = 'application/json', route = '/predict'): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const r = await fetch(service.url + route, init);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: r.status, json: await r.json() as Record<string, unknown> };
}

async function stillServes(): Promise<void> {
  const h = await fetch(`${service.url}/health`);
  expect(h.status).toBe(200);
  const { status, json } = await post(JSON.stringify([digits[0]]));
  expect(status).toBe(200);
  expect(json.predictions).toHaveLength(1);
}

describe('examples/serve/server.mjs', () => {
  it('predicts held-out digits: right answers, the same numbers as in-process inference', async () => {
    const { status, json } = await post(JSON.stringify({ inputs: digits }));
    expect(status).toBe(200);
    const predictions = json.predictions as number[];
    const probabilities = json.probabilities as number[][];
    expect(predictions).toHaveLength(100);
    const right = predictions.filter((p, i) => p === labels[i]).length;
    expect(right).toBeGreaterThanOrEqual(85);
    for (const row of probabilities) {
      expect(row).toHaveLength(10);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    // The same as loading the file here and running the model under noGrad.
    const { model } = await lib.loadModel(modelPath);
    const local = lib.torch.noGrad(() => model.forward(lib.normalize(lib.torch.tensor(digits))).softmax(1).toArray());
    for (let i = 0; i < 100; i++) for (let k = 0; k < 10; k++) expect(probabilities[i]![k]).toBeCloseTo(local[i]![k]!, 6);
    // A few known digits one at a time, in each accepted body shape.
    const known = labels.map((l, i) => [l, i] as const).filter(([l, i]) => predictions[i] === l).slice(0, 5);
    for (const [label, i] of known) {
      for (const body of [digits[i], { inputs: digits[i] }, { inputs: [digits[i]] }]) {
        const one = await post(JSON.stringify(body));
        expect(one.status).toBe(200);
        expect(one.json.predictions).toEqual([label]);
        const got = (one.json.probabilities as number[][])[0]!; // one row through GEMM: equal up to float rounding
        for (let k = 0; k < 10; k++) expect(got[k]).toBeCloseTo(probabilities[i]![k]!, 6);
      }
    }
  });

  it("runtime 'onnxruntime': the exported model in onnxruntime-node answers as torchlet does (batched and alone)", async () => {
    const { startServer } = await import(path.join(serveDir, 'server.mjs')) as ServerModule;
    const onnx = await startServer({ port: 0, modelPath, runtime: 'onnxruntime' });
    try {
      const ask = async (url: string, inputs: number[][]): Promise<number[][]> => {
        const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs }) });
        expect(r.status).toBe(200);
        return ((await r.json()) as { probabilities: number[][] }).probabilities;
      };
      const [a, b] = await Promise.all([ask(onnx.url, digits), ask(service.url, digits)]);
      for (let i = 0; i < 100; i++) for (let k = 0; k < 10; k++) expect(Math.abs(a[i]![k]! - b[i]![k]!)).toBeLessThan(1e-5);
      const alone = await Promise.all(digits.slice(0, 3).map((d) => ask(onnx.url, [d])));
      alone.forEach((p, i) => { for (let k = 0; k < 10; k++) expect(Math.abs(p[0]![k]! - b[i]![k]!)).toBeLessThan(1e-5); });
    } finally {
      await onnx.close();
    }
    await expect(startServer({ port: 0, modelPath, runtime: 'onnxruntime', trainInWorker: true })).rejects.toThrow(/cannot take the weights a training worker posts/);
  });

  it('concurrent requests share forward passes, and each gets its own rows back', async () => {
    const { model } = await lib.loadModel(modelPath);
    const local = lib.torch.noGrad(() => model.forward(lib.normalize(lib.torch.tensor(digits))).softmax(1).toArray());
    const health = async (): Promise<{ predictions: number; forwardPasses: number }> =>
      await (await fetch(`${service.url}/health`)).json() as { predictions: number; forwardPasses: number };
    // 40 requests, singles and pairs of rows, written in one go on 40 open connections (the
    // server then reads them all in one turn of its event loop, as under load).
    const asked = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? [i, i + 1] : [i]));
    const { port } = new URL(service.url);
    const sockets = await Promise.all(asked.map(() => new Promise<Socket>((resolve, reject) => {
      const s = connect(Number(port), '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    })));
    await new Promise((r) => setTimeout(r, 100)); // the server has accepted them all
    const before = await health();
    const replies = sockets.map((s) => new Promise<string>((resolve) => {
      let text = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => { text += d; });
      s.once('end', () => resolve(text));
    }));
    for (const [j, rows] of asked.entries()) {
      const body = JSON.stringify({ inputs: rows.map((i) => digits[i]) });
      sockets[j]!.end(`POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    }
    const answers = await Promise.all(replies);
    const after = await health();
    for (const [j, rows] of asked.entries()) {
      expect(answers[j]).toMatch(/^HTTP\/1\.1 200 /);
      const json = JSON.parse(answers[j]!.slice(answers[j]!.indexOf('\r\n\r\n') + 4)) as { predictions: number[]; probabilities: number[][] };
      expect(json.probabilities).toHaveLength(rows.length);
      for (const [r, i] of rows.entries()) for (let k = 0; k < 10; k++) expect(json.probabilities[r]![k]).toBeCloseTo(local[i]![k]!, 6);
    }
    expect(after.predictions - before.predictions).toBe(asked.reduce((n, r) => n + r.length, 0));
    expect(after.forwardPasses - before.forwardPasses).toBeLessThan(asked.length / 2);
  });

  it('GET /health reports status, counters and RSS', async () => {
    const r = await fetch(`${service.url}/health`);
    expect(r.status).toBe(200);
    const h = await r.json() as Record<string, unknown>;
    expect(h.status).toBe('ok');
    expect(h.rssBytes).toBeGreaterThan(1e6);
    expect(typeof h.requests).toBe('number');
    expect(h.training).toBeNull();
  });

  const row = (n = 784, fill: unknown = 0.5): unknown[] => Array.from({ length: n }, () => fill);
  const cases: [string, string, number, string | RegExp][] = [
    ['malformed JSON', '{"inputs": [[0.1, 0.2', 400, /^body is not valid JSON: /],
    ['NaN (not JSON)', `[${row(783).join(',')},NaN]`, 400, /^body is not valid JSON: /],
    ['Infinity via 1e999', JSON.stringify(row(783)).slice(0, -1) + ',1e999]', 400, 'inputs[783] is Infinity, not a finite number'],
    ['a string pixel', JSON.stringify({ inputs: [row(), [...row(783), 'NaN']] }), 400, 'inputs[1][783] is the string "NaN", not a number'],
    ['a null pixel', JSON.stringify({ inputs: [[null, ...row(783)]] }), 400, 'inputs[0][0] is null, not a number'],
    ['too few values', JSON.stringify(row(783)), 400, 'inputs has 783 values; expected 784 (28×28 pixels)'],
    ['a short row in a batch', JSON.stringify({ inputs: [row(), row(10)] }), 400, 'inputs[1] has 10 values; expected 784 (28×28 pixels)'],
    ['a row that is not an array', JSON.stringify({ inputs: [row(), 7] }), 400, 'inputs[1] must be an array of 784 numbers, got number 7'],
    ['no "inputs"', JSON.stringify({ input: row() }), 400, 'body must be { "inputs": [[784 numbers], ...] } or [784 numbers]; "inputs" is missing'],
    ['"inputs" not an array', JSON.stringify({ inputs: 'pixels' }), 400, '"inputs" must be an array of 784 numbers or an array of such rows, got the string "pixels"'],
    ['empty inputs', JSON.stringify({ inputs: [] }), 400, '"inputs" is empty; send at least one row of 784 numbers'],
    ['a bare number', '42', 400, '"inputs" must be an array of 784 numbers or an array of such rows, got number 42'],
  ];
  for (const [name, body, status, message] of cases) {
    it(`${name} → ${status} with a clear message, and the server still answers`, async () => {
      const r = await post(body);
      expect(r.status).toBe(status);
      if (typeof message === 'string') expect(r.json.error).toBe(message);
      else expect(r.json.error).toMatch(message);
      await stillServes();
    });
  }

  it('wrong or missing content type → 415', async () => {
    const body = JSON.stringify([row()]);
    for (const [type, text] of [['text/plain', '"text/plain"'], ['application/x-www-form-urlencoded', '"application/x-www-form-urlencoded"']] as const) {
      const r = await post(body, type);
      expect(r.status).toBe(415);
      expect(r.json.error).toBe(`content-type must be application/json, got ${text}`);
    }
    const none = await post(new TextEncoder().encode(body), null);
    expect(none.status).toBe(415);
    expect(none.json.error).toBe('content-type must be application/json, got none');
    expect((await post(body, 'application/json; charset=utf-8')).status).toBe(200);
    await stillServes();
  });

  it('a body over the size cap → 413 (declared length or streamed), and the server still answers', async () => {
    const big = JSON.stringify({ inputs: Array.from({ length: 80 }, () => row(784, 0.123456)) });
    expect(big.length).toBeGreaterThan(MAX_BODY);
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toBe(`body is ${Buffer.byteLength(big)} bytes; the limit is ${MAX_BODY}`);
    await stillServes();
    // Chunked, no content-length: cut off once the running total passes the cap.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) { for (let i = 0; i < bytes.length; i += 16384) c.enqueue(bytes.subarray(i, i + 16384)); c.close(); },
    });
    const streamed = await post(stream);
    expect(streamed.status).toBe(413);
    expect(streamed.json.error).toBe(`body is over the ${MAX_BODY}-byte limit`);
    await stillServes();
  });

  it('unknown routes → 404, wrong methods → 405, and the server still answers', async () => {
    const r = await fetch(`${service.url}/nope?x=1`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'no route GET /nope; the routes are POST /predict and GET /health' });
    const g = await fetch(`${service.url}/predict`);
    expect(g.status).toBe(405);
    expect(g.headers.get('allow')).toBe('POST');
    expect(await g.json()).toEqual({ error: 'GET /predict is not allowed; use POST with a JSON body' });
    const p = await post('{}', 'application/json', '/health');
    expect(p.status).toBe(405);
    await stillServes();
    expect(service.state.errors).toBeGreaterThan(10);
  });
});

describe('server.mjs as a process, with --train-in-worker', () => {
  let child: ChildProcess | null = null;
  afterAll(() => { child?.kill('SIGTERM'); });

  it('prints its URL, serves, and swaps in the weights the worker posts', async () => {
    child = spawn(process.execPath, [path.join(serveDir, 'server.mjs'), '--port', '0', '--model', modelPath, '--train-in-worker', '--train-epochs', '2'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    });
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
    expect(url, first).toBeDefined();
    const body = JSON.stringify({ inputs: digits.slice(0, 8) });
    let health: { training: { swaps: number; done: boolean; error: string | null; lastEpoch: { epoch: number } | null } } | null = null;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { predictions: number[] }).predictions).toHaveLength(8);
      health = await (await fetch(`${url}/health`)).json() as typeof health;
      if (health!.training.done) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(health!.training.error, stderr).toBeNull();
    expect(health!.training.swaps).toBe(2);
    expect(health!.training.lastEpoch!.epoch).toBe(2);
    expect(stderr).toMatch(/swapped in the weights of epoch 2/);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child!.once('exit', resolve));
    expect(code).toBe(0);
    child = null;
  }, 90_000);
});
