// The addon is context-aware: it loads in worker_threads (and in several at
// once, next to the main thread's copy) and runs a gemm there.
import { Worker } from 'worker_threads';
import { describe, expect, it } from 'vitest';
import { loadNativeKernels, packageRoot } from '../../lib/backend/native';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const { createRequire } = require('module');
const path = require('path');
const req = createRequire(path.join(workerData.root, 'package.json'));
const addon = req('node-gyp-build')(workerData.root);
const a = new Float32Array([1, 2, 3, 4, 5, 6]);
const b = new Float32Array([7, 8, 9, 10, 11, 12]);
const c = new Float32Array(4);
addon.gemm(false, false, 2, 2, 3, 1, a, b, 0, c);
let error = '';
try { addon.gemm(false, false, 2, 2, 3, 1, a, b, 0, a); } catch (e) { error = e.constructor.name + ': ' + e.message; }
parentPort.postMessage({ c: Array.from(c), error });
`;

function runWorker(): Promise<{ c: number[]; error: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { root: packageRoot } });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with code ${code}`));
    });
  });
}

describe('native addon in worker_threads', () => {
  it('loads in the main thread and in two workers at once, and runs gemm in each', async () => {
    const k = loadNativeKernels();
    expect(k.name).toBe('native');
    const results = await Promise.all([runWorker(), runWorker()]);
    for (const r of results) {
      expect(r.c).toEqual([58, 64, 139, 154]);
      expect(r.error).toMatch(/^RangeError: gemm: output overlaps/);
    }
    const c = new Float32Array(4);
    k.gemm(false, false, 2, 2, 3, 1, Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([7, 8, 9, 10, 11, 12]), 0, c);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });
});
