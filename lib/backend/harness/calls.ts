/**
 * Random valid calls of a kernel, made from its table declaration alone: sizes
 * from their declared ranges, buffers as long as their length expressions ask
 * (optionally one element more), values from their declared domains,
 * nullable buffers null now and then, declared in-place aliases now and then.
 */
import type { Num } from '../kernels';
import { KERNEL_TABLE, type KernelName } from '../table';
import { type Dtype, alloc, makeRng, randomBuffer } from '../table/random';
import type { BufferArg, KernelSpec, Len, Rng } from '../table/spec';

export { makeRng };
export type { Dtype, KernelName, Rng };

/** The declaration of `name`, seen through the common type. */
export function specOf(name: KernelName): KernelSpec {
  return KERNEL_TABLE[name] as KernelSpec;
}

/** Every kernel name, in table order. */
export const KERNEL_NAMES = Object.keys(KERNEL_TABLE) as KernelName[];

const compiled = new Map<string, (v: Record<string, unknown>) => number>();

/** Evaluates a size expression of the table (`outer*idx.length*inner`) over named argument values. */
export function evaluate(expr: string, v: Record<string, unknown>): number {
  let f = compiled.get(expr);
  if (f === undefined) {
    const body = expr.replace(/[A-Za-z_]\w*(\.length)?/g, (m, len: string | undefined) =>
      len ? `v[${JSON.stringify(m.slice(0, -len.length))}].length` : `v[${JSON.stringify(m)}]`);
    f = new Function('v', `return +(${body});`) as (v: Record<string, unknown>) => number;
    compiled.set(expr, f);
  }
  return f(v);
}

/** The length `len` asks for, given the values drawn so far (0 when a `when` condition is false). */
export function neededLength(len: Len, v: Record<string, unknown>): number {
  if ('same' in len) return (v[len.same] as Num).length;
  if ('reduced' in len) return v.reduction === 0 ? (v[len.reduced] as number) : 1;
  if (len.when !== undefined && !evaluate(len.when, v)) return 0;
  if (len.min === 'prod(shape)') return (v.shape as Int32Array).reduce((a, b) => a * b, 1);
  return evaluate(len.min, v);
}

/** The buffers of a declaration with their argument positions. */
export function buffersOf(spec: KernelSpec): [BufferArg, number][] {
  const out: [BufferArg, number][] = [];
  spec.args.forEach((a, i) => {
    if (a.kind === 'buffer') out.push([a, i]);
  });
  return out;
}

/** The element type of a random call: int32 too when a buffer takes any storage type. */
function drawDtype(spec: KernelSpec, rng: Rng): Dtype {
  const classes = new Set(spec.args.map((a) => (a.kind === 'buffer' ? a.dtype : '')));
  if (classes.has('num') || classes.has('any')) return rng.pick(['float32', 'float64', 'int32'] as const);
  return rng.pick(['float32', 'float64'] as const);
}

/** Options of a random call. */
export interface CallOptions {
  /** Buffers with a minimum length get one more element now and then (false: exactly the minimum). */
  slack?: boolean;
  /** Declared in-place aliases are used now and then. */
  alias?: boolean;
}

/** A random valid argument list for kernel `name`. */
export function randomCall(name: KernelName, rng: Rng, o: CallOptions = {}): unknown[] {
  const spec = specOf(name);
  const dtype = drawDtype(spec, rng);
  if (spec.make) return spec.make(rng, dtype);
  const v: Record<string, unknown> = {};
  for (const a of spec.args) {
    if (a.kind === 'size') v[a.name] = rng.int(a.draw[0], a.draw[1]);
    else if (a.kind === 'number' || a.kind === 'int32') v[a.name] = rng.pick(a.draw);
    else if (a.kind === 'code') v[a.name] = rng.int(0, a.max);
    else if (a.kind === 'bool') v[a.name] = rng.chance(0.5);
    else if (a.kind === 'buffer' && a.nullable) v[a.name] = rng.chance(0.3) ? null : undefined;
  }
  spec.fixDraw?.(v, rng);
  const buffers = buffersOf(spec);
  // Buffers without a length first: others' lengths may refer to them (src.length, idx.length).
  const ordered = [...buffers.filter(([a]) => a.len === undefined), ...buffers.filter(([a]) => a.len !== undefined)];
  for (const [a] of ordered) {
    if (v[a.name] === null) continue;
    const type: Dtype = a.dtype === 'int32' ? 'int32' : a.dtype === 'any' ? drawDtype(spec, rng) : dtype;
    let n = a.len === undefined ? rng.int(0, 9) : neededLength(a.len, v);
    if (o.slack !== false && a.len !== undefined && 'min' in a.len && rng.chance(0.2)) n += 1;
    const bound = a.values?.kind === 'index' ? evaluate(a.values.bound, v) : 0;
    v[a.name] = a.role === 'out' && a.values === undefined ? alloc(type, n) : randomBuffer(rng, type, n, a.values, bound);
    const target = a.alias?.find((t) => sameShape(v[t], v[a.name]));
    if (o.alias !== false && target !== undefined && rng.chance(0.2)) v[a.name] = v[target];
  }
  spec.fixBuffers?.(v, rng);
  return spec.args.map((a) => v[a.name]);
}

function sameShape(x: unknown, y: unknown): boolean {
  return ArrayBuffer.isView(x) && ArrayBuffer.isView(y) && x.constructor === y.constructor &&
    (x as Num).length === (y as Num).length;
}

/**
 * A deep copy of an argument list that keeps its memory relations: views of
 * one buffer stay views of one (copied) buffer, at the same offsets.
 */
export function cloneCall(args: readonly unknown[]): unknown[] {
  const copies = new Map<ArrayBufferLike, ArrayBufferLike>();
  return args.map((a) => {
    if (!ArrayBuffer.isView(a) || a instanceof DataView || a.buffer.byteLength === 0) return a;
    let b = copies.get(a.buffer);
    if (b === undefined) {
      b = a.buffer.slice(0);
      copies.set(a.buffer, b);
    }
    const Ctor = a.constructor as new (b: ArrayBufferLike, offset: number, length: number) => ArrayBufferView;
    return new Ctor(b, a.byteOffset, (a as Num).length);
  });
}
