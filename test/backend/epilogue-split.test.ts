/**
 * The memory-pass kernels of a CNN step — a convolution's epilogues
 * (convBiasRelu, convReluBackward, convBiasBackward) and max pooling with its
 * backward — on LeNet-sized batches that the native kernels split across the
 * pool, at 1–3 threads, against the js loops, bit for bit: the splits must not
 * change a result (the bias-gradient sums keep their documented order). The
 * table's random parity calls are too small to reach a split.
 */
import { describe, expect, it } from 'vitest';
import type { Float, Kernels } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { makeRng } from '../../lib/backend/harness';
import { nativeKernelsOrNull } from '../helpers';

const native = nativeKernelsOrNull();
const rng = makeRng(11);
/** Values in [-2, 2) with some exact zeros, −0 and NaN (the ReLU's and max's edge cases). */
const filled = (dtype: 'float32' | 'float64', n: number): Float => {
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    a[i] = u < 0.01 ? NaN : u < 0.02 ? -0 : u < 0.03 ? 0 : rng.next() * 4 - 2;
  }
  return a;
};
const copy = (a: Float): Float => a.slice() as Float;
/** Bit-level equality: NaN equals NaN, −0 differs from +0. */
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

// [n, c, cells]: LeNet's two convolution outputs (64×6×28×28, 64×16×10×10),
// channels that do not divide among the threads, one channel, a thin batch.
const SHAPES: [number, number, number][] = [[64, 6, 784], [64, 16, 100], [9, 7, 1000], [40, 1, 900], [2, 5, 4000]];

/** Runs `call` on js once and on native at 1, 2 and 3 threads; every output must match js exactly. */
function agree(what: string, call: (k: Kernels) => ArrayLike<number>[]): void {
  const ref = call(jsKernels);
  const before = native!.getNumThreads();
  try {
    for (const threads of [1, 2, 3]) {
      native!.setNumThreads(threads);
      const out = call(native!);
      out.forEach((o, i) => expect(same(o, ref[i]), `${what}, output ${i}, at ${threads} threads`).toBe(true));
    }
  } finally {
    native!.setNumThreads(before);
  }
}

describe.skipIf(native === null)('epilogue and pooling kernels: native split across 1–3 threads == js, bit for bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`convBiasRelu, convReluBackward, convBiasBackward (${dtype})`, () => {
      for (const [n, c, cells] of SHAPES) {
        const size = n * c * cells;
        const y = filled(dtype, size);
        const dy = filled(dtype, size);
        const bias = filled(dtype, c);
        const at = `[${n}, ${c}, ${cells}]`;
        for (const b of [bias, null]) {
          for (const relu of [true, false]) {
            agree(`convBiasRelu ${dtype} ${at} bias ${b !== null} relu ${relu}`, (k) => {
              const out = copy(y);
              k.convBiasRelu(out, b, n, c, cells, relu);
              return [out];
            });
          }
        }
        for (const withDb of [true, false]) {
          agree(`convReluBackward ${dtype} ${at} db ${withDb}`, (k) => {
            const dz = filled(dtype, size).fill(NaN);
            const db = withDb ? filled(dtype, c).fill(NaN) : null;
            k.convReluBackward(y, dy, n, c, cells, dz, db);
            return db === null ? [dz] : [dz, db];
          });
        }
        agree(`convBiasBackward ${dtype} ${at}`, (k) => {
          const db = filled(dtype, c).fill(NaN);
          k.convBiasBackward(dy, n, c, cells, db);
          return [db];
        });
      }
    });

    it(`maxPool2d and maxPool2dBackward, 2×2 stride 2 and 3×3 stride 2 (${dtype})`, () => {
      // [planes, h, w, k, oh, ow]: LeNet's two poolings, odd sizes, overlapping windows.
      const pools: [number, number, number, number, number, number][] = [
        [384, 28, 28, 2, 14, 14], [1024, 10, 10, 2, 5, 5], [50, 31, 33, 2, 15, 16], [60, 27, 27, 3, 13, 13],
      ];
      for (const [planes, h, w, kk, oh, ow] of pools) {
        const x = filled(dtype, planes * h * w);
        const dy = filled(dtype, planes * oh * ow);
        agree(`maxPool2d ${dtype} [${planes}, ${h}, ${w}] k${kk}`, (k) => {
          const out = filled(dtype, planes * oh * ow).fill(NaN);
          const indices = new Int32Array(planes * oh * ow).fill(-1);
          k.maxPool2d(x, planes, h, w, kk, kk, 2, 2, 0, 0, 1, 1, oh, ow, out, indices);
          const dx = filled(dtype, planes * h * w).fill(NaN);
          k.maxPool2dBackward(dy, indices, planes, h * w, oh * ow, dx);
          return [out, indices, dx];
        });
      }
    });
  }
});
