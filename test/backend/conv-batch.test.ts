/**
 * The convolution batch kernels (convForward, convBackwardInput,
 * convBackwardWeight) on shapes large enough for the native kernels to split
 * the samples across the pool (and, with fewer samples than threads, each GEMM
 * instead), at 1–3 threads, against the js loops. The table's random parity
 * calls are too small to reach either split.
 */
import { describe, expect, it } from 'vitest';
import type { Float, Kernels } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { makeRng } from '../../lib/backend/harness';

let native: Kernels | null = null;
try {
  native = loadNativeKernels();
} catch {
  native = null;
}

type Dtype = 'float32' | 'float64';
const rng = makeRng(7);
const filled = (dtype: Dtype, n: number): Float => {
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() * 4 - 2;
  return a;
};

// [n, groups, oc, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW]:
// a batch of 5 (parts of 1–2 samples at 3 threads), 2 groups, padding; one sample
// (the GEMMs split instead); a strided, dilated batch; a 1×1 convolution (no im2col);
// no image channels and no grid channels (outputs of zeros). Every output starts
// as NaN: the kernels must write each element (ops hand them unzeroed buffers).
type Sizes = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
const SHAPES: Sizes[] = [
  [5, 2, 8, 4, 12, 12, 3, 3, 1, 1, 1, 1, 1, 1, 12, 12],
  [1, 1, 16, 16, 20, 20, 3, 3, 1, 1, 0, 0, 1, 1, 18, 18],
  [4, 1, 24, 6, 17, 15, 3, 2, 2, 1, 1, 0, 2, 2, 8, 13],
  [6, 1, 32, 24, 10, 10, 1, 1, 1, 1, 0, 0, 1, 1, 10, 10],
  [3, 2, 4, 0, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5],
  [3, 2, 0, 4, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5],
];

describe.skipIf(native === null)('convolution batch kernels: native at 1–3 threads == js', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`forward, input gradient and weight gradient (${dtype})`, () => {
      const before = native!.getNumThreads();
      try {
        for (const s of SHAPES) {
          const [n, groups, oc, c, h, w, kH, kW, , , , , , , oH, oW] = s;
          const image = filled(dtype, n * groups * c * h * w);
          const grid = filled(dtype, n * groups * oc * oH * oW);
          const weight = filled(dtype, groups * oc * c * kH * kW);
          // [kernel, first operand, second operand, result length]
          const calls = [
            ['convForward', image, weight, grid.length],
            ['convBackwardInput', grid, weight, image.length],
            ['convBackwardWeight', image, grid, weight.length],
          ] as const;
          for (const [name, a, b, len] of calls) {
            const ref = filled(dtype, len).fill(NaN);
            jsKernels[name](a, b, ...s, ref);
            let scale = 0;
            for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(ref[i]));
            const tol = (dtype === 'float32' ? 1e-5 : 1e-13) * scale;
            for (const threads of [1, 2, 3]) {
              native!.setNumThreads(threads);
              const out = filled(dtype, len).fill(NaN);
              native![name](a, b, ...s, out);
              let worst = 0;
              for (let i = 0; i < len; i++) worst = Math.max(worst, Math.abs(out[i] - ref[i]) || (Number.isNaN(out[i]) ? Infinity : 0));
              expect(worst, `${name} ${dtype} [${s.join(', ')}] at ${threads} threads`).toBeLessThanOrEqual(tol);
            }
          }
        }
      } finally {
        native!.setNumThreads(before);
      }
    });
  }
});

describe('convolution batch kernels with no grid channels (oc 0)', () => {
  // A kernel taller than 2^31 − 1 rows with no grid channels: valid lengths (weight
  // and grid are empty), and im2col's scratch would be 8.6G elements; found by the fuzz.
  const geometry = [2, 2, 0, 2, 3, 2, 2147483647, 2, 2, 3, 0, 2, 1, 1, 1, 1] as const;
  const backends: [string, Kernels][] = native === null ? [['js', jsKernels]] : [['js', jsKernels], ['native', native]];
  for (const [name, k] of backends) {
    it(`${name}: the input gradient is zeros, the others write nothing, with no giant allocation`, () => {
      const image = Float64Array.from({ length: 48 }, () => 5);
      k.convBackwardInput(Float64Array.of(1.5), new Float64Array(0), ...geometry, image);
      expect(Array.from(image)).toEqual(new Array(48).fill(0));
      const grid = Float64Array.of(7);
      k.convForward(new Float64Array(48), new Float64Array(0), ...geometry, grid);
      expect(Array.from(grid)).toEqual([7]);
      const weight = Float64Array.of(9);
      k.convBackwardWeight(new Float64Array(48), new Float64Array(0), ...geometry, weight);
      expect(Array.from(weight)).toEqual([9]);
    });
  }
});

describe('convolution weight gradient with no windows (oH 0)', () => {
  // 2^31 − 2 samples whose grids have no cells: valid lengths (image and grid are
  // empty), and the weight gradient is zeros without a pass per sample; found by the fuzz.
  const geometry = [2147483646, 2, 3, 1, 0, 1, 3, 1, 3, 3, 1, 1, 2, 1, 0, 3] as const;
  const backends: [string, Kernels][] = native === null ? [['js', jsKernels]] : [['js', jsKernels], ['native', native]];
  for (const [name, k] of backends) {
    it(`${name}: zeros at once`, () => {
      const weight = Float64Array.from({ length: 18 }, () => 5);
      k.convBackwardWeight(new Float64Array(0), new Float64Array(0), ...geometry, weight);
      expect(Array.from(weight)).toEqual(new Array(18).fill(0));
    });
  }
});
