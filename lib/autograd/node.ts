import type { Tensor } from '../tensor';
import type { Num } from '../backend/kernels';
import { release } from '../storage/allocate';

/** Computes the gradients of a node's inputs from the gradient of its output (null: none). */
export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

interface Saved {
  tensor: Tensor;
  version: number;
}

/**
 * One recorded op on the tape (PyTorch's `grad_fn`). It holds its inputs, the
 * tensors its backward reads (with their version at save time, so an in-place
 * change after saving is caught), and the backward rule.
 */
export class Node {
  /** Name shown in errors and in `gradFn.name`, e.g. 'MulBackward'. */
  readonly name: string;
  /**
   * The op's inputs, in the order the backward rule returns their gradients.
   * Once the node is released, an input that was an intermediate output of a
   * Sequential of layers that keep no tensors may have had its buffer reused
   * (contents undefined; see reuse.ts reuseAfterBackward).
   */
  inputs: Tensor[];
  /** A non-leaf output that asked for its `.grad` (Tensor.retainGrad). */
  retained: Tensor | null = null;
  /**
   * Where the forward op was called, captured only while anomaly detection is
   * on (autograd.detectAnomaly); null otherwise. Its stack names the user code
   * in anomaly errors raised during backward.
   */
  trace: Error | null = null;
  /**
   * @internal Storages that only this node's part of the graph can reach, handed back
   * for reuse when the node is released (see reuse.ts reuseAfterBackward).
   */
  reuseOnRelease: Num[] | null = null;
  private fn: BackwardFn | null;
  private saved: Saved[];

  /**
   * @param name the op name backward errors report
   * @param inputs the op's inputs
   * @param fn the backward rule
   * @param saved tensors the rule reads (checked against in-place changes)
   */
  constructor(name: string, inputs: Tensor[], fn: BackwardFn, saved: Tensor[]) {
    this.name = name;
    this.inputs = inputs;
    this.fn = fn;
    this.saved = saved.map((tensor) => ({ tensor, version: tensor._version }));
  }

  /** True once a backward without `retainGraph` has freed this node. */
  get released(): boolean {
    return this.fn === null;
  }

  /**
   * Runs the backward rule after checking the saved tensors were not modified in place.
   *
   * @param grad the gradient with respect to the node's output
   * @returns the gradients with respect to its inputs (null where none)
   */
  apply(grad: Tensor): (Tensor | null)[] {
    if (this.fn === null) {
      throw new Error(`${this.name}: trying to backward through the graph a second time (its saved values were freed). ` +
        'Pass { retainGraph: true } to the first backward() if you need to backward twice.');
    }
    for (const s of this.saved) {
      if (s.tensor._version !== s.version) {
        throw new Error(`${this.name}: one of the tensors needed for gradient computation (shape [${s.tensor.shape.join(', ')}]) ` +
          `has been modified by an in-place operation: it is at version ${s.tensor._version}, expected version ${s.version}`);
      }
    }
    return this.fn(grad);
  }

  /** Frees the backward rule and what it saved (and hands back reuseOnRelease). */
  release(): void {
    this.fn = null;
    this.saved = [];
    this.trace = null;
    if (this.reuseOnRelease !== null) {
      for (const data of this.reuseOnRelease) release(data);
      this.reuseOnRelease = null;
    }
  }
}
