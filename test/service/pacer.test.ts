/**
 * torch.worker.pacer: a training worker's duty cycle. The timing case runs in
 * a real worker thread on the built package (npm test builds dist/ first).
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pacer } from '../../lib/worker';

const root = path.resolve(__dirname, '..', '..');

describe('worker.pacer', () => {
  it('checks its duty and refuses to sleep on the main thread', () => {
    for (const bad of [0, -0.5, 1.5, Number.NaN, '0.5' as unknown as number]) {
      expect(() => pacer(bad)).toThrow(/pacer: duty must be a number in \(0, 1\]/);
    }
    expect(() => pacer(0.5)).toThrow(/pacer: call it in a worker thread/);
    const full = pacer(1);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) full();
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('keeps a worker busy at most `duty` of the time', async () => {
    // 5 steps of ~20 ms busy work at duty 0.25: ≥ 5 × 20 ms × 3 of sleep.
    const code = `
      const { parentPort } = require('node:worker_threads');
      const torch = require(${JSON.stringify(root)});
      const pace = torch.worker.pacer(0.25);
      let busy = 0;
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        while (performance.now() - s < 20) {}
        busy += performance.now() - s;
        pace();
      }
      parentPort.postMessage({ busy, total: performance.now() - t0 });`;
    const worker = new Worker(code, { eval: true });
    const { busy, total } = await new Promise<{ busy: number; total: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(busy).toBeGreaterThanOrEqual(100);
    expect(total).toBeGreaterThanOrEqual(busy * 4 * 0.95);
  });
});
