/**
 * sum and mean over the middle axis at sizes where native splits the columns
 * across threads: the same bits on 1 and 2 threads (each column's sum runs in
 * order whatever the split), and within tolerance of the js backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { getNumThreads, setNumThreads } from '../../lib';

const native = loadNativeKernels();
const threads = getNumThreads();
afterAll(() => setNumThreads(threads));

// 3·700·130 = 273k elements: split (from 64k); 130 columns: uneven parts.
const [OUTER, DIM, INNER] = [3, 700, 130];

describe('sum and mean split across threads', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const op of ['sum', 'mean'] as const) {
      it(`${op}, ${dtype}: 1 and 2 threads give the same bits, near js`, () => {
        const make = (n: number): Float32Array | Float64Array => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
        const x = make(OUTER * DIM * INNER);
        for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 3;
        const run = (n: number): number[] => {
          setNumThreads(n);
          const out = make(OUTER * INNER);
          native[op](x, OUTER, DIM, INNER, out);
          return Array.from(out);
        };
        const one = run(1);
        expect(run(2)).toEqual(one);
        const js = make(OUTER * INNER);
        jsKernels[op](x, OUTER, DIM, INNER, js);
        const bad = one.findIndex((v, i) => !(Math.abs(v - js[i]) <= 1e-6 * Math.max(1, Math.abs(js[i]))));
        expect(bad).toBe(-1);
      });
    }
  }
});
