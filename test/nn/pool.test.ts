/**
 * Pooling and batch norm: PyTorch 1.13's values (test/fixtures/pool.json, made
 * by make_pool_fixtures.py) in float64 and float32 on both backends, gradcheck
 * in float64, and the errors for bad arguments.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../lib';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { describeBackends, expectClose, describeGradcheck, leaf, type GradCase } from '../helpers';

type T = torch.Tensor;
const F = torch.nn.functional;
const f64 = { dtype: 'float64' as const };

interface Enc { shape: number[]; values: number[] }
interface PoolCase {
  name: string; fn: 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d' | 'adaptiveAvgPool2d';
  args: unknown[]; options: Record<string, unknown>; input: Enc; upstream: Enc; output: Enc; grad: Enc;
}
interface BnStep {
  training: boolean; input: Enc; upstream: Enc; output: Enc; grad_input: Enc; grad_weight: Enc; grad_bias: Enc;
  running_mean: Enc; running_var: Enc;
}
interface BnCase { name: string; fn: 'batchNorm'; options: { momentum: number; eps: number }; weight: Enc; bias: Enc; steps: BnStep[] }
interface CumulativeCase {
  name: string; fn: 'BatchNorm2dCumulative'; inputs: Enc[]; running_mean: Enc; running_var: Enc;
  num_batches_tracked: number; eval_input: Enc; eval_output: Enc;
}
type Case = PoolCase | BnCase | CumulativeCase;

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'pool.json'), 'utf8')) as { cases: Case[] };
const POOLS = fixture.cases.filter((c): c is PoolCase => c.fn !== 'batchNorm' && c.fn !== 'BatchNorm2dCumulative');
const NORMS = fixture.cases.filter((c): c is BnCase => c.fn === 'batchNorm');
const CUMULATIVE = fixture.cases.filter((c): c is CumulativeCase => c.fn === 'BatchNorm2dCumulative');

const DTYPES = [
  { dtype: 'float64' as const, rtol: 1e-10, atol: 1e-12 },
  { dtype: 'float32' as const, rtol: 1e-5, atol: 2e-5 },
];

const make = (e: Enc, dtype: 'float32' | 'float64', requiresGrad = false): T =>
  torch.tensor(e.values, { dtype }).reshape(e.shape).detach().requiresGrad_(requiresGrad);

function callPool(c: PoolCase, x: T): T {
  const fn = F[c.fn] as (x: T, ...rest: unknown[]) => T;
  return c.fn === 'adaptiveAvgPool2d' ? fn(x, ...c.args) : fn(x, ...c.args, c.options);
}

describeBackends('PyTorch reference values (pool.json)', () => {
  it('covers every pooling function and batch norm', () => {
    expect(new Set(POOLS.map((c) => c.fn))).toEqual(new Set(['maxPool1d', 'maxPool2d', 'avgPool1d', 'avgPool2d', 'adaptiveAvgPool2d']));
    expect(NORMS.length).toBe(3);
    expect(CUMULATIVE.length).toBe(1);
  });

  for (const { dtype, rtol, atol } of DTYPES) {
    describe(dtype, () => {
      for (const c of POOLS) {
        it(`${c.name}: output and input gradient`, () => {
          const x = make(c.input, dtype, true);
          const y = callPool(c, x);
          expect(y.shape).toEqual(c.output.shape);
          expect(y.dtype).toBe(dtype);
          expectClose(y.data, c.output.values, rtol, atol);
          y.backward(make(c.upstream, dtype));
          expectClose((x.grad as T).data, c.grad.values, rtol, atol);
        });
      }

      for (const c of NORMS) {
        it(`${c.name}: three training steps then eval — outputs, gradients, running statistics`, () => {
          const channels = c.weight.shape[0];
          const runningMean = torch.zeros(channels, { dtype });
          const runningVar = torch.ones(channels, { dtype });
          for (const s of c.steps) {
            const weight = make(c.weight, dtype, true);
            const bias = make(c.bias, dtype, true);
            const x = make(s.input, dtype, true);
            const y = F.batchNorm(x, runningMean, runningVar, { weight, bias, training: s.training, ...c.options });
            expectClose(y.data, s.output.values, rtol, atol);
            y.backward(make(s.upstream, dtype));
            expectClose((x.grad as T).data, s.grad_input.values, rtol * 10, atol * 10);
            expectClose((weight.grad as T).data, s.grad_weight.values, rtol * 10, atol * 10);
            expectClose((bias.grad as T).data, s.grad_bias.values, rtol, atol);
            expectClose(runningMean.data, s.running_mean.values, rtol, atol);
            expectClose(runningVar.data, s.running_var.values, rtol, atol);
          }
        });
      }

      for (const c of CUMULATIVE) {
        it(`${c.name}: running statistics, num_batches_tracked and the eval output`, () => {
          const m = new torch.nn.BatchNorm2d(3, { momentum: null, dtype });
          for (const x of c.inputs) m.forward(make(x, dtype));
          m.eval();
          expectClose((m.runningMean as T).data, c.running_mean.values, rtol, atol);
          expectClose((m.runningVar as T).data, c.running_var.values, rtol, atol);
          expect((m.numBatchesTracked as T).item()).toBe(c.num_batches_tracked);
          expectClose(m.forward(make(c.eval_input, dtype)).data, c.eval_output.values, rtol, atol);
          expect((m.numBatchesTracked as T).item()).toBe(c.num_batches_tracked);
        });
      }
    });
  }
});

/** A float64 leaf with values in (−2, 2). */

const gradcheckCases: GradCase[] = [
  ['maxPool2d k=2', () => [(x) => F.maxPool2d(x, 2), [leaf([2, 2, 4, 4])]]],
  ['maxPool2d k=3 s=2 p=1 ceilMode', () => [(x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [leaf([1, 2, 6, 6])]]],
  ['maxPool2d pairs and dilation', () => [(x) => F.maxPool2d(x, [3, 2], { stride: [1, 2], padding: [1, 0], dilation: [2, 1] }), [leaf([1, 2, 6, 5])]]],
  ['maxPool2d unbatched overlapping windows', () => [(x) => F.maxPool2d(x, 2, { stride: 1 }), [leaf([2, 4, 4])]]],
  ['maxPool1d k=3 s=2 p=1 d=2 ceilMode', () => [(x) => F.maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), [leaf([2, 2, 9])]]],
  ['avgPool2d k=3 s=2 p=1 ceilMode countIncludePad', () => [(x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [leaf([1, 2, 6, 6])]]],
  ['avgPool2d without padding in the divisor', () => [(x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [leaf([1, 2, 6, 6])]]],
  ['avgPool2d divisorOverride', () => [(x) => F.avgPool2d(x, 2, { padding: 1, divisorOverride: 3 }), [leaf([1, 1, 4, 4])]]],
  ['avgPool1d k=4 s=3 p=2 ceilMode', () => [(x) => F.avgPool1d(x, 4, { stride: 3, padding: 2, ceilMode: true, countIncludePad: false }), [leaf([2, 2, 8])]]],
  ['adaptiveAvgPool2d to 3x2', () => [(x) => F.adaptiveAvgPool2d(x, [3, 2]), [leaf([1, 2, 7, 5])]]],
  ['batchNorm training w.r.t. x, weight, bias (N, C, H, W)', () => [
    (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }), [leaf([2, 3, 2, 2]), leaf([3]), leaf([3])],
  ]],
  ['batchNorm training (N, C) with running statistics', () => [
    (x, w, b) => F.batchNorm(x, torch.zeros(3, f64), torch.ones(3, f64), { weight: w, bias: b, training: true, eps: 1e-3 }),
    [leaf([4, 3]), leaf([3]), leaf([3])],
  ]],
  ['batchNorm eval w.r.t. x, weight, bias (N, C, L)', () => [
    (x, w, b) => F.batchNorm(x, torch.tensor([0.5, -1, 0], f64), torch.tensor([2, 0.5, 1], f64), { weight: w, bias: b }),
    [leaf([2, 3, 4]), leaf([3]), leaf([3])],
  ]],
];

describeGradcheck('gradcheck (float64)', gradcheckCases, 7);

describe('bad arguments: errors naming the op, the shapes and what was expected', () => {
  const x = torch.ones(1, 2, 4, 4);
  const cases: [string, () => unknown, RegExp][] = [
    ['kernel larger than the padded input', () => F.maxPool2d(x, 7, { padding: 1 }),
      /^maxPool2d: input of shape \[1, 2, 4, 4\] is too small for kernelSize \[7, 7\] \(padding \[1, 1\]\): the output size would be \[0, 0\]/],
    ['kernel larger than the input (avg, 1-D)', () => F.avgPool1d(torch.ones(2, 3), 4),
      /^avgPool1d: input of shape \[2, 3\] is too small for kernelSize 4 \(padding 0\): the output size would be 0/],
    ['zero stride', () => F.maxPool2d(x, 2, { stride: [0, 1] }), /^maxPool2d: stride must be greater than zero, got \[0, 1\]/],
    ['zero kernel', () => F.avgPool2d(x, 0), /^avgPool2d: kernelSize must be greater than zero, got \[0, 0\]/],
    ['zero dilation', () => F.maxPool1d(torch.ones(2, 5), 2, { dilation: 0 }), /^maxPool1d: dilation must be greater than zero, got 0/],
    ['padding more than half the kernel', () => F.avgPool2d(x, 3, { padding: 2 }),
      /^avgPool2d: padding should be at most half of the kernel size, but got padding \[2, 2\] for kernelSize \[3, 3\]/],
    ['non-integer kernel size', () => F.maxPool2d(x, 1.5), /^maxPool2d: kernelSize must be an integer or a pair of integers \[h, w\], got 1\.5/],
    ['non-integer stride pair', () => F.maxPool2d(x, 2, { stride: [1, 0.5] }), /^maxPool2d: stride must be an integer or a pair/],
    ['three sizes for 2-D', () => F.avgPool2d(x, [2, 2, 2]), /^avgPool2d: kernelSize must be an integer or a pair of integers/],
    ['2-D input to maxPool2d', () => F.maxPool2d(torch.ones(4, 4), 2),
      /^maxPool2d: expected a 3-D \(C, H, W\) or 4-D \(N, C, H, W\) input with non-zero sizes but the batch, got shape \[4, 4\]/],
    ['4-D input to maxPool1d', () => F.maxPool1d(x, 2), /^maxPool1d: expected a 2-D \(C, L\) or 3-D \(N, C, L\) input/],
    ['empty spatial dim', () => F.avgPool2d(torch.ones(1, 2, 0, 4), 1), /got shape \[1, 2, 0, 4\]/],
    ['int32 input', () => F.maxPool2d(torch.ones(1, 4, 4, { dtype: 'int32' }), 2), /^maxPool2d: expected a float32 or float64 input, got int32/],
    ['zero divisorOverride', () => F.avgPool2d(x, 2, { divisorOverride: 0 }), /^avgPool2d: divisorOverride must be a non-zero integer, got 0/],
    ['bad adaptive size', () => F.adaptiveAvgPool2d(x, [2, 2, 2]), /^adaptiveAvgPool2d: outputSize must be a non-negative integer or a pair/],
    ['batchNorm: wrong channel count', () => F.batchNorm(torch.ones(4, 3), torch.zeros(4), torch.ones(4)),
      /^batchNorm: runningMean should contain 3 elements \(one per channel of the input of shape \[4, 3\]\), got shape \[4\]/],
    ['batchNorm: wrong weight size', () => F.batchNorm(torch.ones(4, 3), null, null, { training: true, weight: torch.ones(2) }),
      /^batchNorm: weight should contain 3 elements/],
    ['batchNorm: one value per channel when training', () => F.batchNorm(torch.ones(1, 3), null, null, { training: true }),
      /^batchNorm: Expected more than 1 value per channel when training, got input size \[1, 3\]/],
    ['batchNorm: one value per channel (N, C, 1, 1)', () => F.batchNorm(torch.ones(1, 3, 1, 1), null, null, { training: true }),
      /Expected more than 1 value per channel when training, got input size \[1, 3, 1, 1\]/],
    ['batchNorm: eval without running statistics', () => F.batchNorm(torch.ones(2, 3), null, null),
      /^batchNorm: runningMean must be given in evaluation mode/],
    ['batchNorm: 1-D input', () => F.batchNorm(torch.ones(3), null, null, { training: true }),
      /^batchNorm: expected an input of shape \(N, C, \.\.\.\) with at least 2 dims, got shape \[3\]/],
    ['batchNorm: mixed dtypes', () => F.batchNorm(torch.ones(2, 3), torch.zeros(3, f64), torch.ones(3, f64)),
      /^batchNorm: runningMean has dtype float64 but the input has float32/],
    ['BatchNorm2d: 3-D input', () => new torch.nn.BatchNorm2d(3).forward(torch.ones(2, 3, 4)),
      /^BatchNorm2d: expected 4D input \(got 3D input of shape \[2, 3, 4\]\)/],
    ['BatchNorm1d: wrong channel count', () => new torch.nn.BatchNorm1d(3).forward(torch.ones(2, 4)),
      /^batchNorm: runningMean should contain 4 elements/],
  ];
  for (const [name, fn, pattern] of cases) {
    it(name, () => {
      expect(fn).toThrow(pattern);
    });
  }
});

describeBackends('the maxPool2d kernel\'s own geometry errors', () => {
  it('a plane too large for int32 indices', () => {
    const k = torch.getBackend() === 'native' ? loadNativeKernels() : jsKernels;
    const none = new Float32Array(0);
    expect(() => k.maxPool2d(none, 0, 65536, 32768, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, none, new Int32Array(0)))
      .toThrow(/^maxPool2d: h\*w must be at most 2147483647 \(the indices are int32\), got h = 65536, w = 32768$/);
    expect(() => k.maxPool2d(none, 0, 65536, 32767, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, none, new Int32Array(0))).not.toThrow();
  });

  it('a dilated window that covers no input is an error, not garbage', () => {
    // PyTorch 1.13 returns -inf and an out-of-range index here.
    expect(() => F.maxPool1d(torch.ones(1, 2), 2, { padding: 1, dilation: 3 }))
      .toThrow(/^maxPool2d: output column 0 covers no input column \(w = 2, kw = 2, sw = 2, pw = 1, dw = 3\)$/);
  });
});

describeBackends('an empty batch', () => {
  it('pools to an empty output of the right shape, and back', () => {
    const x = torch.zeros([0, 2, 4, 4]).requiresGrad_();
    for (const y of [F.maxPool2d(x, 2), F.avgPool2d(x, 2), F.adaptiveAvgPool2d(x, 3)]) {
      expect(y.shape[0]).toBe(0);
      y.sum().backward();
    }
    expect(x.grad?.shape).toEqual([0, 2, 4, 4]);
  });
});

describe('maxPool2d kernel: native == js on 2×2 windows at stride 2 (the native fast path) and around it', () => {
  it('ties, -Infinity and NaN (first maximum, a NaN wins), odd sizes, ceilMode and padding', () => {
    let native;
    try {
      native = loadNativeKernels();
    } catch {
      return;
    }
    // Values from a small set, so windows hold ties; some -Infinity and NaN.
    const pick = [0, 1, 1, 2, -1, -Infinity, NaN];
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    // [planes, h, w, ph, pw, oh, ow]: exact fits, odd sizes (last row/column unused), a ceilMode
    // output past the edge and padding (both the general path).
    for (const [planes, h, w, ph, pw, oh, ow] of [[5, 8, 6, 0, 0, 4, 3], [3, 7, 9, 0, 0, 3, 4], [3, 7, 9, 0, 0, 4, 5], [2, 6, 6, 1, 1, 4, 4]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = dtype === 'float32' ? new Float32Array(planes * h * w) : new Float64Array(planes * h * w);
        for (let i = 0; i < x.length; i++) x[i] = pick[Math.floor(next() * pick.length)];
        const run = (k: typeof jsKernels) => {
          const out = dtype === 'float32' ? new Float32Array(planes * oh * ow) : new Float64Array(planes * oh * ow);
          const indices = new Int32Array(planes * oh * ow);
          k.maxPool2d(x, planes, h, w, 2, 2, 2, 2, ph, pw, 1, 1, oh, ow, out, indices);
          return [Array.from(out), Array.from(indices)];
        };
        expect(run(native), `${dtype} [${planes}, ${h}, ${w}] padding ${ph} → ${oh}×${ow}`).toEqual(run(jsKernels));
      }
    }
  });
});
