/** Resource limits: the element cap, exact shape arithmetic, no allocation before the RangeError. */
import { describe, it, expect, afterEach, vi } from 'vitest';
import * as torch from '../../lib';
import { getMaxElements, setMaxElements, checkBlasSizes, HARD_MAX_ELEMENTS } from '../../lib/storage/limits';
import { allocate } from '../../lib/storage/allocate';
import { checkShape, inferShape, numelChecked } from '../../lib/shape';
import { expand } from '../../lib/ops/shape';
import { linear } from '../../lib/ops/matmul';
import { describeBackends } from '../helpers';

const MAX = 2 ** 31 - 1;

afterEach(() => {
  setMaxElements(MAX);
});

/**
 * Runs `fn`, expects a RangeError matching `message`, and that no buffer of
 * more than 64 KiB was allocated on the way: every ArrayBuffer made while
 * `fn` runs is counted (the global constructor is wrapped), so the check does
 * not depend on when V8 collects.
 */
function throwsWithoutAllocating(fn: () => unknown, message: RegExp): void {
  const Original = globalThis.ArrayBuffer;
  let largest = 0;
  globalThis.ArrayBuffer = new Proxy(Original, {
    construct(target, args: unknown[]) {
      largest = Math.max(largest, Number(args[0]) || 0);
      return Reflect.construct(target, args) as object;
    },
  });
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  } finally {
    globalThis.ArrayBuffer = Original;
  }
  expect(error).toBeInstanceOf(RangeError);
  expect((error as Error).message).toMatch(message);
  expect(largest).toBeLessThanOrEqual(64 * 1024);
}

describe('the allocation check', () => {
  it('sees a large buffer allocated before the error', () => {
    expect(() => throwsWithoutAllocating(() => {
      torch.zeros([1 << 16]);
      throw new RangeError('late');
    }, /late/)).toThrow(/expected 262144 to be less than or equal to 65536/);
  });
});

describe('the element cap', () => {
  it('defaults to 2^31 − 1 and is lowered with setMaxElements, which returns the previous cap', () => {
    expect(HARD_MAX_ELEMENTS).toBe(MAX);
    expect(getMaxElements()).toBe(MAX);
    expect(setMaxElements(1000)).toBe(MAX);
    expect(getMaxElements()).toBe(1000);
    expect(setMaxElements(MAX)).toBe(1000);
  });

  it('takes an integer in [1, 2^31 − 1]', () => {
    expect(() => setMaxElements(1.5)).toThrow(TypeError);
    expect(() => setMaxElements(NaN)).toThrow(TypeError);
    expect(() => setMaxElements('10' as unknown as number)).toThrow(TypeError);
    expect(() => setMaxElements(0)).toThrow(RangeError);
    expect(() => setMaxElements(-5)).toThrow(RangeError);
    expect(() => setMaxElements(2 ** 31)).toThrow(/between 1 and 2147483647/);
    expect(getMaxElements()).toBe(MAX);
  });

  it('starts from TORCHLET_MAX_ELEMENTS', async () => {
    const saved = process.env.TORCHLET_MAX_ELEMENTS;
    try {
      for (const [value, cap] of [['5000', 5000], ['1e6', 1e6], [' 77 ', 77], ['', MAX]] as const) {
        process.env.TORCHLET_MAX_ELEMENTS = value;
        vi.resetModules();
        const fresh = await import('../../lib/storage/limits');
        expect(fresh.getMaxElements()).toBe(cap);
      }
      for (const bad of ['abc', '0', '1.5', String(2 ** 31)]) {
        process.env.TORCHLET_MAX_ELEMENTS = bad;
        vi.resetModules();
        await expect(import('../../lib/storage/limits')).rejects.toThrow(/TORCHLET_MAX_ELEMENTS/);
      }
    } finally {
      if (saved === undefined) delete process.env.TORCHLET_MAX_ELEMENTS;
      else process.env.TORCHLET_MAX_ELEMENTS = saved;
      vi.resetModules();
    }
  });
});

describe('shape arithmetic is exact', () => {
  it('counts elements exactly, never forming a product past the cap', () => {
    expect(numelChecked([2, 3, 4], 'op')).toBe(24);
    expect(numelChecked([], 'op')).toBe(1);
    expect(numelChecked([MAX], 'op')).toBe(MAX);
    // a zero size makes the count 0, whatever the other sizes
    expect(numelChecked([2 ** 30, 2 ** 30, 2 ** 30, 0], 'op')).toBe(0);
    expect(numelChecked([0, MAX, MAX], 'op')).toBe(0);
    // (2^31 − 1)^2 = 4611686014132420609 is past 2^53: the message is exact, not 4611686014132420608
    expect(() => numelChecked([MAX, MAX], 'op')).toThrow('op: shape [2147483647, 2147483647] has 4611686014132420609 elements');
    expect(() => numelChecked([2 ** 16, 2 ** 16], 'op')).toThrow('has 4294967296 elements, more than the maximum 2147483647');
    expect(() => numelChecked([2 ** 30, 2 ** 30, 2 ** 30], 'op')).toThrow(/~1\.238e\+27 elements/);
    // products that would round to a "fitting" value are still refused: each step is checked before it is formed
    expect(() => numelChecked([46341, 46341], 'op')).toThrow(/2147488281 elements/);
    expect(numelChecked([46340, 46341], 'op')).toBe(46340 * 46341);
  });

  it('rejects sizes that are not non-negative integers ≤ 2^31 − 1, even beside a zero', () => {
    expect(() => numelChecked([2, -1], 'op')).toThrow(/op: invalid shape \[2, -1\]/);
    expect(() => numelChecked([1.5], 'op')).toThrow(/invalid shape/);
    expect(() => numelChecked([Infinity], 'op')).toThrow(/invalid shape/);
    expect(() => numelChecked([NaN], 'op')).toThrow(/invalid shape/);
    expect(() => numelChecked([2 ** 31, 0], 'op')).toThrow('op: shape [2147483648, 0] has size 2147483648 at dim 0, more than the maximum size 2147483647');
    expect(() => numelChecked([1e300], 'op')).toThrow(/size 1e\+300 at dim 0/);
    expect(checkShape([2, 3], 'op')).toEqual([2, 3]);
  });

  it('names the cap that was hit', () => {
    setMaxElements(100);
    expect(() => numelChecked([11, 10], 'op')).toThrow('op: shape [11, 10] has 110 elements, more than the maximum 100 (the cap set by setMaxElements or TORCHLET_MAX_ELEMENTS)');
    expect(numelChecked([10, 10], 'op')).toBe(100);
  });

  it('reshape/view resolve shapes exactly and refuse sizes past 2^31 − 1', () => {
    expect(inferShape([-1, 3], 0, [0, 3], 'reshape')).toEqual([0, 3]);
    // nothing to infer a size from next to a zero, as in PyTorch
    expect(() => inferShape([0, -1], 0, [0], 'reshape')).toThrow(RangeError);
    const x = torch.zeros(6);
    expect(() => x.reshape(2 ** 31, 2 ** 31)).toThrow(RangeError);
    expect(() => x.reshape(2 ** 40, 2 ** 40, 0)).toThrow(/more than the maximum size 2147483647/);
    expect(() => x.view(-1, 2 ** 53)).toThrow(RangeError);
    expect(() => x.reshape(3, 2 ** 30, 2 ** 30)).toThrow(/is invalid for input of size 6/);
    expect(() => torch.zeros(0).reshape(0, 2 ** 31)).toThrow(/more than the maximum size/);
    expect(torch.zeros(0).reshape(0, 2 ** 31 - 1).shape).toEqual([0, 2 ** 31 - 1]);
    expect(x.reshape(3, -1).shape).toEqual([3, 2]);
  });
});

describe('allocate() is the one door: it checks the count before reserving memory', () => {
  it('throws a RangeError naming the op', () => {
    throwsWithoutAllocating(() => allocate('float32', 2 ** 31), /allocate: cannot allocate 2147483648 elements of float32, more than the maximum 2147483647/);
    throwsWithoutAllocating(() => allocate('float64', 2 ** 40, 'myOp'), /^myOp: cannot allocate/);
    expect(() => allocate('int32', -1)).toThrow(/non-negative integer/);
    expect(() => allocate('int32', 1.5)).toThrow(/non-negative integer/);
    expect(() => allocate('int32', NaN)).toThrow(/non-negative integer/);
    setMaxElements(10);
    throwsWithoutAllocating(() => allocate('float32', 11, 'op'), /op: cannot allocate 11 elements of float32, more than the maximum 10 \(the cap set by setMaxElements/);
    expect(allocate('float32', 10).length).toBe(10);
  });
});

describeBackends('creators refuse huge shapes before allocating', () => {
  it.each([
    ['zeros(2**31)', () => torch.zeros(2 ** 31), /^zeros: shape \[2147483648\] has size 2147483648 at dim 0/],
    ['zeros(2**20, 2**20)', () => torch.zeros(2 ** 20, 2 ** 20), /^zeros: shape \[1048576, 1048576\] has 1099511627776 elements, more than the maximum 2147483647/],
    ['zeros(1e300)', () => torch.zeros(1e300), /^zeros: shape \[1e\+300\] has size 1e\+300/],
    ['zeros([2**31 - 1, 2])', () => torch.zeros([2 ** 31 - 1, 2]), /^zeros: shape \[2147483647, 2\] has 4294967294 elements/],
    ['ones(2**16, 2**16)', () => torch.ones(2 ** 16, 2 ** 16), /^ones: shape \[65536, 65536\]/],
    ['full([2**16, 2**16], 3)', () => torch.full([2 ** 16, 2 ** 16], 3), /^full: shape \[65536, 65536\]/],
    ['randn(2**16, 2**16)', () => torch.randn(2 ** 16, 2 ** 16), /^randn: shape \[65536, 65536\] has 4294967296 elements/],
    ['rand(2**16, 2**16, { dtype: float64 })', () => torch.rand(2 ** 16, 2 ** 16, { dtype: 'float64' }), /^rand: shape \[65536, 65536\]/],
    ['randint(10, [2**16, 2**16])', () => torch.randint(10, [2 ** 16, 2 ** 16]), /^randint: shape \[65536, 65536\]/],
    ['randperm(2**31)', () => torch.randperm(2 ** 31), /^randperm: shape \[2147483648\]/],
    ['eye(2**16)', () => torch.eye(2 ** 16), /^eye: shape \[65536, 65536\]/],
    ['arange(2**31)', () => torch.arange(2 ** 31), /^arange: shape \[2147483648\]/],
    ['arange(0, 1, 1e-300)', () => torch.arange(0, 1, 1e-300), /^arange: shape \[[\d.e+]+\] has size [\d.e+]+ at dim 0, more than the maximum size 2147483647/],
    ['linspace(0, 1, 2**31)', () => torch.linspace(0, 1, 2 ** 31), /^linspace: shape \[2147483648\]/],
    ['zeros(2**26, 2**26, 2**26)', () => torch.zeros(2 ** 26, 2 ** 26, 2 ** 26), /^zeros: shape \[67108864, 67108864, 67108864\] has 302231454903657293676544 elements|~3\.022e\+23/],
  ])('%s', (_, fn, message) => {
    throwsWithoutAllocating(fn, message);
  });

  it('a zero size anywhere is an empty tensor, not an error', () => {
    expect(torch.zeros(2 ** 20, 2 ** 20, 0).numel()).toBe(0);
    expect(torch.randn(0, 2 ** 31 - 1).shape).toEqual([0, 2 ** 31 - 1]);
  });

  it('a lowered cap applies to every creator, naming it', () => {
    const existing = torch.zeros(1001);
    setMaxElements(1000);
    throwsWithoutAllocating(() => torch.zeros(1001), /^zeros: shape \[1001\] has 1001 elements, more than the maximum 1000/);
    throwsWithoutAllocating(() => torch.tensor(new Float32Array(1001)), /^tensor: cannot allocate 1001 elements/);
    throwsWithoutAllocating(() => torch.tensor(new Array(1001).fill(0)), /^tensor: shape \[1001\]/);
    throwsWithoutAllocating(() => torch.zerosLike(existing), /^full: shape \[1001\]/);
    throwsWithoutAllocating(() => torch.randn(1001, { dtype: 'float64' }), /^randn: shape \[1001\]/);
    throwsWithoutAllocating(() => torch.eye(32), /^eye: shape \[32, 32\]/);
    throwsWithoutAllocating(() => torch.arange(1001), /^arange: shape \[1001\]/);
    expect(torch.zeros(10, 100).numel()).toBe(1000);
  });
});

describeBackends('op results past the cap throw before allocating, naming the op', () => {
  it('broadcasting arithmetic and comparisons', () => {
    const col = torch.ones(1e5, 1);
    const row = torch.ones(1, 1e5);
    // 1e10 elements: over the default cap already
    throwsWithoutAllocating(() => col.add(row), /^add: shape \[100000, 100000\] has 10000000000 elements, more than the maximum 2147483647/);
    setMaxElements(1e6);
    const a = torch.ones(2000, 1);
    const b = torch.ones(1, 2000);
    throwsWithoutAllocating(() => a.add(b), /^add: shape \[2000, 2000\] has 4000000 elements, more than the maximum 1000000/);
    throwsWithoutAllocating(() => a.mul(b), /^mul: shape \[2000, 2000\]/);
    throwsWithoutAllocating(() => a.sub(b, 2), /^sub: shape \[2000, 2000\]/);
    throwsWithoutAllocating(() => a.gt(b), /^gt: shape \[2000, 2000\]/);
    throwsWithoutAllocating(() => a.maximum(b), /^maximum: shape \[2000, 2000\]/);
    setMaxElements(MAX);
    expect(a.add(b).numel()).toBe(4e6);
  });

  it('expand, cat, stack, indexSelect', () => {
    setMaxElements(1e6);
    const r = torch.ones(1, 2000);
    throwsWithoutAllocating(() => r.expand(2000, 2000), /^expand: shape \[2000, 2000\]/);
    throwsWithoutAllocating(() => expand(torch.ones(1), [1e300]), /^expand: shape \[1e\+300\] has size 1e\+300/);
    const half = torch.ones(600, 1000);
    throwsWithoutAllocating(() => torch.cat([half, half]), /^cat: shape \[1200, 1000\] has 1200000 elements/);
    throwsWithoutAllocating(() => torch.stack([half, half]), /^cat: shape \[2, 600, 1000\]/);
    throwsWithoutAllocating(() => half.indexSelect(0, new Array(1001).fill(0)), /^indexSelect: shape \[1001, 1000\]/);
  });

  it('matmul and linear, including sizes past BLAS int range at the default cap', () => {
    // The operands are made first: only what the op allocates counts.
    const [col, row] = [torch.ones(2 ** 16, 1), torch.ones(1, 2 ** 16)];
    throwsWithoutAllocating(() => col.matmul(row), /^matmul: shape \[65536, 65536\] has 4294967296 elements/);
    setMaxElements(1e6);
    const [a, b, c, d] = [torch.ones(2000, 1), torch.ones(1, 2000), torch.ones(1000, 2, 1), torch.ones(1, 1000)];
    throwsWithoutAllocating(() => a.matmul(b), /^matmul: shape \[2000, 2000\]/);
    throwsWithoutAllocating(() => c.matmul(d), /^matmul: shape \[1000, 2, 1000\]/);
    throwsWithoutAllocating(() => linear(a, a), /^linear: shape \[2000, 2000\]/);
    const layer = new torch.nn.Linear(1, 2000);
    throwsWithoutAllocating(() => layer.forward(a), /shape \[2000, 2000\]/);
  });

  it('unary ops, reductions and conversions allocate within the cap too', () => {
    const big = torch.ones(3000);
    setMaxElements(1000);
    throwsWithoutAllocating(() => big.exp(), /^exp: shape \[3000\]/);
    throwsWithoutAllocating(() => big.to('float64'), /^to: shape \[3000\]/);
    // views allocate nothing and are not capped
    expect(big.reshape(30, 100).shape).toEqual([30, 100]);
    expect(big.detach().numel()).toBe(3000);
    expect(big.reshape(3, 1000).sum(0).numel()).toBe(1000);
  });
});

describe('BLAS sizes', () => {
  it('checkBlasSizes refuses sizes outside [0, 2^31 − 1], naming the op and the size', () => {
    expect(() => checkBlasSizes('matmul', { m: 2, n: 3, k: MAX })).not.toThrow();
    expect(() => checkBlasSizes('matmul', { m: 2, n: 2 ** 31, k: 1 })).toThrow('matmul: BLAS size n=2147483648 is outside [0, 2147483647] (m=2, n=2147483648, k=1)');
    expect(() => checkBlasSizes('matmul', { m: NaN })).toThrow(RangeError);
    expect(() => checkBlasSizes('matmul', { m: -1 })).toThrow(RangeError);
  });
});
