/** Shared test helpers: run a suite on both backends, compare arrays, gradcheck cases. */
import { describe, it, beforeAll, afterAll, beforeEach, expect } from 'vitest';
import * as torch from '../lib';
import { setBackend, getBackend, type BackendName } from '../lib/backend';
import type { Kernels } from '../lib/backend/kernels';
import { loadNativeKernels } from '../lib/backend/native';
import type { NestedArray, Tensor } from '../lib/tensor';

export const BACKENDS: BackendName[] = ['native', 'js'];

/** Declares `body` once per backend, switching the active backend around it. */
export function describeBackends(name: string, body: (backend: BackendName) => void): void {
  for (const backend of BACKENDS) {
    describe(`${name} [${backend}]`, () => {
      let previous: BackendName;
      beforeAll(() => {
        previous = getBackend();
        setBackend(backend);
      });
      afterAll(() => setBackend(previous));
      body(backend);
    });
  }
}

/** The native kernels, or null when the addon does not load (suites that need it skip). */
export function nativeKernelsOrNull(): Kernels | null {
  try {
    return loadNativeKernels();
  } catch {
    return null;
  }
}

/** Flattens nested arrays of numbers. */
export function flat(v: NestedArray | ArrayLike<number>): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return (v as NestedArray[]).flatMap((x) => flat(x));
  return Array.from(v as ArrayLike<number>);
}

/** Asserts elementwise closeness: |a − b| ≤ atol + rtol·|b|. */
export function expectClose(actual: NestedArray | ArrayLike<number>, expected: NestedArray | ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  const a = flat(actual);
  const b = flat(expected);
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) {
      expect(Number.isNaN(a[i]), `element ${i}: expected NaN, got ${a[i]}`).toBe(true);
      continue;
    }
    if (!Number.isFinite(b[i])) {
      expect(a[i], `element ${i}`).toBe(b[i]);
      continue;
    }
    expect(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
  }
}

/** A float64 leaf of `shape` with values uniform in [lo, hi), requiring grad. */
export function leaf(shape: number[], lo = -2, hi = 2): Tensor {
  return torch.rand(shape, { dtype: 'float64' }).mul(hi - lo).add(lo).detach().requiresGrad_();
}

/** A named gradcheck case: builds the function and its float64 inputs (after the suite's seed). */
export type GradCase = [string, () => [(...inputs: Tensor[]) => Tensor | Tensor[], Tensor[]]];

/**
 * One float64 gradcheck test per case on both backends, each after
 * `manualSeed(seed)`, with tolerances tighter than gradcheck's float32-minded
 * defaults.
 */
export function describeGradcheck(title: string, cases: readonly GradCase[], seed: number): void {
  describeBackends(title, () => {
    beforeEach(() => { torch.manualSeed(seed); });
    for (const [name, make] of cases) {
      it(name, () => {
        const [fn, inputs] = make();
        expect(torch.autograd.gradcheck(fn, inputs, { eps: 1e-6, atol: 1e-7, rtol: 1e-5 })).toBe(true);
      });
    }
  });
}
