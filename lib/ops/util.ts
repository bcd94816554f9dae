/** Plumbing shared by the ops: allocation, scalar operands and tape recording. */
import { kernels } from '../backend';
import type { Kernels, Num } from '../backend/kernels';
import { promoteTypes, type DType } from '../dtype';
import { allocate, release } from '../storage/allocate';
import { Node, type BackwardFn } from '../autograd/node';
import { isGradEnabled } from '../autograd/grad-mode';
import { anomalyState, captureTrace, checkForward } from '../autograd/anomaly';
import { Tensor, type Operand } from '../tensor';
import { describe, numelChecked } from '../shape';

/** The active kernel set. */
export function k(): Kernels {
  return kernels();
}

/**
 * A zero-filled tensor of the given shape and dtype (no grad). The shape is
 * checked against the element cap (setMaxElements) before anything is
 * allocated; `op` names the op in the RangeError.
 */
export function empty(shape: readonly number[], dtype: DType, op = 'empty'): Tensor {
  return new Tensor(allocate(dtype, numelChecked(shape, op), op), shape);
}

/**
 * As empty, for an output whose every element the kernel called next writes:
 * a reused buffer keeps its old contents instead of being zeroed first.
 */
export function emptyForKernel(shape: readonly number[], dtype: DType, op: string): Tensor {
  return new Tensor(allocate(dtype, numelChecked(shape, op), op, false), shape);
}

/** Throws unless `x` is a Tensor or a number (PyTorch's Scalar), naming the op and argument. */
export function checkOperand(x: unknown, op: string, arg: string): void {
  if (typeof x !== 'number' && !(x instanceof Tensor)) throw new TypeError(`${op}: expected ${arg} to be a Tensor or a number, got ${describe(x)}`);
}

/** Throws unless `x` is a Tensor, naming the op and argument. */
export function checkTensor(x: unknown, op: string, arg = 'input'): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected ${arg} to be a Tensor, got ${describe(x)}`);
  return x;
}

/** The dtype `x` takes when combined with a tensor of dtype `other` (PyTorch's scalar rule). */
function scalarDType(x: number, other: DType): DType {
  return other === 'int32' && !Number.isInteger(x) ? 'float32' : other;
}

/** Result dtype of a binary op on two operands (at least one a Tensor). */
export function resultType(a: Operand, b: Operand): DType {
  if (a instanceof Tensor && b instanceof Tensor) return promoteTypes(a.dtype, b.dtype);
  if (a instanceof Tensor) return scalarDType(b as number, a.dtype);
  return scalarDType(a as number, (b as Tensor).dtype);
}

/** Converts an operand to a tensor of `dtype` (scalars become 0-d tensors). */
export function operand(x: Operand, dtype: DType, op: string, arg: string): Tensor {
  if (typeof x === 'number') {
    const t = empty([], dtype);
    t.data[0] = x;
    return t;
  }
  checkTensor(x, op, arg);
  return x.dtype === dtype ? x : x.to(dtype);
}

/** True when ops on these inputs must be recorded. */
export function needsGrad(...inputs: Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Attaches a tape node to `out` when grad mode is on and an input requires
 * grad. `backward` returns one gradient (or null) per input; `saved` lists the
 * tensors it reads, whose versions are checked before it runs.
 *
 * Every op that computes new values calls this right after its forward, node
 * or not, so it is also where anomaly detection (autograd.detectAnomaly)
 * checks outputs for NaN/±Infinity and records where the op was called. When
 * anomaly detection is off that costs one property test.
 */
export function record(out: Tensor, name: string, inputs: Tensor[], backward: BackwardFn, saved: Tensor[] = []): Tensor {
  if (anomalyState.enabled) return recordWithAnomaly(out, name, inputs, backward, saved);
  if (needsGrad(...inputs)) out._attach(new Node(name, inputs, backward, saved));
  return out;
}

/** `record` in anomaly mode: check the output, then attach a node that knows where it was created. */
function recordWithAnomaly(out: Tensor, name: string, inputs: Tensor[], backward: BackwardFn, saved: Tensor[]): Tensor {
  if (anomalyState.forward) checkForward(out, name, inputs);
  if (needsGrad(...inputs)) {
    const node = new Node(name, inputs, backward, saved);
    node.trace = captureTrace(record);
    out._attach(node);
  }
  return out;
}

/**
 * Hands buffers only `out`'s backward reads back to the storage pool when its
 * node is released (after backward, or when the graph is dropped), or at once
 * when no node was recorded.
 */
export function releaseWithNode(out: Tensor, data: Num[]): void {
  const node = out.gradFn;
  if (node === null) for (const d of data) release(d);
  else node.reuseOnRelease = node.reuseOnRelease === null ? data : node.reuseOnRelease.concat(data);
}
