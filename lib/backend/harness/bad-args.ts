/**
 * Malformed calls of a kernel, derived from its declaration: each case breaks
 * one thing in a valid call (an argument of the wrong kind or element type, a
 * buffer one element short, a bad size, an output partially overlapping
 * another buffer, an undeclared in-place alias, too few arguments). Both
 * backends must throw the expected class with the same message; declared
 * aliases must be accepted.
 */
import type { Num } from '../kernels';
import { MAX_SIZE } from '../table/spec';
import type { ArgSpec, BufferArg, KernelSpec, Rng } from '../table/spec';
import { buffersOf, cloneCall, neededLength, randomCall, specOf, type KernelName } from './calls';

/** One malformed (or, for declared aliases, well-formed) call and what it must do. */
export interface BadCase {
  label: string;
  args: unknown[];
  /** The error class both backends must throw, 'ok' (must succeed and agree), or 'same' (both must do the same). */
  expect: 'TypeError' | 'RangeError' | 'ok' | 'same';
}

const NOT_BUFFERS = (): unknown[] => [
  [1, 2, 3], undefined, {}, 'abc', 42, new Uint8Array(24), new Uint32Array(6), new Int16Array(6),
  new BigInt64Array(6), new DataView(new ArrayBuffer(24)), new ArrayBuffer(24),
];
const BAD_SIZES = [-1, -0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 40, 2 ** 31];
const NOT_NUMBERS = (): unknown[] => ['3', null, undefined, {}, 3n, true];

/** A valid call whose buffers all hold at least two elements (so that shortening or shifting one is an error). */
function baseCall(name: KernelName, spec: KernelSpec, rng: Rng): unknown[] {
  for (let attempt = 0; attempt < 200; attempt++) {
    const args = randomCall(name, rng, { slack: false, alias: false });
    const bufs = args.filter((a) => ArrayBuffer.isView(a) || a === null);
    if (bufs.every((b) => b !== null && (b as Num).length >= 2) && spec.args.every((a, i) => a.kind !== 'size' || args[i] !== 0)) {
      return args;
    }
  }
  throw new Error(`harness: no non-empty valid call of ${name} in 200 draws; widen its draw ranges`);
}

const otherFloat = (x: Num): Num =>
  x instanceof Float32Array ? new Float64Array(x.length) : new Float32Array(x.length);

/** Names referred to as `name.length` or by `same` in the declaration: shortening those changes other lengths. */
function lengthSources(spec: KernelSpec): Set<string> {
  const names = new Set<string>();
  for (const a of spec.args) {
    if (a.kind !== 'buffer' || a.len === undefined) continue;
    if ('same' in a.len) names.add(a.len.same);
    if ('min' in a.len) for (const m of a.len.min.matchAll(/(\w+)\.length/g)) names.add(m[1]);
  }
  for (const a of spec.args) if (a.kind === 'buffer' && a.values?.kind === 'index') names.add(a.name);
  return names;
}

/** The named values of a call, for length expressions. */
function named(spec: KernelSpec, args: readonly unknown[]): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  spec.args.forEach((a, i) => {
    v[a.name] = args[i];
  });
  return v;
}

/** Replaces argument i of a copy of `args`. */
function withArg(args: readonly unknown[], i: number, value: unknown): unknown[] {
  const copy = cloneCall(args);
  copy[i] = value;
  return copy;
}

/** Cases for a wrong kind or value of argument `a` at position i. */
function kindCases(a: ArgSpec, i: number, args: readonly unknown[]): BadCase[] {
  const cases: BadCase[] = [];
  const add = (label: string, value: unknown, expect: BadCase['expect']): void => {
    cases.push({ label: `${a.name} = ${label}`, args: withArg(args, i, value), expect });
  };
  switch (a.kind) {
    case 'buffer': {
      NOT_BUFFERS().forEach((bad, j) => add(`not a buffer #${j}`, bad, 'TypeError'));
      if (!a.nullable) add('null', null, 'TypeError');
      const x = args[i] as Num;
      if (a.dtype === 'float') add('Int32Array', new Int32Array(x.length), 'TypeError');
      if (a.dtype === 'int32') {
        add('Float32Array', new Float32Array(x.length), 'TypeError');
        add('Float64Array', new Float64Array(x.length), 'TypeError');
      }
      break;
    }
    case 'size':
    case 'code':
      for (const bad of BAD_SIZES) if (!(bad >= 0 && bad <= a.max && Math.trunc(bad) === bad)) add(String(bad), bad, 'RangeError');
      if (a.max < MAX_SIZE) add(String(a.max + 1), a.max + 1, 'RangeError');
      NOT_NUMBERS().forEach((bad, j) => add(`not a number #${j}`, bad, 'TypeError'));
      break;
    case 'number':
      NOT_NUMBERS().forEach((bad, j) => add(`not a number #${j}`, bad, 'TypeError'));
      break;
    case 'int32':
      NOT_NUMBERS().forEach((bad, j) => add(`not a number #${j}`, bad, 'TypeError'));
      for (const bad of [2 ** 31, -(2 ** 31) - 1, 1.5, NaN]) add(String(bad), bad, 'RangeError');
      break;
    case 'bool':
      for (const bad of [0, 1, 'true', null, undefined]) add(JSON.stringify(bad) ?? 'undefined', bad, 'TypeError');
      break;
    case 'shape':
    case 'strides': {
      add('an Array', Array.from(args[i] as Int32Array), 'TypeError');
      add('a Float32Array', Float32Array.from(args[i] as Int32Array), 'TypeError');
      if (a.kind === 'strides') add('one entry too many', Int32Array.from([...(args[i] as Int32Array), 1]), 'RangeError');
      break;
    }
  }
  return cases;
}

/** Every malformed-call case of kernel `name` (plus the declared in-place aliases, which must work). */
export function badCalls(name: KernelName, rng: Rng): BadCase[] {
  const spec = specOf(name);
  const args = baseCall(name, spec, rng);
  const cases: BadCase[] = [{ label: 'valid', args, expect: 'ok' }];
  if (args.length > 0) {
    cases.push({ label: 'one argument too few', args: cloneCall(args).slice(0, -1), expect: 'TypeError' });
    cases.push({ label: 'no arguments', args: [], expect: 'TypeError' });
  }
  spec.args.forEach((a, i) => cases.push(...kindCases(a, i, args)));
  const buffers = buffersOf(spec);
  const typed = buffers.filter(([a]) => a.dtype === 'float' || a.dtype === 'num');
  if (typed.length > 1) {
    for (const [a, i] of typed) {
      cases.push({ label: `${a.name} of another element type`, args: withArg(args, i, otherFloat(args[i] as Num)), expect: 'TypeError' });
    }
  }
  const sources = lengthSources(spec);
  const v = named(spec, args);
  for (const [a, i] of buffers) {
    if (a.len === undefined || sources.has(a.name)) continue;
    const need = neededLength(a.len, v);
    const x = args[i] as Num;
    if (need < 1 || x.length < 1) continue;
    cases.push({ label: `${a.name} one element short`, args: withArg(args, i, x.subarray(0, Math.min(need, x.length) - 1)), expect: 'RangeError' });
  }
  for (const [o, oi] of buffers) {
    if (o.role === 'in' || o.customOverlap) continue;
    for (const [b, bi] of buffers) {
      if (bi === oi || b.customOverlap) continue;
      cases.push(...overlapCases(o, oi, b, bi, args));
    }
  }
  args.forEach((x, i) => {
    if (!ArrayBuffer.isView(x)) return;
    const copy = (x as Num).slice();
    structuredClone(copy.buffer, { transfer: [copy.buffer] });
    cases.push({ label: `${spec.args[i].name} detached`, args: withArg(args, i, copy), expect: 'same' });
  });
  return cases;
}

/** Output `o` shifted one element into `b`'s memory (partial overlap), and `o` exactly `b` (allowed only if declared). */
function overlapCases(o: BufferArg, oi: number, b: BufferArg, bi: number, args: readonly unknown[]): BadCase[] {
  const out = args[oi] as Num;
  const other = args[bi] as Num;
  const cases: BadCase[] = [];
  const shift = out.BYTES_PER_ELEMENT;
  if (other.byteLength > shift) {
    const ab = new ArrayBuffer(Math.max(other.byteLength, shift + out.byteLength));
    const OtherCtor = other.constructor as new (b: ArrayBuffer, o: number, n: number) => Num;
    const OutCtor = out.constructor as new (b: ArrayBuffer, o: number, n: number) => Num;
    const shared = new OtherCtor(ab, 0, other.length);
    shared.set(other);
    const copy = cloneCall(args);
    copy[bi] = shared;
    copy[oi] = new OutCtor(ab, shift, out.length);
    cases.push({ label: `${o.name} partially overlapping ${b.name}`, args: copy, expect: 'RangeError' });
  }
  if (out.constructor === other.constructor && out.length === other.length) {
    const copy = cloneCall(args);
    copy[oi] = copy[bi];
    const allowed = (o.alias?.includes(b.name) ?? false) || (b.alias?.includes(o.name) ?? false);
    cases.push({ label: `${o.name} exactly ${b.name}`, args: copy, expect: allowed ? 'ok' : 'RangeError' });
  }
  return cases;
}
