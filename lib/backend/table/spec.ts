/**
 * The vocabulary of the kernel table: what one kernel declares about each of
 * its arguments, and the builders the table is written with. Everything that
 * is the same for every kernel — the `Kernels` signatures, the js argument
 * checks, the native loader, the bad-argument tests, the fuzz and parity
 * generators — is derived from these declarations.
 */
import type { Float, Num } from '../kernels';

/** Which buffer types an argument accepts: float32/64, any storage type, int32 only, or any type independent of the others (cast). */
export type DtypeClass = 'float' | 'num' | 'int32' | 'any';

/** in: read only; out: written; inout: read and written. */
export type Role = 'in' | 'out' | 'inout';

/**
 * The length a buffer must have. Expressions are written in the sizes' names
 * exactly as the native addon's messages spell them (`m*k`, `outer*dim*inner`).
 * - `{ min }`: at least that many elements (`when`: only when that condition holds);
 * - `{ same }`: exactly as long as the named buffer;
 * - `{ reduced }`: n elements for reduction 0 (none), else 1.
 */
export type Len =
  | { readonly min: string; readonly when?: string }
  | { readonly same: string }
  | { readonly reduced: string };

/** What values a random valid call puts into a buffer (default: any). */
export type Values =
  | { readonly kind: 'range'; readonly lo: number; readonly hi: number }
  /** Indices in [0, bound); the checker rejects others among the first `count`. */
  | { readonly kind: 'index'; readonly bound: string; readonly count: string };

/** A buffer argument. */
export interface BufferArg<D extends DtypeClass = DtypeClass, N extends boolean = boolean, W extends boolean = boolean> {
  readonly kind: 'buffer';
  /** Typed as any storage buffer although only `dtype` is accepted at run time (a TypeError otherwise). */
  readonly wide?: W;
  readonly name: string;
  readonly role: Role;
  readonly dtype: D;
  /** null is a valid value (absent). */
  readonly nullable: N;
  readonly len?: Len;
  /** Inputs this output may be exactly (same memory, same length): in-place use. Any other overlap is a RangeError. */
  readonly alias?: readonly string[];
  /** Overlap rules checked by the kernel's own `check` instead of the generic pass. */
  readonly customOverlap?: boolean;
  readonly values?: Values;
}

/** A non-negative integer size, at most `max` (2^31 − 1 unless given). */
export interface SizeArg {
  readonly kind: 'size';
  readonly name: string;
  readonly max: number;
  /** Range a random valid call draws from (inclusive). */
  readonly draw: readonly [number, number];
}

/** The same buffer typed as any storage buffer (see BufferArg.wide). */
export const wide = <D extends DtypeClass, N extends boolean>(b: BufferArg<D, N, false>): BufferArg<D, N, true> =>
  ({ ...b, wide: true });

/** Any JS number (NaN and ±Infinity included); `draw` lists values a random valid call picks from. */
export interface NumberArg {
  readonly kind: 'number';
  readonly name: string;
  readonly draw: readonly number[];
}

/** A 32-bit integer given as a JS number (ignoreIndex). */
export interface Int32Arg {
  readonly kind: 'int32';
  readonly name: string;
  readonly draw: readonly number[];
}

/** A small enumeration code in [0, max] (ACT_*, REDUCTION_*). */
export interface CodeArg {
  readonly kind: 'code';
  readonly name: string;
  readonly max: number;
}

/** A boolean flag. */
export interface BoolArg {
  readonly kind: 'bool';
  readonly name: string;
}

/** A shape (Int32Array of at most 64 non-negative dims). */
export interface ShapeArg {
  readonly kind: 'shape';
  readonly name: string;
}

/** Per-dim element strides (Int32Array with one entry per dim of the shape argument). */
export interface StridesArg {
  readonly kind: 'strides';
  readonly name: string;
}

/** One argument of a kernel. */
export type ArgSpec = BufferArg | SizeArg | NumberArg | Int32Arg | CodeArg | BoolArg | ShapeArg | StridesArg;

/** A random number source (seeded by the harness). */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi], inclusive. */
  int(lo: number, hi: number): number;
  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
}

/** Per-kernel parity tolerance: relative, scaled by max(1, |js value|). */
export interface Tolerance {
  readonly f32: number;
  readonly f64: number;
}

/**
 * A kernel declaration. `check` and `fixDraw` hold what cannot be said
 * declaratively; `make` replaces the generic random-call generator where the
 * arguments depend on each other beyond lengths (strides, layouts).
 */
export interface KernelSpec<A extends readonly ArgSpec[] = readonly ArgSpec[], R extends 'void' | 'number' = 'void' | 'number'> {
  readonly args: A;
  /** 'number': returns a number (bce: −1 or the index of the first bad input; getNumThreads). */
  readonly returns: R;
  readonly tol: Tolerance;
  /** Checks beyond the declared ones, run after the length checks; throw with `rangeError`/`typeError`. */
  readonly check?: (...args: never[]) => void;
  /** Where `check` runs: after the length checks (default) or after the overlap checks (index validation). */
  readonly checkAfter?: 'types' | 'lengths' | 'overlaps';
  /** Adjusts the scalars of a random valid call (by argument name) before buffers are made. */
  readonly fixDraw?: (v: Record<string, unknown>, rng: Rng) => void;
  /** Adjusts the buffers of a random valid call (by argument name) once they are made. */
  readonly fixBuffers?: (v: Record<string, unknown>, rng: Rng) => void;
  /** Every buffer pairwise disjoint, checked in argument order (the optimizer steps). */
  readonly pairwise?: boolean;
  /** A whole random valid call, for kernels whose arguments depend on each other beyond lengths. */
  readonly make?: (rng: Rng, dtype: 'float32' | 'float64' | 'int32') => unknown[];
  /** Thread-dependent or nondeterministic kernels are not compared. */
  readonly parity: boolean;
}

// ---- the TypeScript signature of a declaration ------------------------------------

type BufferType<D> = D extends 'float' ? Float : D extends 'int32' ? Int32Array : Num;

/** The TypeScript type of one declared argument. */
export type ArgType<A> = A extends BufferArg<infer D, infer N, infer W>
  ? W extends true ? Num : N extends true ? BufferType<D> | null : BufferType<D>
  : A extends BoolArg ? boolean
  : A extends ShapeArg | StridesArg ? Int32Array
  : number;

/** The function type a declaration describes. */
export type SignatureOf<S> = S extends KernelSpec<infer A, infer R>
  ? (...args: { -readonly [I in keyof A]: ArgType<A[I]> }) => R extends 'number' ? number : void
  : never;

// ---- builders ---------------------------------------------------------------------

interface BufOpts {
  readonly alias?: readonly string[];
  readonly customOverlap?: boolean;
  readonly values?: Values;
}

function buffer<D extends DtypeClass, N extends boolean>(
  role: Role, name: string, dtype: D, nullable: N, len?: Len, o: BufOpts = {},
): BufferArg<D, N, false> {
  return { kind: 'buffer', name, role, dtype, nullable, len, ...o };
}

/** An input buffer. */
export const input = <const D extends DtypeClass>(name: string, dtype: D, len?: Len, o?: BufOpts): BufferArg<D, false, false> =>
  buffer('in', name, dtype, false, len, o);
/** An output buffer (written, never read unless stated). */
export const output = <const D extends DtypeClass>(name: string, dtype: D, len?: Len, o?: BufOpts): BufferArg<D, false, false> =>
  buffer('out', name, dtype, false, len, o);
/** A buffer read and written in place. */
export const inout = <const D extends DtypeClass>(name: string, dtype: D, len?: Len, o?: BufOpts): BufferArg<D, false, false> =>
  buffer('inout', name, dtype, false, len, o);
/** A buffer that may be null (absent). */
export const optional = <const D extends DtypeClass>(role: Role, name: string, dtype: D, len?: Len, o?: BufOpts): BufferArg<D, true, false> =>
  buffer(role, name, dtype, true, len, o);

/** The largest size a kernel accepts (BLAS takes 32-bit ints), as the addon. */
export const MAX_SIZE = 2147483647;
/** The largest offset, batch stride or step accepted (Number.MAX_SAFE_INTEGER), as the addon. */
export const MAX_OFFSET = 9007199254740991;
/** The most dims a shape may have, as the addon. */
export const MAX_DIMS = 64;

/** A size argument; random valid calls draw it from [lo, hi]. */
export const size = (name: string, draw: readonly [number, number] = [0, 4], max = MAX_SIZE): SizeArg =>
  ({ kind: 'size', name, max, draw });
/** A number argument; random valid calls pick one of `draw`. */
export const scalar = (name: string, draw: readonly number[] = [0, 1, -2.5, 0.5]): NumberArg =>
  ({ kind: 'number', name, draw });
/** A 32-bit integer argument. */
export const int32 = (name: string, draw: readonly number[]): Int32Arg => ({ kind: 'int32', name, draw });
/** An enumeration code in [0, max]. */
export const code = (name: string, max: number): CodeArg => ({ kind: 'code', name, max });
/** A boolean flag. */
export const flag = (name: string): BoolArg => ({ kind: 'bool', name });
/** A shape argument. */
export const shape = (name: string): ShapeArg => ({ kind: 'shape', name });
/** A strides argument. */
export const strides = (name: string): StridesArg => ({ kind: 'strides', name });

/** At least `expr` elements. */
export const atLeast = (expr: string, when?: string): Len => (when === undefined ? { min: expr } : { min: expr, when });
/** Exactly as many elements as buffer `name`. */
export const sameAs = (name: string): Len => ({ same: name });
/** `n` elements for reduction 0, else 1. */
export const reduced = (n: string): Len => ({ reduced: n });

/** Float32 within 1e-5, float64 within 1e-12 (relative to max(1, |value|)). */
export const TIGHT: Tolerance = { f32: 1e-5, f64: 1e-12 };
/** For transcendental functions and long chains in float32. */
export const LOOSE: Tolerance = { f32: 2e-4, f64: 1e-9 };

/** Declares a kernel; `args` keep their literal types so the signature can be derived. */
export function kernel<const A extends readonly ArgSpec[], const R extends 'void' | 'number' = 'void'>(
  args: A, o: Partial<Omit<KernelSpec<A, R>, 'args'>> = {},
): KernelSpec<A, R> {
  return { args, returns: 'void' as R, tol: TIGHT, parity: true, ...o };
}
