import type { Num } from './backend/kernels';
import type { DType } from './dtype';
import { dtypeOfArray, isFloat } from './dtype';
import type { Node } from './autograd/node';
import { runBackward, type BackwardOptions } from './autograd/engine';
import { fmtShape, numelOf, type ShapeArg } from './shape';
import { formatTensor } from './format';
import * as arith from './ops/arith';
import * as unary from './ops/unary';
import * as act from './ops/activation';
import * as cmp from './ops/compare';
import * as red from './ops/reduce';
import * as mm from './ops/matmul';
import * as shp from './ops/shape';
import * as idx from './ops/indexing';
import * as conv from './ops/convert';
import * as inplace from './ops/inplace';
import { onesLike } from './ops/creation';
import { CPU, type Device, type DeviceLike } from './device';
import { defineOptions, readable, rejectUnknownOptions } from './options';

const BACKWARD = defineOptions<BackwardOptions>('Tensor.backward', { retainGraph: true });

/** A tensor or a plain number where an op accepts either (PyTorch's Scalar). */
export type Operand = Tensor | number;

/** The buffer and version counter shared by a tensor and its reshaped views. */
export interface Storage {
  data: Num;
  version: number;
  /** Creation order of the buffer (see storageSerial); views share their base's. */
  serial: number;
}

let lastSerial = 0;

/** @internal Serial of the newest storage: anything created later has a larger one. */
export function storageSerial(): number {
  return lastSerial;
}

/** @internal A new storage record for a freshly allocated buffer. */
export function newStorage(data: Num): Storage {
  return { data, version: 0, serial: ++lastSerial };
}

/** Nested JS arrays of numbers, as `toArray()` returns (PyTorch's `tolist()`). */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32, float64 or int32 numbers in one contiguous
 * row-major TypedArray, with autograd bookkeeping. Create tensors with
 * `tensor()`, `zeros()`, `randn()` and friends rather than this constructor.
 */
export class Tensor {
  /** Sizes of each dimension (read-only). */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /**
   * @internal The gradient. `_gradPrivate` is true while only the library can
   * hold it (the engine made it and nothing read `.grad` since): zeroGrad may
   * then hand its buffer back for reuse.
   */
  _grad: Tensor | null = null;
  /** @internal */
  _gradPrivate = false;
  /** The tape node that produced this tensor (PyTorch's `grad_fn`); null for leaves. */
  gradFn: Node | null = null;
  /** @internal */
  readonly _storage: Storage;
  private _requiresGrad = false;

  /** @internal Wraps storage; `data.length` must equal the shape's element count. */
  constructor(storage: Storage | Num, shape: readonly number[]) {
    this._storage = ArrayBuffer.isView(storage) ? newStorage(storage) : storage;
    const dtype = dtypeOfArray(this._storage.data);
    if (dtype === null) throw new TypeError('Tensor: storage must be a Float32Array, Float64Array or Int32Array');
    if (this._storage.data.length !== numelOf(shape)) {
      throw new RangeError(`Tensor: storage has ${this._storage.data.length} elements but shape ${fmtShape(shape)} needs ${numelOf(shape)}`);
    }
    this.dtype = dtype;
    // Frozen shapes are shared between tensors; anything else is copied first.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
  }

  /** Gradient accumulated by `backward()`, or null. */
  get grad(): Tensor | null {
    this._gradPrivate = false;
    return this._grad;
  }

  set grad(value: Tensor | null) {
    this._grad = value;
    this._gradPrivate = false;
  }

  /** The storage TypedArray itself (shared with reshaped views; writes bypass autograd). */
  get data(): Num {
    return this._storage.data;
  }

  /** @internal Bumped by every in-place op; saved tensors compare it at backward. */
  get _version(): number {
    return this._storage.version;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return this._storage.data.length;
  }

  /** The shape, or the size of one dimension (PyTorch's `size()`). */
  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): readonly number[] | number {
    if (dim === undefined) return this.shape;
    return this.shape[shp.wrapDim(dim, this.ndim, 'size')];
  }

  /** Whether ops on this tensor are recorded for backward. Settable on leaves only. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (this.gradFn !== null) {
      throw new Error('requiresGrad: can only be set on leaf tensors; call detach() to get a leaf');
    }
    if (value && !isFloat(this.dtype)) {
      throw new TypeError(`requiresGrad: only float tensors can require gradients, got dtype ${this.dtype}`);
    }
    this._requiresGrad = Boolean(value);
  }

  /** Sets `requiresGrad` and returns this tensor (PyTorch's `requires_grad_()`). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** @internal Marks an op output as part of the graph. */
  _attach(node: Node): this {
    this.gradFn = node;
    this._requiresGrad = true;
    return this;
  }

  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Keep `.grad` for this non-leaf tensor during backward. */
  retainGrad(): this {
    if (this.gradFn !== null) this.gradFn.retained = this;
    return this;
  }

  /**
   * Computes gradients of this tensor with respect to every leaf that requires
   * grad, accumulating them into `.grad`. A non-scalar tensor needs `gradient`
   * (the vector of the vector-Jacobian product), as in PyTorch. Options may
   * also come first when there is no gradient (`backward({ retainGraph: true })`).
   */
  backward(gradient?: Tensor | BackwardOptions, options?: BackwardOptions): void {
    if (gradient !== null && typeof gradient === 'object' && !(gradient instanceof Tensor) && options === undefined) [gradient, options] = [undefined, gradient];
    rejectUnknownOptions(options, BACKWARD);
    if (!this._requiresGrad) {
      throw new Error('backward: tensor does not require grad and has no gradFn (did you create it under noGrad or forget requiresGrad?)');
    }
    let g: Tensor;
    if (gradient === undefined || gradient === null) {
      if (this.numel() !== 1) {
        throw new Error(`backward: grad can be implicitly created only for scalar outputs; this tensor has shape ${fmtShape(this.shape)}, pass a gradient of that shape`);
      }
      g = onesLike(this);
    } else {
      if (!(gradient instanceof Tensor)) throw new TypeError(`backward: gradient must be a Tensor, got ${readable(gradient)}`);
      if (gradient.numel() !== this.numel() || gradient.ndim !== this.ndim || gradient.shape.some((d, i) => d !== this.shape[i])) {
        throw new RangeError(`backward: gradient has shape ${fmtShape(gradient.shape)}, expected ${fmtShape(this.shape)}`);
      }
      g = gradient.dtype === this.dtype ? gradient.detach() : gradient.to(this.dtype).detach();
    }
    runBackward(this, g, options);
  }

  /** The single value of a one-element tensor as a JS number. */
  item(): number {
    if (this.numel() !== 1) {
      throw new RangeError(`item: a Tensor with ${this.numel()} elements (shape ${fmtShape(this.shape)}) cannot be converted to a number`);
    }
    return this._storage.data[0];
  }

  /** Nested arrays of numbers (PyTorch's `tolist()`); a 0-d tensor gives a number. */
  toArray(): NestedArray {
    const data = this._storage.data;
    const shape = this.shape;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[dim];
      const inner = stride / Math.max(n, 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.numel());
  }

  /** PyTorch-style text, e.g. `tensor([[1.0000, 2.0000]], requiresGrad=true)`. */
  toString(): string {
    return formatTensor(this);
  }

  /** @internal console.log / util.inspect show the same text as toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * A tensor converts to a string (template literals, `String(t)`) and to
   * nothing else: JavaScript's operators would otherwise give NaN (`t / 2`),
   * a string (`t + t`) or a meaningless boolean (`t > 0`) without a word.
   */
  [Symbol.toPrimitive](hint: 'string' | 'number' | 'default'): string {
    if (hint === 'string') return this.toString();
    throw new TypeError('JavaScript operators (+ - * / ** < > ...) do not work on a Tensor: use t.add(u), t.sub(u), t.mul(u), t.div(u), ' +
      't.pow(u), t.lt(u), t.gt(u) (u a Tensor or a number), or t.item() for the number in a one-element tensor');
  }

  /** The device the data is on: always the CPU (PyTorch's `t.device`). */
  get device(): Device {
    return CPU;
  }

  /** This tensor: torchlet runs on the CPU (PyTorch's `t.cpu()`). */
  cpu(): this {
    return this;
  }

  // ---- arithmetic (broadcasting) ----------------------------------------------
  /** this + alpha · other. */
  add(other: Operand, alpha?: number): Tensor { return arith.add(this, other, alpha); }
  /** this − alpha · other. */
  sub(other: Operand, alpha?: number): Tensor { return arith.sub(this, other, alpha); }
  /** Elementwise product. */
  mul(other: Operand): Tensor { return arith.mul(this, other); }
  /** True division (int32 inputs give float32). */
  div(other: Operand): Tensor { return arith.div(this, other); }
  /** Elementwise power. */
  pow(exponent: Operand): Tensor { return arith.pow(this, exponent); }
  /** −this. */
  neg(): Tensor { return arith.neg(this); }
  /** Elementwise max with another tensor. */
  maximum(other: Operand): Tensor { return arith.maximum(this, other); }
  /** Elementwise min with another tensor. */
  minimum(other: Operand): Tensor { return arith.minimum(this, other); }

  // ---- unary ----------------------------------------------------------------------
  exp(): Tensor { return unary.exp(this); }
  log(): Tensor { return unary.log(this); }
  sqrt(): Tensor { return unary.sqrt(this); }
  abs(): Tensor { return unary.abs(this); }
  sign(): Tensor { return unary.sign(this); }
  sin(): Tensor { return unary.sin(this); }
  cos(): Tensor { return unary.cos(this); }
  /** Clamps into [min, max]; either bound may be null/undefined. */
  clamp(min?: number | null, max?: number | null): Tensor { return unary.clamp(this, min, max); }
  relu(): Tensor { return act.relu(this); }
  leakyRelu(negativeSlope?: number): Tensor { return act.leakyRelu(this, negativeSlope); }
  sigmoid(): Tensor { return act.sigmoid(this); }
  tanh(): Tensor { return act.tanh(this); }
  softmax(dim: number): Tensor { return act.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return act.logSoftmax(this, dim); }

  // ---- comparison (1/0 in the promoted dtype; torchlet has no bool dtype) --------
  eq(other: Operand): Tensor { return cmp.eq(this, other); }
  gt(other: Operand): Tensor { return cmp.gt(this, other); }
  lt(other: Operand): Tensor { return cmp.lt(this, other); }
  ge(other: Operand): Tensor { return cmp.ge(this, other); }
  le(other: Operand): Tensor { return cmp.le(this, other); }

  // ---- reductions -------------------------------------------------------------------
  /** Sum of all elements, or along `dim` (a number or an array of dims). */
  sum(dim?: number | readonly number[], keepdim?: boolean): Tensor { return red.sum(this, dim, keepdim); }
  /** Mean of all elements, or along `dim`. Float tensors only, as in PyTorch. */
  mean(dim?: number | readonly number[], keepdim?: boolean): Tensor { return red.mean(this, dim, keepdim); }
  /** Max of all elements, or `[values, indices]` along `dim`. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): [Tensor, Tensor];
  max(dim?: number, keepdim?: boolean): Tensor | [Tensor, Tensor] {
    return dim === undefined ? red.max(this) : red.max(this, dim, keepdim);
  }
  /** Min of all elements, or `[values, indices]` along `dim`. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): [Tensor, Tensor];
  min(dim?: number, keepdim?: boolean): Tensor | [Tensor, Tensor] {
    return dim === undefined ? red.min(this) : red.min(this, dim, keepdim);
  }
  /** Index of the max (flattened, or along `dim`) as int32. */
  argmax(dim?: number, keepdim?: boolean): Tensor { return red.argmax(this, dim, keepdim); }
  /** Index of the min (flattened, or along `dim`) as int32. */
  argmin(dim?: number, keepdim?: boolean): Tensor { return red.argmin(this, dim, keepdim); }

  // ---- linear algebra --------------------------------------------------------------
  /** Matrix product with PyTorch's 1-D/2-D/batched rules. */
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }
  /** Transpose of a ≤2-D tensor. */
  t(): Tensor { return shp.t(this); }

  // ---- shape -----------------------------------------------------------------------
  /** Same data in a new shape; one dim may be -1. Shares storage. */
  reshape(...shape: ShapeArg[]): Tensor { return shp.reshape(this, shapeArgs(shape, 'reshape')); }
  /** Alias of reshape (storage is always contiguous). */
  view(...shape: ShapeArg[]): Tensor { return shp.reshape(this, shapeArgs(shape, 'view'), 'view'); }
  /** Flattens dims startDim..endDim into one. */
  flatten(startDim?: number, endDim?: number): Tensor { return shp.flatten(this, startDim, endDim); }
  /** Removes size-1 dims (all, or just `dim`). */
  squeeze(dim?: number): Tensor { return shp.squeeze(this, dim); }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor { return shp.unsqueeze(this, dim); }
  /** Swaps two dims (copies the data). */
  transpose(dim0: number, dim1: number): Tensor { return shp.transpose(this, dim0, dim1); }
  /** Reorders dims (copies the data). */
  permute(...dims: ShapeArg[]): Tensor { return shp.permute(this, shapeArgs(dims, 'permute')); }
  /** Broadcasts to a larger shape (-1 keeps a dim); copies the data. */
  expand(...shape: ShapeArg[]): Tensor { return shp.expand(this, shapeArgs(shape, 'expand')); }
  /** `length` entries of `dim` from `start`. */
  narrow(dim: number, start: number, length: number): Tensor { return shp.narrow(this, dim, start, length); }

  // ---- indexing ----------------------------------------------------------------------
  /** Rows (entries of dim 0) picked by an int32 tensor or an array of indices. */
  index(indices: Tensor | readonly number[]): Tensor { return idx.indexSelect(this, 0, indices); }
  /** Entries of `dim` picked by a 1-D int32 index. */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor { return idx.indexSelect(this, dim, index); }
  /** torch.gather along `dim` with an int32 index of the same rank. */
  gather(dim: number, index: Tensor): Tensor { return idx.gather(this, dim, index); }

  // ---- conversion ----------------------------------------------------------------------
  /**
   * A copy in another dtype (differentiable between float types); `this` if
   * already that dtype. `to('cpu')` and `to('cpu', dtype)` as in PyTorch; any
   * other device is an error.
   */
  to(target: DType | DeviceLike, dtype?: DType): Tensor { return conv.to(this, target, dtype); }
  float(): Tensor { return conv.to(this, 'float32'); }
  double(): Tensor { return conv.to(this, 'float64'); }
  int(): Tensor { return conv.to(this, 'int32'); }
  /** A new leaf sharing this storage, cut from the graph. */
  detach(): Tensor { return conv.detach(this); }
  /** A copy of the data; gradients flow back to this tensor. */
  clone(): Tensor { return conv.clone(this); }
  /** Returns this tensor: storage is always contiguous. */
  contiguous(): Tensor { return this; }

  // ---- in-place (allowed on leaves that require grad only under noGrad) ----------------
  add_(other: Operand, alpha?: number): this { return inplace.add_(this, other, alpha); }
  sub_(other: Operand, alpha?: number): this { return inplace.sub_(this, other, alpha); }
  mul_(other: Operand): this { return inplace.mul_(this, other); }
  div_(other: Operand): this { return inplace.div_(this, other); }
  clamp_(min?: number | null, max?: number | null): this { return inplace.clamp_(this, min, max); }
  zero_(): this { return inplace.fill_(this, 0); }
  fill_(value: number): this { return inplace.fill_(this, value); }
  copy_(src: Tensor): this { return inplace.copy_(this, src); }
}

/** Reads `(2, 3)` / `([2, 3])` shape arguments of methods. */
function shapeArgs(args: readonly ShapeArg[], where: string): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly unknown[]) : (args as readonly unknown[]);
  for (const d of flat) {
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      throw new TypeError(`${where}: expected integers or one array of integers, got (${args.map((a) => readable(a)).join(', ')})`);
    }
  }
  return flat.slice() as number[];
}
