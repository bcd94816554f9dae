/** Shared test helpers: run a suite on both backends, compare arrays. */
import { describe, beforeAll, afterAll, expect } from 'vitest';
import { setBackend, getBackend, type BackendName } from '../lib/backend';
import type { NestedArray } from '../lib/tensor';

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
