/** Activations: relu, leakyRelu, sigmoid, tanh, softplus, gelu, silu, elu, softmax, logSoftmax — forward and backward. */
import { defineMethods, type Tensor } from '../tensor';
import type { Float, AxisKernel, AxisBackwardKernel } from '../backend/kernels';
import { normDim, splitAt } from '../shape';
import { checkTensor, empty, k, record } from './util';
import { checkApproximate, checkNumbers, elementwiseOp, unaryOp } from './elementwise';
import { isFloat } from '../dtype';
import { readable } from '../options';
import { keywordHint } from '../shape';

/**
 * max(x, 0).
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function relu(input: Tensor): Tensor {
  return unaryOp('relu', input, 'ReluBackward', 'reluBackward', 'input');
}

/**
 * x > 0 ? x : negativeSlope · x (PyTorch's default slope 0.01).
 *
 * @param input the input tensor
 * @param negativeSlope the slope for negative inputs (default 0.01)
 * @returns a new tensor
 */
export function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor {
  checkTensor(input, 'leakyRelu');
  if (typeof negativeSlope !== 'number') throw new TypeError(`leakyRelu: negativeSlope must be a number, got ${readable(negativeSlope)}`);
  return elementwiseOp('leakyRelu', input, 'LeakyReluBackward', (x, out) => k().leakyRelu(x, negativeSlope, out),
    (x, dy, dx) => k().leakyReluBackward(x, negativeSlope, dy, dx), 'input');
}

/**
 * 1 / (1 + e^−x).
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function sigmoid(input: Tensor): Tensor {
  return unaryOp('sigmoid', input, 'SigmoidBackward', 'sigmoidBackward', 'output');
}

/**
 * Hyperbolic tangent.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function tanh(input: Tensor): Tensor {
  return unaryOp('tanh', input, 'TanhBackward', 'tanhBackward', 'output');
}

/**
 * log(1 + e^(beta·x)) / beta, x itself where beta·x > threshold: PyTorch's
 * `F.softplus` (defaults beta 1, threshold 20).
 *
 * @param input the input tensor
 * @param beta the scale inside the log (default 1)
 * @param threshold where beta·x exceeds it, the result is x itself (default 20)
 * @returns a new tensor
 */
export function softplus(input: Tensor, beta = 1, threshold = 20): Tensor {
  checkTensor(input, 'softplus');
  checkNumbers('softplus', { beta, threshold });
  // The node's name says which form ran: onnx.export follows only the default one.
  const node = beta === 1 && threshold === 20 ? 'SoftplusBackward' : 'SoftplusScaledBackward';
  return elementwiseOp('softplus', input, node, (x, out) => k().softplusScaled(x, beta, threshold, out),
    (x, dy, dx) => k().softplusScaledBackward(x, beta, threshold, dy, dx), 'input');
}

/** How `gelu` computes Φ: exactly ('none', with erf) or with PyTorch's tanh approximation. */
export type GeluApproximate = 'none' | 'tanh';

/**
 * x·Φ(x), Φ the standard normal CDF: PyTorch's `F.gelu` (`approximate` 'none' or 'tanh').
 *
 * @param input a float tensor
 * @param approximate 'none' (exact, with erf; the default) or 'tanh'
 */
export function gelu(input: Tensor, approximate: GeluApproximate = 'none'): Tensor {
  checkTensor(input, 'gelu');
  return checkApproximate(approximate, 'gelu') === 'none'
    ? unaryOp('gelu', input, 'GeluBackward', 'geluBackward', 'input')
    : unaryOp('geluTanh', input, 'GeluTanhBackward', 'geluTanhBackward', 'input'); // its own node name: the tape says which formula ran
}


/**
 * x·σ(x) (also called swish): PyTorch's `F.silu`.
 *
 * @param input a float tensor
 */
export function silu(input: Tensor): Tensor {
  return unaryOp('silu', input, 'SiluBackward', 'siluBackward', 'input');
}

/**
 * x > 0 ? x : alpha·(eˣ − 1): PyTorch's `F.elu` (default alpha 1).
 *
 * @param input a float tensor
 * @param alpha the scale of the negative part (default 1)
 */
export function elu(input: Tensor, alpha = 1): Tensor {
  checkTensor(input, 'elu');
  checkNumbers('elu', { alpha });
  return elementwiseOp('elu', input, 'EluBackward', (x, out) => k().elu(x, alpha, out),
    (x, dy, dx) => k().eluBackward(x, alpha, dy, dx), 'input');
}


function axisOp(name: 'softmax' | 'logSoftmax', input: Tensor, dim: number): Tensor {
  checkTensor(input, name);
  if (typeof dim !== 'number') throw new TypeError(`${name}: dim is required (PyTorch's implicit dim is deprecated), got ${readable(dim)}${keywordHint(dim)}`);
  const x = isFloat(input.dtype) ? input : input.to('float32');
  const d = normDim(dim, x.ndim, name);
  const [outer, size, inner] = splitAt(x.shape, d);
  const y = empty(x.shape, x.dtype, name);
  if (y.numel() > 0) (k()[name] as AxisKernel)(x.data as Float, outer, size, inner, y.data as Float);
  const backward = name === 'softmax' ? 'softmaxBackward' : 'logSoftmaxBackward';
  return record(y, name === 'softmax' ? 'SoftmaxBackward' : 'LogSoftmaxBackward', [x], (g) => {
    const dx = empty(g.shape, g.dtype);
    if (dx.numel() > 0) (k()[backward] as AxisBackwardKernel)(y.data as Float, g.data as Float, outer, size, inner, dx.data as Float);
    return [dx];
  }, [y]);
}

/**
 * Softmax along `dim` (numerically stable).
 *
 * @param input the input tensor
 * @param dim the dim whose entries sum to 1
 * @returns a tensor of the same shape
 */
export function softmax(input: Tensor, dim: number): Tensor {
  return axisOp('softmax', input, dim);
}

/**
 * log(softmax(x)) along `dim`, computed stably.
 *
 * @param input the input tensor
 * @param dim the dim to normalise over
 * @returns a tensor of the same shape
 */
export function logSoftmax(input: Tensor, dim: number): Tensor {
  return axisOp('logSoftmax', input, dim);
}

declare module '../tensor' {
  interface Tensor {
    /** max(0, x) elementwise. */
    relu(): Tensor;
    /**
     * x where x > 0, else negativeSlope · x (default 0.01).
     *
     * @param negativeSlope the slope for negative inputs (default 0.01)
     * @returns a new tensor
     */
    leakyRelu(negativeSlope?: number): Tensor;
    /** 1 / (1 + e⁻ˣ) elementwise. */
    sigmoid(): Tensor;
    /** Hyperbolic tangent elementwise. */
    tanh(): Tensor;
    /**
     * log(1 + e^(beta·x)) / beta elementwise (x where beta·x > threshold), PyTorch's `F.softplus` (beta 1, threshold 20).
     *
     * @param beta the sharpness (default 1)
     * @param threshold above beta·x this, the result is x (default 20)
     */
    softplus(beta?: number, threshold?: number): Tensor;
    /**
     * Softmax along `dim` (PyTorch's `Tensor.softmax`).
     *
     * @param dim the dim whose entries sum to 1
     * @returns a tensor of the same shape
     *
     * @example
     * ```ts
     * const probs = logits.softmax(1);   // rows of [N, C] scores become probabilities
     * ```
     */
    softmax(dim: number): Tensor;
    /**
     * log(softmax) along `dim`, computed stably.
     *
     * @param dim the dim to normalise over
     * @returns a tensor of the same shape
     */
    logSoftmax(dim: number): Tensor;
  }
}

defineMethods({
  relu() { return relu(this); },
  leakyRelu(negativeSlope) { return leakyRelu(this, negativeSlope); },
  sigmoid() { return sigmoid(this); },
  tanh() { return tanh(this); },
  softplus(beta, threshold) { return softplus(this, beta, threshold); },
  softmax(dim) { return softmax(this, dim); },
  logSoftmax(dim) { return logSoftmax(this, dim); },
});
