/**
 * where, maskedFill, var, std, logsumexp, cumsum, sort, argsort, topk, select
 * and slice: PyTorch 1.13's values, indices (ties included) and gradients from
 * test/fixtures/seqops.json (made by make_seqops_fixtures.py), gradcheck in
 * float64, and the errors for bad arguments; all on both backends.
 */
import { it, expect, describe } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../lib';
import { describeBackends, expectClose, describeGradcheck, type GradCase } from '../helpers';

type T = torch.Tensor;
type Dtype = 'float32' | 'float64' | 'int32';
interface Encoded { shape: number[]; dtype: Dtype; data: (number | string)[] }
interface Case {
  name: string; op: string; dtype: Dtype; args: Record<string, unknown>;
  inputs: Record<string, Encoded>; outputs: Encoded[]; gradOutput?: Encoded; grads?: Record<string, Encoded>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/seqops.json'), 'utf8')) as { cases: Case[] };

const numbers = (e: Encoded): number[] =>
  e.data.map((v) => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity));
const decode = (e: Encoded): T => torch.tensor(numbers(e), { dtype: e.dtype }).reshape(e.shape);

/** Each fixture op as torchlet spells it; inputs in the fixture's order. */
const OPS: Record<string, (x: T[], a: Record<string, unknown>) => T | [T, T]> = {
  where: ([c, x, y], a) => torch.where(c, x, y ?? (a.other as number)),
  maskedFill: ([x, m], a) => x.maskedFill(m, a.value as number),
  cumsum: ([x], a) => x.cumsum(a.dim as number),
  sort: ([x], a) => x.sort(a.dim as number, a.descending as boolean),
  argsort: ([x], a) => x.argsort(a.dim as number, a.descending as boolean),
  topk: ([x], a) => x.topk(a.k as number, a.dim as number, a.largest as boolean),
  select: ([x], a) => x.select(a.dim as number, a.index as number),
  slice: ([x], a) => x.slice(...(a.specs as torch.SliceIndex[])),
  var: ([x], a) => x.var(a.dim as number | null, { correction: a.correction as number, keepdim: a.keepdim as boolean }),
  std: ([x], a) => torch.std(x, a.dim as number | null, { correction: a.correction as number, keepdim: a.keepdim as boolean }),
  logsumexp: ([x], a) => x.logsumexp(a.dim as number, a.keepdim as boolean),
};

describeBackends('seqops match PyTorch 1.13', () => {
  it('covers every op', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const [rtol, atol] = c.dtype === 'float32' ? [2e-6, 1e-6] : [1e-12, 1e-12];
      const inputs = Object.values(c.inputs).map((e) => {
        const t = decode(e);
        return e.dtype === 'int32' ? t : t.requiresGrad_();
      });
      const result = OPS[c.op](inputs, c.args);
      const outs = Array.isArray(result) ? result : [result];
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, i) => {
        const want = c.outputs[i];
        expect(o.shape).toEqual(want.shape);
        expect(o.dtype).toBe(want.dtype);
        if (want.dtype === 'int32') expect(Array.from(o.data)).toEqual(numbers(want));
        else expectClose(o.data, numbers(want), rtol, atol);
      });
      if (c.gradOutput === undefined || c.grads === undefined) return;
      outs[0].backward(decode(c.gradOutput));
      Object.keys(c.inputs).forEach((name, i) => {
        const want = c.grads?.[name];
        // No gradient where PyTorch gives none (a float condition or mask).
        if (want === undefined) expect(inputs[i].grad, name).toBeNull();
        else expectClose(inputs[i].grad?.data ?? [], numbers(want), rtol, atol);
      });
    });
  }
});

const f64 = { dtype: 'float64' as const };
const leaf = (shape: number[]): T => torch.randn(shape, f64).detach().requiresGrad_();
/** Distinct values (sort and topk are differentiable away from ties). */
const distinct = (shape: number[]): T =>
  torch.randperm(shape.reduce((a, b) => a * b, 1)).to('float64').mul(0.37).reshape(shape).detach().requiresGrad_();

const gradcheckCases: GradCase[] = [
  ['where (broadcast)', () => [(a, b) => torch.where(a.gt(0), a, b), [leaf([3, 4]), leaf([4])]]],
  ['where scalar other', () => [(a) => torch.where(a.lt(0), 2, a), [leaf([2, 3])]]],
  ['maskedFill', () => [(a) => a.maskedFill(torch.tensor([1, 0, 1]), -1), [leaf([2, 3])]]],
  ['maskedFill 0-d tensor value', () => [(a, v) => a.maskedFill(torch.tensor([0, 1, 1]), v), [leaf([2, 3]), leaf([])]]],
  ['var all', () => [(a) => a.var(), [leaf([3, 4])]]],
  ['var dims keepdim correction 0', () => [(a) => a.var([0, 2], { correction: 0, keepdim: true }), [leaf([2, 3, 4])]]],
  ['std dim', () => [(a) => a.std(1), [leaf([3, 4])]]],
  ['logsumexp dim', () => [(a) => a.logsumexp(1), [leaf([3, 4])]]],
  ['logsumexp dims keepdim', () => [(a) => a.logsumexp([0, 2], true), [leaf([2, 3, 2])]]],
  ['cumsum dim 1', () => [(a) => a.cumsum(1), [leaf([2, 3, 4])]]],
  ['cumsum dim 0', () => [(a) => a.cumsum(0), [leaf([4, 2])]]],
  ['sort values', () => [(a) => a.sort(1, true)[0], [distinct([3, 4])]]],
  ['topk values', () => [(a) => a.topk(2, 0)[0], [distinct([4, 3])]]],
  ['select', () => [(a) => a.select(1, -1), [leaf([2, 3, 2])]]],
  ['slice [:, 1:3]', () => [(a) => a.slice(':', '1:3'), [leaf([2, 4])]]],
  ['slice [..., ::2, None, -1]', () => [(a) => a.slice('...', '::2', null, -1), [leaf([2, 5, 3])]]],
];

describeGradcheck('seqops gradcheck (float64)', gradcheckCases, 15);

describeBackends('seqops behaviour', () => {
  it('topk and sort keep equal values in input order (stable), in both directions', () => {
    const x = torch.tensor([[2, 5, 2, 5, 1, 5]]);
    expect(x.topk(2)[1].toArray()).toEqual([[1, 3]]);
    expect(x.topk(2, -1, false)[1].toArray()).toEqual([[4, 0]]);
    expect(x.sort(-1, true)[1].toArray()).toEqual([[1, 3, 5, 0, 2, 4]]);
    expect(x.argsort().toArray()).toEqual([[4, 0, 2, 1, 3, 5]]);
  });

  it('the sort gradient scatters each value back to its source, ties included', () => {
    const x = torch.tensor([3, 1, 3, 2], { requiresGrad: true });
    x.sort(0, true)[0].mul(torch.tensor([1, 10, 100, 1000])).sum().backward();
    expect(x.grad?.toArray()).toEqual([1, 1000, 10, 100]);
  });

  it('slice reads like PyTorch and picks the same elements', () => {
    const x = torch.arange(24).reshape(2, 3, 4);
    expect(x.slice(':', '1:3').shape).toEqual([2, 2, 4]);
    expect(x.slice('...', -1).toArray()).toEqual([[3, 7, 11], [15, 19, 23]]);
    expect(x.slice(1, '::2', '-1:').toArray()).toEqual([[15], [23]]);
    expect(x.slice(null, '...', null).shape).toEqual([1, 2, 3, 4, 1]);
    expect(x.slice().shape).toEqual([2, 3, 4]);
    expect(x.select(0, -1).toArray()).toEqual(x.slice(-1).toArray());
  });

  it('slice range strings are typed: a malformed one does not compile (npm run typecheck) and throws', () => {
    // @ts-expect-error '1:x' is not a SliceRange
    expect(() => torch.zeros(3).slice('1:x')).toThrow(/^slice: bad spec '1:x'/);
  });

  it('where takes any dtype as the condition, nonzero (NaN too) meaning true', () => {
    const cond = torch.tensor([0, NaN, -0.5, 0]);
    expect(torch.where(cond, 1, 0).toArray()).toEqual([0, 1, 1, 0]);
    expect(torch.where(cond, 1, 0).dtype).toBe('int32');
    expect(torch.where(cond, 1.5, torch.tensor([2], f64)).dtype).toBe('float64');
    expect(torch.ones(2, 3).where(torch.tensor([[1], [0]], { dtype: 'int32' }), -1).toArray()).toEqual([[1, 1, 1], [-1, -1, -1]]);
  });

  it('cumsum of int32 stays int32; var and std take options without a dim', () => {
    expect(torch.tensor([1, 2, 3], { dtype: 'int32' }).cumsum(0).toArray()).toEqual([1, 3, 6]);
    const x = torch.tensor([1, 2, 3, 4], f64);
    expect(x.var({ correction: 0 }).item()).toBeCloseTo(1.25, 14);
    expect(torch.var(x).item()).toBeCloseTo(5 / 3, 14);
    expect(x.std(0, { keepdim: true }).shape).toEqual([1]);
  });

  it('logsumexp is stable for large and infinite inputs', () => {
    const x = torch.tensor([[1000, 1000], [-Infinity, -Infinity], [Infinity, 0]], f64);
    const y = x.logsumexp(1).toArray() as number[];
    expect(y[0]).toBeCloseTo(1000 + Math.log(2), 10);
    expect(y[1]).toBe(-Infinity);
    expect(y[2]).toBe(Infinity);
  });
});

describe('seqops errors name the op, the shapes and what was expected', () => {
  const x = torch.zeros(2, 3);
  const cases: [string, () => unknown, RegExp][] = [
    ['sort dim out of range', () => x.sort(2), /^sort: dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/],
    ['cumsum without dim', () => (x.cumsum as (d?: number) => T)(), /^cumsum: dim must be an integer, got undefined/],
    ['topk k > size', () => x.topk(4, 1), /^topk: k \(4\) is out of range for dim 1 of size 3 \(shape \[2, 3\]\); expected 0 <= k <= 3/],
    ['topk k not an integer', () => x.topk(1.5), /^topk: k must be an integer, got 1\.5/],
    ['select index out of range', () => x.select(1, 3), /^select: index 3 is out of range for dim 1 of size 3 \(shape \[2, 3\]\); expected -3 <= index < 3/],
    ['select on 0-d', () => torch.tensor(1).select(0, 0), /^select: cannot select on a 0-d tensor/],
    ['slice index out of range', () => x.slice(':', -4), /^slice: index -4 is out of range for dim 1 of size 3 \(shape \[2, 3\]\)/],
    ['slice bad spec', () => x.slice('1:a' as torch.SliceIndex), /^slice: bad spec '1:a' at position 0: expected an integer, a range string/],
    ['slice spec without colon', () => x.slice('1' as torch.SliceIndex), /^slice: bad spec '1' at position 0/],
    ['slice negative step', () => x.slice('::-1'), /^slice: step must be positive in '::-1'/],
    ['slice too many indices', () => x.slice(0, 0, 0), /^slice: too many indices for a tensor of shape \[2, 3\]: 3 dims indexed, 2 present/],
    ['slice two ellipses', () => x.slice('...', '...'), /^slice: an index can only have a single ellipsis/],
    ['maskedFill mask not broadcastable', () => x.maskedFill(torch.ones(2), 1), /^maskedFill: mask of shape \[2\] cannot be broadcast to input of shape \[2, 3\]/],
    ['maskedFill mask larger than input', () => x.maskedFill(torch.ones(4, 2, 3), 1), /^maskedFill: mask of shape \[4, 2, 3\] cannot be broadcast to input of shape \[2, 3\]/],
    ['where shapes', () => torch.where(torch.ones(4), x, 0), /^where: condition \[4\], input \[2, 3\] and other \[\] cannot be broadcast together/],
    ['var of int32', () => torch.ones(3, { dtype: 'int32' }).var(), /^var: expected a float tensor, got dtype int32/],
    ['var unknown option', () => x.var(0, { unbiased: false } as never), /^var: unknown option 'unbiased'/],
    ['logsumexp without dim', () => (x.logsumexp as (d?: number) => T)(), /^logsumexp: dim is required/],
  ];
  for (const [name, fn, pattern] of cases) {
    it(name, () => {
      expect(fn).toThrow(pattern);
    });
  }
});
