/**
 * examples/serve/batcher.mjs: requests submitted in one turn of the event loop
 * run as one call, each gets its own rows back in order, batches respect
 * maxRows, and a failing call rejects exactly the requests it held.
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';

interface Batcher { submit(x: Float32Array, rows: number): Promise<unknown[]> }
type Run = (x: Float32Array, rows: number) => unknown[] | Promise<unknown[]>;
interface BatcherModule { MicroBatcher: new (run: Run, o: { width: number; maxRows?: number }) => Batcher }

const modulePath = path.resolve(__dirname, '..', '..', 'examples', 'serve', 'batcher.mjs');
const load = async (): Promise<BatcherModule> => await import(modulePath) as BatcherModule;

/** rows × width values; row r holds `start + r` everywhere. */
const rowsOf = (start: number, rows: number, width: number): Float32Array => {
  const x = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) x.fill(start + r, r * width, (r + 1) * width);
  return x;
};

/** A run that records each call's row count and returns [first value of the row, its sum]. */
function recorder(width: number): { run: Run; calls: number[] } {
  const calls: number[] = [];
  const run: Run = (x, rows) => {
    calls.push(rows);
    expect(x.length).toBe(rows * width);
    return Array.from({ length: rows }, (_, r) => [x[r * width], x.subarray(r * width, (r + 1) * width).reduce((a, b) => a + b, 0)]);
  };
  return { run, calls };
}

describe('examples/serve MicroBatcher', () => {
  it('joins the requests of one turn into one call and hands each its rows, in order', async () => {
    const { MicroBatcher } = await load();
    const { run, calls } = recorder(3);
    const b = new MicroBatcher(run, { width: 3 });
    const sizes = [1, 4, 2, 1, 3];
    let start = 0;
    const pending = sizes.map((n) => { const p = b.submit(rowsOf(start, n, 3), n); start += n; return p; });
    const got = await Promise.all(pending);
    expect(calls).toEqual([11]);
    start = 0;
    for (const [i, n] of sizes.entries()) {
      expect(got[i]).toEqual(Array.from({ length: n }, (_, r) => [start + r, 3 * (start + r)]));
      start += n;
    }
    // The next turn is a batch of its own.
    await b.submit(rowsOf(0, 2, 3), 2);
    expect(calls).toEqual([11, 2]);
  });

  it('keeps batches within maxRows; a request larger than that runs alone', async () => {
    const { MicroBatcher } = await load();
    const { run, calls } = recorder(2);
    const b = new MicroBatcher(run, { width: 2, maxRows: 5 });
    const sizes = [2, 2, 2, 7, 1, 4, 1];
    let start = 0;
    const got = await Promise.all(sizes.map((n) => { const p = b.submit(rowsOf(start, n, 2), n); start += n; return p; }));
    expect(calls).toEqual([4, 2, 7, 5, 1]);
    expect(got.map((r) => r.length)).toEqual(sizes);
    expect((got[3] as number[][]).map((r) => r[0])).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect((got[6] as number[][])[0]![0]).toBe(18);
  });

  it('a failing call rejects the requests it held, and only those', async () => {
    const { MicroBatcher } = await load();
    const b = new MicroBatcher((x, rows) => {
      if (x.includes(99)) throw new Error('bad batch');
      return Array.from({ length: rows }, () => 'ok');
    }, { width: 1, maxRows: 2 });
    const results = await Promise.allSettled([
      b.submit(Float32Array.of(1), 1), b.submit(Float32Array.of(99), 1), b.submit(Float32Array.of(2, 3), 2),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('bad batch');
    expect((results[2] as PromiseFulfilledResult<unknown[]>).value).toEqual(['ok', 'ok']);
  });

  it('rejects a run that returns the wrong number of results, and bad arguments', async () => {
    const { MicroBatcher } = await load();
    const b = new MicroBatcher(() => [1], { width: 2 });
    await expect(b.submit(new Float32Array(4), 2)).rejects.toThrow('MicroBatcher: run returned 1 results for 2 rows');
    expect(() => b.submit(new Float32Array(3), 2)).toThrow('MicroBatcher.submit: 2 rows of 2 need 4 values, got 3');
    expect(() => b.submit(new Float32Array(0), 0)).toThrow('MicroBatcher.submit: rows must be a positive integer, got 0');
    expect(() => new MicroBatcher(() => [], { width: 0 })).toThrow('width must be a positive integer, got 0');
    expect(() => new MicroBatcher(() => [], { width: 2, maxRows: 1.5 })).toThrow('maxRows must be a positive integer, got 1.5');
  });

  it('an asynchronous run (onnxruntime) resolves each request with its rows, or rejects them all', async () => {
    const { MicroBatcher } = await load();
    let calls = 0;
    const ok = new MicroBatcher(async (x, rows) => { calls++; await new Promise((r) => setTimeout(r, 5)); return Array.from({ length: rows }, (_, r) => x[r * 2]); }, { width: 2 });
    expect(await Promise.all([ok.submit(rowsOf(1, 2, 2), 2), ok.submit(rowsOf(5, 1, 2), 1)])).toEqual([[1, 2], [5]]);
    expect(calls).toBe(1);
    const bad = new MicroBatcher(async () => { throw new Error('session failed'); }, { width: 2 });
    const both = [bad.submit(rowsOf(0, 1, 2), 1), bad.submit(rowsOf(0, 1, 2), 1)];
    for (const p of both) await expect(p).rejects.toThrow('session failed');
    const short = new MicroBatcher(async () => [1], { width: 2 });
    await expect(short.submit(rowsOf(0, 2, 2), 2)).rejects.toThrow(/returned 1 results for 2 rows/);
  });
});
