/**
 * Creating tensors: tensor, zeros, ones, full, arange, linspace, eye, rand,
 * randn, randint, randperm and the *Like forms. Every creator defaults to
 * float32 (including `tensor([[0, 1]])` and `arange(10)`, which PyTorch would
 * make int64); pass `{ dtype: 'int32' }` for indices and labels.
 */
import { Tensor } from '../tensor';
import { checkDType, dtypeOfArray, isFloat, type DType } from '../dtype';
import { allocate } from '../storage/allocate';
import { checkShape, describe, shapeFromArgs, type ShapeArg } from '../shape';
import { defaultGenerator, type Generator } from '../random';
import { k } from './util';
import { defineOptions, rejectUnknownOptions, type OptionSpec } from '../options';
import { checkDevice, type DeviceLike } from '../device';
import { readable } from '../options';

/** Options every creator takes. */
export interface TensorOptions {
  /** Element type (default float32). */
  dtype?: DType;
  /** Make the new tensor a leaf that requires grad. */
  requiresGrad?: boolean;
  /** Accepted for ported code: 'cpu', torchlet's one device; any other is an error. */
  device?: DeviceLike;
}

/** Options of the random creators. */
export interface RandomOptions extends TensorOptions {
  /** Generator to draw from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** Nested arrays of numbers, as `tensor()` takes them. */
export type NestedNumbers = number | readonly NestedNumbers[];

function finish(t: Tensor, options: TensorOptions | undefined, op: string): Tensor {
  if (options?.requiresGrad) {
    if (!isFloat(t.dtype)) throw new TypeError(`${op}: only float tensors can require gradients, got dtype ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

const TENSOR_KEYS = { dtype: true, requiresGrad: true, device: true } as const;
const RANDOM_KEYS = { ...TENSOR_KEYS, generator: true } as const;
const SPECS: Record<string, OptionSpec> = {};
for (const op of ['tensor', 'full', 'zeros', 'ones', 'zerosLike', 'onesLike', 'fullLike', 'arange', 'linspace', 'eye']) {
  SPECS[op] = defineOptions<TensorOptions>(op, TENSOR_KEYS);
}
for (const op of ['rand', 'randn', 'randint', 'randperm']) SPECS[op] = defineOptions<RandomOptions>(op, RANDOM_KEYS);

/** Checks a creator's options (keys, device) and returns the dtype they ask for. */
function dtypeOf(options: TensorOptions | undefined, op: string, fallback: DType = 'float32'): DType {
  rejectUnknownOptions(options, SPECS[op]);
  if (options?.device !== undefined) checkDevice(options.device, op);
  return options?.dtype === undefined ? fallback : checkDType(options.dtype, op);
}

/** Splits `(2, 3, { dtype })` / `([2, 3], { dtype })` into a shape and options. */
function splitShapeArgs<O>(args: readonly unknown[], op: string): [number[], O | undefined] {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && typeof last === 'object' && last !== null && !Array.isArray(last);
  const shapeArgs = hasOptions ? args.slice(0, -1) : args;
  return [shapeFromArgs(shapeArgs, op), hasOptions ? (last as O) : undefined];
}

/**
 * A tensor from numbers, nested arrays or a TypedArray (1-D; use reshape).
 * The dtype is float32 unless given, or the TypedArray's own type. Data is
 * copied. PyTorch's `torch.tensor`; unlike PyTorch, integers give float32:
 * pass `{ dtype: 'int32' }` for labels and indices.
 *
 * @param data a number, nested arrays of numbers, a TypedArray or a Tensor
 * @param options `dtype` ('float32', 'float64', 'int32') and `requiresGrad`
 * @returns a new tensor that owns its data
 *
 * @example
 * ```ts
 * const x = torch.tensor([[1, 2], [3, 4]]);                      // float32 [2, 2]
 * const y = torch.tensor([0, 1, 1], { dtype: 'int32' });          // class labels
 * const w = torch.tensor([0.5, -0.5], { requiresGrad: true });
 * ```
 */
export function tensor(data: NestedNumbers | Float32Array | Float64Array | Int32Array | Tensor, options?: TensorOptions): Tensor {
  rejectUnknownOptions(options, SPECS.tensor);
  if (data instanceof Tensor) return finish(tensor(data.data, { dtype: options?.dtype ?? data.dtype }).reshape(data.shape.slice()), options, 'tensor');
  const arrayType = dtypeOfArray(data);
  if (arrayType !== null) {
    const src = data as Float32Array | Float64Array | Int32Array;
    const dtype = dtypeOf(options, 'tensor', arrayType);
    const out = allocate(dtype, src.length, 'tensor');
    k().cast(src, out);
    return finish(new Tensor(out, [src.length]), options, 'tensor');
  }
  if (ArrayBuffer.isView(data)) throw new TypeError(`tensor: unsupported TypedArray ${describe(data)}; use Float32Array, Float64Array or Int32Array`);
  const dtype = dtypeOf(options, 'tensor');
  const shape: number[] = [];
  for (let cur: unknown = data; Array.isArray(cur); cur = cur[0]) {
    shape.push(cur.length);
    if (cur.length === 0) break;
  }
  checkShape(shape, 'tensor');
  const out = allocate(dtype, shape.reduce((a, b) => a * b, 1), 'tensor');
  let pos = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new TypeError(`tensor: expected a number at ${path || 'the top level'}, got ${describe(v)}`);
      out[pos++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new RangeError(`tensor: ragged nested array at ${path || 'the top level'}: expected ${shape[depth]} entries like the first one at that depth, got ${Array.isArray(v) ? v.length : describe(v)}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(data, 0, '');
  return finish(new Tensor(out, shape), options, 'tensor');
}

/**
 * A tensor filled with `value`.
 *
 * @param shape the sizes, as one array
 * @param value the fill value
 * @param options `dtype`, `requiresGrad`
 * @returns a new tensor
 */
export function full(shape: ShapeArg, value: number, options?: TensorOptions): Tensor {
  return filled(shape, value, options, 'full');
}

function filled(shape: ShapeArg, value: number, options: TensorOptions | undefined, op: string): Tensor {
  const s = shapeFromArgs([shape], op);
  if (typeof value !== 'number') throw new TypeError(`${op}: fill value must be a number, got ${describe(value)}`);
  const t = new Tensor(allocate(dtypeOf(options, op), s.reduce((a, b) => a * b, 1), op), s);
  if (value !== 0) k().fill(t.data, value);
  return finish(t, options, op);
}

/**
 * A tensor of zeros (PyTorch's `torch.zeros`). The shape is given as sizes or
 * one array, optionally followed by options.
 *
 * @param args the sizes (`2, 3` or `[2, 3]`), then optionally `{ dtype, requiresGrad }`
 * @returns a new float32 tensor unless `dtype` says otherwise
 *
 * @example
 * ```ts
 * torch.zeros(2, 3);
 * torch.zeros([2, 3], { dtype: 'float64' });
 * ```
 */
export function zeros(...args: (ShapeArg | TensorOptions)[]): Tensor {
  const [shape, options] = splitShapeArgs<TensorOptions>(args, 'zeros');
  return filled(shape, 0, options, 'zeros');
}

/**
 * Ones, with the same arguments as zeros.
 *
 * @param args the sizes (`2, 3` or `[2, 3]`), then optionally `{ dtype, requiresGrad }`
 * @returns a new tensor of ones
 */
export function ones(...args: (ShapeArg | TensorOptions)[]): Tensor {
  const [shape, options] = splitShapeArgs<TensorOptions>(args, 'ones');
  return filled(shape, 1, options, 'ones');
}

/**
 * Zeros with the shape (and, unless given, dtype) of `t`.
 *
 * @param t the tensor whose shape (and dtype) to take
 * @param options `dtype`, `requiresGrad`
 * @returns a new tensor of zeros
 */
export function zerosLike(t: Tensor, options?: TensorOptions): Tensor {
  rejectUnknownOptions(options, SPECS.zerosLike);
  return full(t.shape.slice(), 0, { dtype: t.dtype, ...options });
}

/**
 * Ones with the shape (and, unless given, dtype) of `t`.
 *
 * @param t the tensor whose shape (and dtype) to take
 * @param options `dtype`, `requiresGrad`
 * @returns a new tensor of ones
 */
export function onesLike(t: Tensor, options?: TensorOptions): Tensor {
  rejectUnknownOptions(options, SPECS.onesLike);
  return full(t.shape.slice(), 1, { dtype: t.dtype, ...options });
}

/**
 * `value` with the shape (and, unless given, dtype) of `t`.
 *
 * @param t the tensor whose shape (and dtype) to take
 * @param value the fill value
 * @param options `dtype`, `requiresGrad`
 * @returns a new tensor
 */
export function fullLike(t: Tensor, value: number, options?: TensorOptions): Tensor {
  rejectUnknownOptions(options, SPECS.fullLike);
  return full(t.shape.slice(), value, { dtype: t.dtype, ...options });
}

/**
 * Values start, start+step, … below end (PyTorch's `torch.arange`):
 * `arange(end)` or `arange(start, end, step?)`. float32 unless `dtype` is given.
 *
 * @param args `end`, or `start, end, step?`, then optionally `{ dtype, requiresGrad }`
 * @returns a 1-D tensor
 *
 * @example
 * ```ts
 * torch.arange(5);                              // [0, 1, 2, 3, 4] as float32
 * torch.arange(0, 1, 0.25);                     // [0, 0.25, 0.5, 0.75]
 * torch.arange(3, { dtype: 'int32' });
 * ```
 */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  const last = args[args.length - 1];
  const options = typeof last === 'object' ? (last as TensorOptions) : undefined;
  const nums = (options === undefined ? args : args.slice(0, -1)) as number[];
  rejectUnknownOptions(options, SPECS.arange);
  if (nums.length < 1 || nums.length > 3 || nums.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new TypeError(`arange: expected (end), (start, end) or (start, end, step) as finite numbers, got (${args.map((a) => readable(a)).join(', ')})`);
  }
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  if ((end - start) / step < 0) throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`);
  const n = Math.ceil((end - start) / step);
  const t = new Tensor(allocate(dtypeOf(options, 'arange'), checkShape([n], 'arange')[0], 'arange'), [n]);
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return finish(t, options, 'arange');
}

/**
 * `steps` evenly spaced values from start to end inclusive (PyTorch's symmetric formula).
 *
 * @param start the first value
 * @param end the last value
 * @param steps how many values
 * @param options `dtype`, `requiresGrad`
 * @returns a 1-D tensor of `steps` values
 */
export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  if (![start, end].every(Number.isFinite) || !Number.isInteger(steps) || steps < 0) {
    throw new TypeError(`linspace: expected finite start and end and an integer steps >= 0, got (${readable(start)}, ${readable(end)}, ${readable(steps)})`);
  }
  checkShape([steps], 'linspace');
  const t = new Tensor(allocate(dtypeOf(options, 'linspace'), steps, 'linspace'), [steps]);
  if (steps === 1) t.data[0] = start;
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps && steps > 1; i++) t.data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return finish(t, options, 'linspace');
}

/**
 * The n×m identity (m defaults to n).
 *
 * @param n rows
 * @param m columns (default n), or the options
 * @param options `dtype`, `requiresGrad`
 * @returns a new [n, m] tensor
 */
export function eye(n: number, m: number | TensorOptions = n, options?: TensorOptions): Tensor {
  if (typeof m === 'object' && typeof n === 'number') return eye(n, n, m);
  const [rows, cols] = checkShape([n, m as number], 'eye');
  const t = new Tensor(allocate(dtypeOf(options, 'eye'), rows * cols, 'eye'), [rows, cols]);
  for (let i = 0; i < Math.min(rows, cols); i++) t.data[i * cols + i] = 1;
  return finish(t, options, 'eye');
}

function floatTensor(args: readonly (ShapeArg | RandomOptions)[], op: string): [Tensor, Generator, RandomOptions | undefined] {
  const [shape, options] = splitShapeArgs<RandomOptions>(args, op);
  const dtype = dtypeOf(options, op);
  if (!isFloat(dtype)) throw new TypeError(`${op}: expected a float dtype, got ${dtype}`);
  const t = new Tensor(allocate(dtype, shape.reduce((a, b) => a * b, 1), op), shape);
  return [t, options?.generator ?? defaultGenerator, options];
}

/**
 * Uniform samples in [0, 1).
 *
 * @param args the sizes (`2, 3` or `[2, 3]`), then optionally `{ dtype, requiresGrad, generator }`
 * @returns a new float tensor
 */
export function rand(...args: (ShapeArg | RandomOptions)[]): Tensor {
  const [t, gen, options] = floatTensor(args, 'rand');
  gen.fillUniform(t.data as Float32Array | Float64Array);
  return finish(t, options, 'rand');
}

/**
 * Standard normal samples (PyTorch's `torch.randn`), from the default
 * generator or `options.generator`. Seeded runs repeat, but the numbers are
 * not PyTorch's.
 *
 * @param args the sizes (`2, 3` or `[2, 3]`), then optionally `{ dtype, requiresGrad, generator }`
 * @returns a new float tensor
 *
 * @example
 * ```ts
 * torch.manualSeed(0);
 * const x = torch.randn(4, 3);
 * const w = torch.randn([3, 2], { generator: new torch.Generator(1), requiresGrad: true });
 * ```
 */
export function randn(...args: (ShapeArg | RandomOptions)[]): Tensor {
  const [t, gen, options] = floatTensor(args, 'randn');
  gen.fillNormal(t.data as Float32Array | Float64Array);
  return finish(t, options, 'randn');
}

/**
 * Uniform integers in [low, high): `randint(high, shape)` or `randint(low, high, shape)`; int32 by default.
 *
 * @param args `high, shape` or `low, high, shape`, then optionally `{ dtype, generator }`
 * @returns a new int32 tensor unless `dtype` says otherwise
 */
export function randint(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const last = args[args.length - 1];
  const options = typeof last === 'object' && !Array.isArray(last) ? (last as RandomOptions) : undefined;
  const rest = options === undefined ? args : args.slice(0, -1);
  const size = rest[rest.length - 1];
  const bounds = rest.slice(0, -1) as number[];
  if (!Array.isArray(size) || bounds.length < 1 || bounds.length > 2 || !bounds.every(Number.isInteger)) {
    throw new TypeError(`randint: expected (high, size) or (low, high, size) with integer bounds and size an array, got (${args.map((a) => readable(a)).join(', ')})`);
  }
  const [low, high] = bounds.length === 1 ? [0, bounds[0]] : bounds;
  if (high <= low) throw new RangeError(`randint: expected low < high, got low ${low}, high ${high}`);
  const shape = checkShape(size as number[], 'randint');
  const t = new Tensor(allocate(dtypeOf(options, 'randint', 'int32'), shape.reduce((a, b) => a * b, 1), 'randint'), shape);
  const gen = options?.generator ?? defaultGenerator;
  for (let i = 0; i < t.data.length; i++) t.data[i] = gen.integer(low, high);
  return finish(t, options, 'randint');
}

/**
 * A random permutation of 0..n-1 (int32 by default).
 *
 * @param n the count
 * @param options `dtype` (default int32), `generator`
 * @returns a random permutation of 0..n-1
 */
export function randperm(n: number, options?: RandomOptions): Tensor {
  const [len] = checkShape([n], 'randperm');
  const perm = (options?.generator ?? defaultGenerator).permutation(len);
  const dtype = dtypeOf(options, 'randperm', 'int32');
  return dtype === 'int32' ? new Tensor(perm, [len]) : tensor(perm, { dtype });
}
