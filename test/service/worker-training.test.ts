/**
 * Training off the event loop (torch.worker): a worker_threads Worker trains
 * XOR and posts its state dict after each epoch, transferring the buffers; the
 * main thread keeps answering a timer loop (inference on its own model) with a
 * low event-loop delay and swaps each epoch's weights in with loadStateDict.
 * Also: stateDictToMessage / stateDictFromMessage on their own (transfer list
 * dedupe, copy vs move, validation errors) and TrainingWorker's failure modes.
 * The worker scripts run the built package (npm test builds dist/ first).
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as torch from '../../lib';
import { Tensor } from '../../lib';
import {
  stateDictToMessage, stateDictFromMessage, trainInWorker, postStateDict, isStateDictEnvelope, type StateDictMessage,
} from '../../lib/worker';

const fixtures = path.join(__dirname, 'fixtures');
const xorTrainer = path.join(fixtures, 'xor-trainer.cjs');
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];

interface EpochInfo { epoch: number; loss: number; out: number[] }
interface Check { type: 'check'; epoch: number; transferred: number[]; params: number[]; stateDict: number[] }

function xorModel(): torch.nn.Sequential {
  const { nn } = torch;
  return new nn.Sequential(new nn.Linear(2, 16), new nn.Sigmoid(), new nn.Linear(16, 1), new nn.Sigmoid());
}

/** Posts through a real MessageChannel and returns what the other side receives. */
async function roundTrip(value: unknown, transfer: ArrayBuffer[]): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  try {
    const got = new Promise<unknown>((resolve) => port2.once('message', resolve));
    port1.postMessage(value, transfer);
    return await got;
  } finally {
    port1.close();
    port2.close();
  }
}

describe('training in a worker while the main thread serves', () => {
  it('posts weights each epoch (transferred, not copied), the main thread stays responsive and ends with XOR', async () => {
    const EPOCHS = 8;
    const infer = xorModel();
    infer.eval();
    const x = torch.tensor(X);
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let ticks = 0;
    let answers = 0;
    // The "service": answers every 2 ms with the current model.
    const timer = setInterval(() => {
      ticks++;
      const out = torch.noGrad(() => infer.forward(x).toArray()) as number[][];
      if (out.length === 4 && out.every((r) => Number.isFinite(r[0]))) answers++;
    }, 2);
    const checks: Check[] = [];
    const training = trainInWorker<EpochInfo>(xorTrainer, { workerData: { epochs: EPOCHS, steps: 400, seed: 1 } });
    training.worker.on('message', (m: unknown) => { if (!isStateDictEnvelope(m)) checks.push(m as Check); });
    const epochs: EpochInfo[] = [];
    let lastSwapOut: number[] = [];
    histogram.enable();
    try {
      for await (const { info, stateDict } of training) {
        infer.loadStateDict(stateDict); // between requests: the timer's forward runs in its own task
        lastSwapOut = (torch.noGrad(() => infer.forward(x).toArray()) as number[][]).map((r) => r[0]!);
        for (let i = 0; i < 4; i++) expect(lastSwapOut[i]).toBeCloseTo(info.out[i]!, 6);
        epochs.push(info);
      }
    } finally {
      histogram.disable();
      clearInterval(timer);
    }
    expect(await training.exited).toBe(0);
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    // The loss went down and the main model gives XOR's answers.
    expect(epochs[EPOCHS - 1]!.loss).toBeLessThan(epochs[0]!.loss);
    const final = (torch.noGrad(() => infer.forward(x).toArray()) as number[][]).map((r) => r[0]!);
    expect(final.map((p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    // The main thread kept answering, with a low event-loop delay.
    expect(ticks).toBeGreaterThan(20);
    expect(answers).toBe(ticks);
    const p99ms = histogram.percentile(99) / 1e6;
    expect(p99ms, `event-loop delay p99 ${p99ms.toFixed(2)} ms`).toBeLessThan(50);
    // Transfer, not copy: the worker's posted buffers are detached (byteLength 0),
    // one per tensor (4 storages), while its own parameters and state dict stay intact.
    await new Promise((r) => setTimeout(r, 20));
    expect(checks).toHaveLength(EPOCHS);
    for (const c of checks) {
      expect(c.transferred).toEqual([0, 0, 0, 0]);
      expect(c.params).toEqual([16 * 2 * 4, 16 * 4, 16 * 4, 4]);
      expect(c.stateDict).toEqual([16 * 2 * 4, 16 * 4, 16 * 4, 4]);
    }
  });

  it('a worker that throws or exits non-zero ends the iteration with an error', async () => {
    for (const [fail, message] of [['throw', /boom in the training worker/], ['exit', /exited with code 3/]] as const) {
      const training = trainInWorker<EpochInfo>(xorTrainer, { workerData: { epochs: 3, steps: 10, fail } });
      const seen: number[] = [];
      await expect((async () => { for await (const { info } of training) seen.push(info.epoch); })()).rejects.toThrow(message);
      expect(seen.length).toBeLessThanOrEqual(1);
    }
  });

  it('a malformed state dict from the worker rejects with a clear error and stops the worker', async () => {
    const training = trainInWorker(path.join(fixtures, 'not-a-state-dict.cjs'));
    await expect((async () => { for await (const _ of training) { /* nothing */ } })())
      .rejects.toThrow('stateDictFromMessage: tensor "w": buffer must be an ArrayBuffer, got a Float32Array (send its .buffer)');
    expect(await training.exited).not.toBe(0); // terminated
  });

  it('terminate() ends the iteration normally', async () => {
    const training = trainInWorker<EpochInfo>(xorTrainer, { workerData: { epochs: 1000, steps: 20 } });
    const seen: number[] = [];
    for await (const { info } of training) {
      seen.push(info.epoch);
      if (info.epoch === 2) void training.terminate();
    }
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    expect(seen.length).toBeLessThan(1000);
  });

  it('leaving the loop early terminates the worker', async () => {
    const training = trainInWorker<EpochInfo>(xorTrainer, { workerData: { epochs: 1000, steps: 20 } });
    for await (const { info } of training) if (info.epoch === 2) break;
    expect(typeof await training.exited).toBe('number');
    expect(() => training[Symbol.asyncIterator]()).toThrow(/one consumer/);
  });
});

describe('stateDictToMessage / stateDictFromMessage', () => {
  it('round-trips through a MessageChannel, one buffer per storage (reshape views deduped)', async () => {
    torch.manualSeed(0);
    const w = torch.randn(3, 4);
    const sd: Record<string, Tensor> = { w, flat: w.reshape(12), d: torch.tensor([1, 2], { dtype: 'float64' }), i: torch.tensor([7, 8, 9], { dtype: 'int32' }) };
    const { message, transfer } = stateDictToMessage(sd);
    expect(transfer).toHaveLength(3);
    expect(message.w!.buffer).toBe(message.flat!.buffer);
    const got = stateDictFromMessage(await roundTrip(message, transfer));
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true); // moved
    expect(w.data.byteLength).toBe(48); // copy: true left the source intact
    expect(got.w!.toArray()).toEqual(w.toArray());
    expect(got.flat!.shape).toEqual([12]);
    expect(got.flat!.data).toBe(got.w!.data); // views again
    expect(got.d!.dtype).toBe('float64');
    expect(got.i!.toArray()).toEqual([7, 8, 9]);
    expect(Object.keys(got)).toEqual(['w', 'flat', 'd', 'i']);
  });

  it('copy: false transfers the tensors\' own buffers (the sender\'s tensors become empty)', async () => {
    const t = torch.arange(2000).to('float32'); // above the 4 KB of slab-allocated storages
    const view = t.reshape(2, 1000);
    const { message, transfer } = stateDictToMessage({ t, view }, { copy: false });
    expect(transfer).toEqual([t.data.buffer]);
    const got = stateDictFromMessage(await roundTrip(message, transfer));
    expect(t.data.byteLength).toBe(0);
    expect((got.view!.toArray() as number[][])[1]![999]).toBe(1999);
    expect(() => stateDictToMessage({ t })).toThrow(/detached buffer/);
  });

  it('copy: false copies a small tensor: its storage is a window into a shared slab', () => {
    const small = torch.arange(6).to('float32');
    const neighbour = torch.ones(3);
    expect(small.data.buffer.byteLength).toBeGreaterThan(small.data.byteLength);
    const { message, transfer } = stateDictToMessage({ small }, { copy: false });
    expect(transfer[0]).not.toBe(small.data.buffer);
    expect(message.small!.buffer.byteLength).toBe(24);
    expect(small.toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(neighbour.toArray()).toEqual([1, 1, 1]);
  });

  it('copy: false still copies a tensor that is a window into a larger buffer', () => {
    const big = new Float32Array(10).fill(5);
    const t = torch.tensor(big.subarray(2, 6));
    const { message, transfer } = stateDictToMessage({ t }, { copy: false });
    expect(transfer[0]).not.toBe(big.buffer);
    expect(message.t!.buffer.byteLength).toBe(16);
  });

  it('sets a "__proto__" key as an own property', () => {
    const sd: Record<string, Tensor> = {};
    Object.defineProperty(sd, '__proto__', { value: torch.ones(2), enumerable: true });
    const { message } = stateDictToMessage(sd);
    const got = stateDictFromMessage(message);
    expect(Object.keys(got)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it('rejects malformed messages with errors that name the tensor and the problem', () => {
    const ok = (): StateDictMessage => ({ w: { dtype: 'float32', shape: [2, 2], buffer: new ArrayBuffer(16) } });
    const bad = (patch: Record<string, unknown>): unknown => ({ w: { ...ok().w, ...patch } });
    expect(() => stateDictFromMessage(null)).toThrow(new TypeError('stateDictFromMessage: expected a state dict message (an object of name → { dtype, shape, buffer }), got null'));
    expect(() => stateDictFromMessage([1])).toThrow(/got an array/);
    expect(() => stateDictFromMessage({ w: 3 })).toThrow('stateDictFromMessage: tensor "w": expected { dtype, shape, buffer }, got number 3');
    expect(() => stateDictFromMessage(bad({ dtype: 'float16' }))).toThrow(`tensor "w": unknown dtype string "float16"; expected 'float32', 'float64' or 'int32'`);
    expect(() => stateDictFromMessage(bad({ shape: '2,2' }))).toThrow('tensor "w": shape must be an array of sizes, got string "2,2"');
    expect(() => stateDictFromMessage(bad({ shape: [2, -2] }))).toThrow(RangeError);
    expect(() => stateDictFromMessage(bad({ shape: [2.5] }))).toThrow('shape must hold non-negative integers, got [2.5]');
    expect(() => stateDictFromMessage(bad({ buffer: new Float32Array(4) }))).toThrow('buffer must be an ArrayBuffer, got a Float32Array (send its .buffer)');
    expect(() => stateDictFromMessage(bad({ buffer: [0, 0, 0, 0] }))).toThrow('buffer must be an ArrayBuffer, got an array');
    expect(() => stateDictFromMessage(bad({ buffer: new ArrayBuffer(12) }))).toThrow(new RangeError('stateDictFromMessage: tensor "w": buffer holds 12 bytes but float32 [2, 2] needs 16'));
    const detached = new ArrayBuffer(16);
    structuredClone(detached, { transfer: [detached] });
    expect(() => stateDictFromMessage(bad({ buffer: detached }))).toThrow(/holds 0 bytes .*detached/);
    const shared = new ArrayBuffer(16);
    expect(() => stateDictFromMessage({ a: { dtype: 'float32', shape: [4], buffer: shared }, b: { dtype: 'int32', shape: [4], buffer: shared } }))
      .toThrow('tensor "b": shares its buffer with a tensor of another dtype');
    expect(() => stateDictToMessage({ w: [1, 2] as unknown as Tensor })).toThrow('stateDictToMessage: the value of "w" is not a Tensor');
    const got = stateDictFromMessage(ok());
    expect(got.w!.shape).toEqual([2, 2]);
  });

  it('postStateDict posts an envelope on a given port and returns the detached buffers', async () => {
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<unknown>((resolve) => port2.once('message', resolve));
    const lin = new torch.nn.Linear(3, 2);
    const buffers = postStateDict(lin.stateDict(), { epoch: 1 }, { port: port1 as MessagePort });
    const m = await got;
    port1.close(); port2.close();
    expect(buffers.map((b) => b.byteLength)).toEqual([0, 0]);
    expect(isStateDictEnvelope(m)).toBe(true);
    const sd = stateDictFromMessage((m as { state: unknown }).state);
    expect(sd.weight!.toArray()).toEqual(lin.weight.toArray());
    expect(() => postStateDict(lin.stateDict(), null)).toThrow(/not in a worker thread/);
  });
});
