/**
 * The Tensor class: shape, dtype, storage and autograd bookkeeping. Its op
 * methods (`add`, `matmul`, `backward`, …) are declared and installed by the
 * files that implement them (declaration merging plus `defineMethods`), so
 * this file imports no op and an op is added without editing it.
 */
import type { Num } from './backend/kernels';
import type { DType } from './dtype';
import { dtypeOfArray, isFloat } from './dtype';
import type { Node } from './autograd/node';
import { registerPostAccumulateGradHook, type PostAccumulateGradHook, type RemovableHandle } from './autograd/hooks';
import { fmtShape, normDim, numelOf } from './shape';
import { formatTensor } from './format';
import { newStorage, type Storage } from './storage/storage';
import { CPU, type Device } from './device';

/** A tensor or a plain number where an op accepts either (PyTorch's Scalar). */
export type Operand = Tensor | number;

/** Nested JS arrays of numbers of any depth, or a number (what `toArray()` gives a tensor of unknown rank). */
export type DeepArray = number | DeepArray[];

/**
 * The nested arrays `toArray()` returns for a tensor of rank `R`: `number` for
 * rank 0, `number[]` for rank 1, `number[][]` for rank 2, and so on up to rank
 * 6; {@link DeepArray} when the rank is not a literal (`NestedArray` alone).
 *
 * @example
 * ```ts
 * const rows: number[][] = torch.eye(2).toArray(2);   // NestedArray<2>
 * ```
 */
export type NestedArray<R extends number = number> =
  R extends 0 ? number : R extends 1 ? number[] : R extends 2 ? number[][] : R extends 3 ? number[][][] :
  R extends 4 ? number[][][][] : R extends 5 ? number[][][][][] : R extends 6 ? number[][][][][][] : DeepArray;

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

  /** Replaces the gradient (null clears it), as assigning `t.grad` in PyTorch. */
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
  /**
   * @param dim the dim (negative counts from the end)
   * @returns its size
   */
  size(dim: number): number;
  size(dim?: number): readonly number[] | number {
    if (dim === undefined) return this.shape;
    return this.shape[normDim(dim, this.ndim, 'size')];
  }

  /** Whether ops on this tensor are recorded for backward. Settable on leaves only. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  /** Turns recording on or off for this leaf; only float tensors can require gradients. */
  set requiresGrad(value: boolean) {
    if (this.gradFn !== null) {
      throw new Error('requiresGrad: can only be set on leaf tensors; call detach() to get a leaf');
    }
    if (value && !isFloat(this.dtype)) {
      throw new TypeError(`requiresGrad: only float tensors can require gradients, got dtype ${this.dtype}`);
    }
    this._requiresGrad = Boolean(value);
  }

  /**
   * Sets `requiresGrad` and returns this tensor (PyTorch's `requires_grad_()`).
   *
   * @param value whether to record ops on this leaf (default true)
   * @returns this tensor
   */
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
   * Runs `hook(this)` after each backward pass has accumulated this leaf's
   * gradient into `.grad` (PyTorch's `register_post_accumulate_grad_hook`).
   *
   * @param hook called with this tensor once its `.grad` is complete for a backward pass
   * @returns a handle whose `remove()` unregisters the hook
   */
  registerPostAccumulateGradHook(hook: PostAccumulateGradHook): RemovableHandle {
    return registerPostAccumulateGradHook(this, hook);
  }

  /** The single value of a one-element tensor as a JS number. */
  item(): number {
    if (this.numel() !== 1) {
      throw new RangeError(`item: a Tensor with ${this.numel()} elements (shape ${fmtShape(this.shape)}) cannot be converted to a number`);
    }
    return this._storage.data[0];
  }

  /**
   * The values as nested arrays of numbers (PyTorch's `tolist()`); a 0-d
   * tensor gives a number. Without an argument the result's type is
   * {@link DeepArray}, whatever the rank.
   *
   * @example
   * ```ts
   * torch.tensor([[1, 2], [3, 4]]).toArray();   // [[1, 2], [3, 4]]
   * ```
   */
  toArray(): DeepArray;
  /**
   * The values as nested arrays typed by `rank`, which must equal `ndim`
   * (checked: a RangeError otherwise), so TypeScript needs no cast.
   *
   * @param rank the tensor's number of dimensions, 0 to 6 for a precise type
   * @returns `number` for rank 0, `number[]` for rank 1, `number[][]` for rank 2, …
   *
   * @example
   * ```ts
   * const probs: number[][] = logits.softmax(1).toArray(2);
   * const total: number = logits.sum().toArray(0);
   * ```
   */
  toArray<R extends number>(rank: R): NestedArray<R>;
  toArray(rank?: number): DeepArray {
    const data = this._storage.data;
    const shape = this.shape;
    if (rank !== undefined && rank !== shape.length) {
      throw new RangeError(`toArray: expected a ${rank}-d tensor, got shape ${fmtShape(shape)} (${shape.length}-d)`);
    }
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number, stride: number): DeepArray[] => {
      const n = shape[dim];
      const inner = stride / Math.max(n, 1);
      const out: DeepArray[] = new Array(n);
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
   *
   * @param hint the conversion JavaScript asks for; only 'string' is allowed
   * @returns the tensor as text
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

  /** Returns this tensor: storage is always contiguous. */
  contiguous(): Tensor { return this; }
}

/** The methods an op file installs, typed by the declarations it merges into `Tensor`. */
export type TensorMethods = { [K in keyof Tensor]?: Tensor[K] } & ThisType<Tensor>;

/**
 * Installs op methods on `Tensor.prototype`, non-enumerable like class
 * methods. Each op file declares its methods on `Tensor` (declaration
 * merging, with their TSDoc) and calls this once when it loads.
 */
export function defineMethods(methods: TensorMethods): void {
  for (const name of Object.keys(methods) as (keyof TensorMethods)[]) {
    Object.defineProperty(Tensor.prototype, name, { value: methods[name], writable: true, configurable: true, enumerable: false });
  }
}
