/** Argument checks and the reduction step shared by the losses; errors name the loss. */
import { Tensor } from '../../tensor';
import { isFloat } from '../../dtype';
import { broadcastShapes, describe, fmtShape, sameShape } from '../../shape';
import { mean, sum } from '../../ops/reduce';

/** How a loss reduces its per-element values: keep them, average them or add them up. */
export type Reduction = 'none' | 'mean' | 'sum';

/** The `reduction` option of every loss. */
export interface ReductionOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Checks a reduction name. */
export function checkReduction(loss: string, reduction: unknown): Reduction {
  if (reduction === 'none' || reduction === 'mean' || reduction === 'sum') return reduction;
  throw new Error(`${loss}: ${JSON.stringify(reduction)} is not a valid value for reduction; expected 'none', 'mean' or 'sum'`);
}

/** Applies 'mean' / 'sum' / 'none' to elementwise losses. */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return mean(losses);
  if (reduction === 'sum') return sum(losses);
  return losses;
}

/** The input of a loss: a float Tensor. */
export function checkInput(loss: string, input: unknown): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`${loss}: expected input to be a Tensor, got ${describe(input)}`);
  if (!isFloat(input.dtype)) throw new TypeError(`${loss}: input must be a float tensor (float32 or float64), got ${input.dtype}`);
  return input;
}

/**
 * The target of an elementwise loss: a float tensor of exactly the input's
 * shape. PyTorch would broadcast [N, 1] against [N] into [N, N] (with a
 * warning) and silently train on the wrong loss, so this is an error here.
 */
export function checkSameShapeTarget(loss: string, input: Tensor, target: unknown): Tensor {
  if (!(target instanceof Tensor)) throw new TypeError(`${loss}: expected target to be a Tensor, got ${describe(target)}`);
  if (!isFloat(target.dtype)) {
    throw new TypeError(`${loss}: target must be a float tensor like the input (${input.dtype}), got ${target.dtype}; convert it with .float()`);
  }
  if (!sameShape(input.shape, target.shape)) {
    const hint = input.numel() === target.numel() ? `; reshape the target with target.view(${input.shape.join(', ')})` : '';
    throw new RangeError(`${loss}: target shape ${fmtShape(target.shape)} differs from input shape ${fmtShape(input.shape)}; ` +
      `they must be equal (PyTorch would broadcast them into a wrong loss)${hint}`);
  }
  return target;
}

/** An optional float weight that must broadcast to `shape` without growing it. */
export function checkBroadcastWeight(loss: string, name: string, weight: unknown, shape: readonly number[]): Tensor | null {
  if (weight === undefined || weight === null) return null;
  if (!(weight instanceof Tensor)) throw new TypeError(`${loss}: ${name} must be a Tensor or null, got ${describe(weight)}`);
  if (!isFloat(weight.dtype)) throw new TypeError(`${loss}: ${name} must be a float tensor, got ${weight.dtype}`);
  const b = broadcastShapes(weight.shape, shape);
  if (b === null || !sameShape(b, shape)) {
    throw new RangeError(`${loss}: ${name} of shape ${fmtShape(weight.shape)} cannot be broadcast to the input shape ${fmtShape(shape)}`);
  }
  return weight;
}

/** An optional per-class weight: a 1-D float tensor with one entry per class. */
export function checkClassWeight(loss: string, weight: unknown, classes: number): Tensor | null {
  if (weight === undefined || weight === null) return null;
  if (!(weight instanceof Tensor)) throw new TypeError(`${loss}: weight must be a Tensor or null, got ${describe(weight)}`);
  if (!isFloat(weight.dtype)) throw new TypeError(`${loss}: weight must be a float tensor, got ${weight.dtype}`);
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    throw new RangeError(`${loss}: weight must be a 1-D tensor with one entry per class (${classes}), got shape ${fmtShape(weight.shape)}`);
  }
  return weight;
}
