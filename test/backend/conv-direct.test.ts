/**
 * The native convolution kernels' direct float32 path (native/conv_direct.h:
 * stride 1, dilation 1, one group, c·kH·kW ≤ 150 taps, oc ≤ 8·c; the input
 * gradient also needs the grid to fill half its padded area) and the
 * im2col + GEMM path it falls back to, on shapes chosen to select each, at 1–3
 * threads, against the js kernels in float64 on the same values. The table's
 * random parity calls cover the small shapes; these reach every register-block
 * remainder of the direct kernels, windows reaching past the image, a batch
 * split across the pool and the weight gradient's fixed summation order.
 */
import { describe, expect, it } from 'vitest';
import type { Kernels } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { makeRng } from '../../lib/backend/harness';

let native: Kernels | null = null;
try {
  native = loadNativeKernels();
} catch {
  native = null;
}

// [n, groups, oc, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW]
type Sizes = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** A stride-1 convolution with padding `pad` on every side. */
const conv = (n: number, oc: number, c: number, h: number, w: number, k: number, pad: number): Sizes =>
  [n, 1, oc, c, h, w, k, k, 1, 1, pad, pad, 1, 1, h + 2 * pad - k + 1, w + 2 * pad - k + 1];

// Which path each product takes, forward / input gradient / weight gradient (D direct, G im2col + GEMM).
const SHAPES: [string, Sizes][] = [
  ['LeNet conv1-like, 6 rows = 4 + 2 (DDD)', conv(5, 6, 1, 12, 12, 5, 2)],
  ['LeNet conv2-like, 25·6 taps; grid 5×5 of 9×9 padded (DGD)', conv(4, 16, 6, 9, 9, 5, 0)],
  ['7 rows (4 + 3), 3×2 kernel, grid past the image bottom and right (DDD)', [3, 1, 7, 2, 7, 9, 3, 2, 1, 1, 2, 0, 1, 1, 8, 9]],
  ['padding past the kernel (DDD)', conv(2, 5, 2, 5, 6, 3, 3)],
  ['padding past every window: outputs of zeros (DGD)', [2, 1, 3, 2, 4, 5, 1, 2, 1, 1, 3, 4, 1, 1, 2, 2]],
  ['image columns past every window, rows inside (DGD)', [2, 1, 3, 2, 4, 5, 2, 2, 1, 1, 1, 6, 1, 1, 3, 2]],
  ['a batch split across the pool, 1 row left over (DDD)', conv(16, 9, 4, 16, 16, 3, 1)],
  ['fan-out 12 > 8 (GGG)', conv(3, 12, 1, 10, 10, 3, 0)],
  ['153 taps > 150 (GGG)', conv(3, 4, 17, 6, 6, 3, 1)],
  ['one sample, GEMMs split across the pool at 2–3 threads (DDD at 1 thread, else GGG)', conv(1, 8, 8, 32, 32, 3, 1)],
];

const rng = makeRng(11);
const filled = (len: number): Float32Array => {
  const a = new Float32Array(len);
  for (let i = 0; i < len; i++) a[i] = rng.next() * 4 - 2;
  return a;
};

describe.skipIf(native === null)('convolution: direct float32 path and im2col fallback == js (float64)', () => {
  for (const [label, s] of SHAPES) {
    it(label, () => {
      const [n, groups, oc, c, h, w, kH, kW, , , , , , , oH, oW] = s;
      const image = filled(n * groups * c * h * w);
      const grid = filled(n * groups * oc * oH * oW);
      const weight = filled(groups * oc * c * kH * kW);
      const calls = [
        ['convForward', image, weight, grid.length],
        ['convBackwardInput', grid, weight, image.length],
        ['convBackwardWeight', image, grid, weight.length],
      ] as const;
      const before = native!.getNumThreads();
      try {
        for (const [name, a, b, len] of calls) {
          const ref = new Float64Array(len);
          jsKernels[name](Float64Array.from(a), Float64Array.from(b), ...s, ref);
          let scale = 0;
          for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(ref[i]));
          for (const threads of [1, 2, 3]) {
            native!.setNumThreads(threads);
            // Every element must be written: outputs start as NaN.
            const out = new Float32Array(len).fill(NaN);
            native![name](a, b, ...s, out);
            let worst = 0;
            for (let i = 0; i < len; i++) worst = Math.max(worst, Math.abs(out[i] - ref[i]) || (Number.isNaN(out[i]) ? Infinity : 0));
            expect(worst, `${name} at ${threads} threads`).toBeLessThanOrEqual(1e-5 * scale);
            // Deterministic: the same bits on a second call.
            const again = new Float32Array(len);
            native![name](a, b, ...s, again);
            expect(Buffer.from(again.buffer).equals(Buffer.from(out.buffer)), `${name} repeated at ${threads} threads`).toBe(true);
          }
        }
      } finally {
        native!.setNumThreads(before);
      }
    });
  }

  it('infinite image and weight values give the infinities and NaNs of the js kernels (the gradients fall back)', () => {
    const s = conv(5, 6, 2, 12, 12, 5, 2);
    const [n, , oc, c, h, w, kH, kW, , , , , , , oH, oW] = s;
    const image = filled(n * c * h * w);
    image[2 * c * h * w + 3 * w + 5] = Infinity;
    image[4 * c * h * w + h * w + 11] = -Infinity;
    const grid = filled(n * oc * oH * oW);
    const weight = filled(oc * c * kH * kW);
    const infWeight = weight.slice();
    infWeight[3 * c * kH * kW + 7] = Infinity;
    const calls = [
      ['convForward', image, weight, grid.length],
      ['convBackwardWeight', image, grid, weight.length],
      ['convBackwardInput', grid, infWeight, image.length],
    ] as const;
    for (const [name, a, b, len] of calls) {
      const ref = new Float64Array(len);
      jsKernels[name](Float64Array.from(a), Float64Array.from(b), ...s, ref);
      const out = new Float32Array(len);
      native![name](a, b, ...s, out);
      let infinite = 0;
      for (let i = 0; i < len; i++) {
        if (Number.isFinite(ref[i])) {
          expect(Number.isFinite(out[i]), `${name}[${i}] finite`).toBe(true);
          continue;
        }
        infinite++;
        expect(out[i], `${name}[${i}]`).toBe(ref[i]);
      }
      expect(infinite, name).toBeGreaterThan(0);
    }
  });
});
