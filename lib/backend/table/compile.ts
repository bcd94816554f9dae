/**
 * Compiles a kernel declaration into one checking wrapper: a straight-line
 * function (built once with `new Function`, so no interpretation per call)
 * that validates the arguments exactly as the native binding does — same
 * checks, same order of phases, same error classes and texts — and then calls
 * the unchecked loop.
 *
 * Phases, as in native/*.cc: argument count; each argument's kind in order
 * (shapes and strides last); one element type per call; shape and strides;
 * `check` ('types'); lengths; `check` ('lengths', the default); overlaps;
 * index ranges; `check` ('overlaps').
 */
import type { BufferArg, KernelSpec } from './spec';
import { MAX_DIMS } from './spec';
import {
  ALLOWED_TEXT, INT64_LIMIT, OVERFLOW_TEXT, describe, formatNumber, overlapText, rangeError, shortText, typeError,
} from './messages';

/** Element-type tags: 0 is "not a storage buffer". */
const TYPE_NAMES = ['', 'Float32Array', 'Float64Array', 'Int32Array'];

/** Tag of a value: 1 float32, 2 float64, 3 int32, 0 anything else. */
function tagOf(x: unknown): number {
  return x instanceof Float32Array ? 1 : x instanceof Float64Array ? 2 : x instanceof Int32Array ? 3 : 0;
}

/** True when two views share bytes (empty views never do). */
function overlaps(x: ArrayBufferView, y: ArrayBufferView): boolean {
  if (x === y) return x.byteLength > 0; // in place: no need for the slow .buffer getter
  if (x.byteLength === 0 || y.byteLength === 0 || x.buffer !== y.buffer) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** True when two overlapping views are the very same memory. */
function sameView(x: ArrayBufferView, y: ArrayBufferView): boolean {
  return x === y || (x.byteOffset === y.byteOffset && x.byteLength === y.byteLength);
}

const article = (name: string): string => (/^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`);

const HELPERS = {
  tagOf, overlaps, sameView, describe, fmt: formatNumber, typeError, rangeError, shortText, overlapText, article,
  TYPE_NAMES, LIMIT: INT64_LIMIT,
};

/** A JS string literal. */
const lit = (s: string): string => JSON.stringify(s);

/** The wrapper's source for `spec`; `raw` and `check` are bound by compileKernel. */
function generate(name: string, spec: KernelSpec): string {
  const args = spec.args;
  const index = new Map(args.map((a, i) => [a.name, i]));
  const v = (n: string): string => {
    const i = index.get(n);
    if (i === undefined) throw new Error(`kernel table: ${name} refers to an unknown argument ${n}`);
    return `a${i}`;
  };
  /** Size expression → JS over the argument variables. */
  const expr = (e: string): string =>
    e.replace('prod(shape)', 'numel').replace(/[A-Za-z_]\w*(\.length)?/g, (m, len: string | undefined) =>
      m === 'numel' ? m : len ? `${v(m.slice(0, -len.length))}.length` : v(m));
  /** The same expression in BigInt arithmetic. */
  const bigExpr = (e: string): string =>
    expr(e).replace(/\b(a\d+(?:\.length)?|numel)\b/g, 'BigInt($1)').replace(/\b(\d+)\b/g, '$1n');
  const K = lit(name);
  const E = (cls: 'typeError' | 'rangeError', msg: string): string => `throw H.${cls}(${K}, ${msg});`;
  const out: string[] = [];
  const params = args.map((_, i) => `a${i}`).join(', ');
  out.push(`if (arguments.length < ${args.length}) ${E('typeError', `"expected ${args.length} arguments, got " + arguments.length`)}`);

  const buffers = args.map((a, i) => [a, i] as const).filter((p): p is readonly [BufferArg, number] => p[0].kind === 'buffer');
  // ---- kinds, in argument order
  for (const [a, i] of args.map((x, j) => [x, j] as const)) {
    const x = `a${i}`;
    const N = lit(a.name);
    const notNumber = `if (typeof ${x} !== "number") ${E('typeError', `${N} + " must be a number (got " + H.describe(${x}) + ")"`)}`;
    switch (a.kind) {
      case 'buffer': {
        const ok = a.dtype === 'float' ? `t${i} === 1 || t${i} === 2` : a.dtype === 'int32' ? `t${i} === 3` : `t${i} !== 0`;
        const test = `t${i} = H.tagOf(${x}); if (!(${ok})) ${E('typeError', `${N} + " must be ${ALLOWED_TEXT[a.dtype]} (got " + H.describe(${x}) + ")"`)}`;
        out.push(a.nullable ? `let t${i} = 0; if (${x} !== null) { ${test} }` : `let ${test}`);
        break;
      }
      case 'size':
      case 'code':
        out.push(notNumber);
        out.push(`if (!(${x} >= 0 && ${x} <= ${a.max} && Math.trunc(${x}) === ${x})) ${E('rangeError', `${N} + " must be an integer in [0, ${a.max}] (got " + H.fmt(${x}) + ")"`)}`);
        break;
      case 'number':
        out.push(notNumber);
        break;
      case 'int32':
        out.push(notNumber);
        out.push(`if (!(${x} >= -2147483648 && ${x} <= 2147483647 && Math.trunc(${x}) === ${x})) ${E('rangeError', `${lit(`${a.name} must be a 32-bit integer`)}`)}`);
        break;
      case 'bool':
        out.push(`if (typeof ${x} !== "boolean") ${E('typeError', `${N} + " must be a boolean (got " + H.describe(${x}) + ")"`)}`);
        break;
      default:
        break;
    }
  }
  // ---- one element type per call: the first float/num buffer is the reference
  const typed = buffers.filter(([a]) => a.dtype === 'float' || a.dtype === 'num');
  for (const [a, i] of typed.slice(1)) {
    const [r, ri] = typed[0];
    const test = `if (t${i} !== t${ri}) ${E('typeError', `${lit(a.name)} + " is " + H.article(H.TYPE_NAMES[t${i}]) + " but ${r.name} is " + H.article(H.TYPE_NAMES[t${ri}]) + "; all buffers must have the same type"`)}`;
    out.push(a.nullable ? `if (a${i} !== null) { ${test} }` : test);
  }
  // ---- shape, then strides
  const shapeArg = args.findIndex((a) => a.kind === 'shape');
  if (shapeArg >= 0) {
    const s = `a${shapeArg}`;
    const N = lit(args[shapeArg].name);
    out.push(`if (!(${s} instanceof Int32Array)) ${E('typeError', `${N} + " must be an Int32Array (got " + H.describe(${s}) + ")"`)}`);
    out.push(`if (${s}.length > ${MAX_DIMS}) ${E('rangeError', `${N} + " has " + ${s}.length + " dims; at most ${MAX_DIMS} are supported"`)}`);
    out.push(`let numel = 1; for (let j = 0; j < ${s}.length; j++) { if (${s}[j] < 0) ${E('rangeError', `${N} + "[" + j + "] is negative (" + ${s}[j] + ")"`)} numel *= ${s}[j]; }`);
    out.push(`if (numel >= H.LIMIT) ${E('rangeError', lit(OVERFLOW_TEXT))}`);
    args.forEach((a, i) => {
      if (a.kind !== 'strides') return;
      const x = `a${i}`;
      const M = lit(a.name);
      out.push(`if (!(${x} instanceof Int32Array)) ${E('typeError', `${M} + " must be an Int32Array (got " + H.describe(${x}) + ")"`)}`);
      out.push(`if (${x}.length !== ${s}.length) ${E('rangeError', `${M} + " has " + ${x}.length + " entries but shape has " + ${s}.length + " dims"`)}`);
    });
  }
  const hook = `check.call(${K}, ${params});`;
  if (spec.check && spec.checkAfter === 'types') out.push(hook);
  // ---- lengths
  for (const [a, i] of buffers) {
    if (a.len === undefined) continue;
    const x = `a${i}`;
    let test: string;
    if ('same' in a.len) {
      const r = v(a.len.same);
      test = `if (${x}.length !== ${r}.length) ${E('rangeError', `${lit(a.name)} + " has " + ${x}.length + " elements but ${a.len.same} has " + ${r}.length + "; they must have the same length"`)}`;
    } else if ('reduced' in a.len) {
      const red = v('reduction');
      const n = v(a.len.reduced);
      test = `{ const need = ${red} === 0 ? ${n} : 1; if (${x}.length < need) ${E('rangeError', `H.shortText(${lit(a.name)}, ${x}.length, ${red} === 0 ? ${lit(a.len.reduced)} : "1", need)`)} }`;
    } else {
      // Beyond 2^53 doubles round: redo the arithmetic exactly, as the addon's int64.
      test = `{ let need = ${expr(a.len.min)}; if (need > 9007199254740991) { need = ${bigExpr(a.len.min)}; if (need > 9223372036854775807n) ${E('rangeError', lit(OVERFLOW_TEXT))} } if (${x}.length < need) ${E('rangeError', `H.shortText(${lit(a.name)}, ${x}.length, ${lit(a.len.min)}, need)`)} }`;
      if (a.len.when !== undefined) test = `if (${expr(a.len.when)}) ${test}`;
    }
    out.push(a.nullable ? `if (${x} !== null) ${test}` : test);
  }
  if (spec.check && (spec.checkAfter ?? 'lengths') === 'lengths') out.push(hook);
  // ---- overlaps
  const guard = (a: BufferArg, i: number, b: BufferArg, j: number, body: string): string => {
    const conds = [a.nullable ? `a${i} !== null` : '', b.nullable ? `a${j} !== null` : ''].filter(Boolean);
    return conds.length > 0 ? `if (${conds.join(' && ')}) { ${body} }` : body;
  };
  const noOverlap = (a: BufferArg, i: number, b: BufferArg, j: number): string =>
    guard(a, i, b, j, `if (H.overlaps(a${i}, a${j})) ${E('rangeError', `H.overlapText(${lit(a.name)}, ${lit(b.name)})`)}`);
  if (spec.pairwise) {
    buffers.forEach(([a, i], p) => {
      for (const [b, j] of buffers.slice(p + 1)) out.push(noOverlap(a, i, b, j));
    });
  } else {
    // As the addon orders them: a required output counts as an input of the
    // outputs after it; optional outputs are checked against each other in order.
    const before = (j: number, i: number, b: BufferArg, a: BufferArg): boolean =>
      b.role !== 'in' && (a.nullable && b.nullable ? j < i : j > i);
    for (const [a, i] of buffers) {
      if (a.role === 'in' || a.customOverlap) continue;
      for (const [b, j] of buffers) {
        if (j === i || b.customOverlap || before(j, i, b, a)) continue;
        if (a.alias?.includes(b.name)) {
          out.push(guard(a, i, b, j, `if (H.overlaps(a${i}, a${j}) && !H.sameView(a${i}, a${j})) ${E('rangeError',
            lit(`output overlaps an input (${a.name} partially shares memory with ${b.name}; only the very same array is allowed)`))}`));
        } else {
          out.push(noOverlap(a, i, b, j));
        }
      }
    }
  }
  // ---- index ranges
  for (const [a, i] of buffers) {
    if (a.values?.kind !== 'index') continue;
    const bound = expr(a.values.bound);
    out.push(`{ const count = ${expr(a.values.count)}; for (let j = 0; j < count; j++) { const q = a${i}[j]; if (q < 0 || q >= ${bound}) ${E('rangeError',
      `${lit(a.name)} + "[" + j + "] = " + q + " is out of range for a dimension of size " + ${bound}`)} } }`);
  }
  if (spec.check && spec.checkAfter === 'overlaps') out.push(hook);
  out.push(`return raw(${params});`);
  return `"use strict"; return function ${name}(${params}) {\n  ${out.join('\n  ')}\n};`;
}

/** The checking wrapper of kernel `name` around the unchecked loop `raw`. */
export function compileKernel<F extends (...args: never[]) => unknown>(name: string, spec: KernelSpec, raw: F): F {
  const make = new Function('H', 'raw', 'check', generate(name, spec)) as (h: typeof HELPERS, r: F, c: unknown) => F;
  return make(HELPERS, raw, spec.check);
}
