/**
 * nn.init: in-place initialisers with PyTorch's formulas (torch.nn.init). They
 * run under noGrad, so they may fill parameters that require grad, and draw
 * from `options.generator` or the default generator.
 */
import { Tensor } from '../tensor';
import { isFloat } from '../dtype';
import { noGrad } from '../autograd/grad-mode';
import { rand, randn } from '../ops/creation';
import { describe, fmtShape } from '../shape';
import type { Generator } from '../random';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of the random initialisers. */
export interface InitOptions {
  /** Generator to draw from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** The nonlinearities `calculateGain` knows (PyTorch's names). */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** Fan mode of the Kaiming initialisers: preserve the forward ('fan_in') or backward ('fan_out') variance. */
export type FanMode = 'fan_in' | 'fan_out';

/** Options of `kaimingUniform_` / `kaimingNormal_` (PyTorch's keywords). */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** 'fan_in' (default) or 'fan_out'. */
  mode?: FanMode;
  /** Nonlinearity that follows (default 'leaky_relu'); 'relu' or 'leaky_relu' recommended. */
  nonlinearity?: Nonlinearity;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's calculate_gain): 1 for
 * linear/conv/sigmoid, 5/3 for tanh, √2 for relu, √(2/(1+slope²)) for
 * leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 *
 * @param nonlinearity 'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu' or a conv name
 * @param param the negative slope for leaky_relu
 * @returns the gain
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`calculateGain: negative_slope ${String(slope)} is not a valid number`);
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/**
 * [fanIn, fanOut] of a weight of shape [out, in, ...kernel] (PyTorch's _calculate_fan_in_and_fan_out).
 *
 * @param tensor a weight with at least 2 dims
 * @returns `[fanIn, fanOut]`
 */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  checkTarget(tensor, 'calculateFanInAndFanOut');
  if (tensor.ndim < 2) {
    throw new RangeError(`Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape ${fmtShape(tensor.shape)})`);
  }
  const receptive = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.shape[1] * receptive, tensor.shape[0] * receptive];
}

function checkTarget(tensor: Tensor, op: string): Tensor {
  if (!(tensor instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(tensor)}`);
  return tensor;
}

function checkFloat(tensor: Tensor, op: string): void {
  checkTarget(tensor, op);
  if (!isFloat(tensor.dtype)) throw new TypeError(`${op}: expected a float tensor, got dtype ${tensor.dtype}`);
}

const UNIFORM = defineOptions<InitOptions>('uniform_', { generator: true });

/**
 * Fills with U(a, b).
 *
 * @param tensor the tensor to fill
 * @param a the lower bound (default 0)
 * @param b the upper bound (default 1)
 * @param options `generator`
 * @returns the tensor
 */
export function uniform_(tensor: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  rejectUnknownOptions(options, UNIFORM);
  checkFloat(tensor, 'uniform_');
  if (!(a <= b)) throw new RangeError(`uniform_: expects a <= b, got a=${a}, b=${b}`);
  return noGrad(() => tensor.copy_(rand(tensor.shape, { dtype: tensor.dtype, generator: options.generator }).mul(b - a).add(a)));
}

const NORMAL = defineOptions<InitOptions>('normal_', { generator: true });

/**
 * Fills with N(mean, std²).
 *
 * @param tensor the tensor to fill
 * @param mean the mean (default 0)
 * @param std the standard deviation (default 1)
 * @param options `generator`
 * @returns the tensor
 */
export function normal_(tensor: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  rejectUnknownOptions(options, NORMAL);
  checkFloat(tensor, 'normal_');
  if (!(std >= 0)) throw new RangeError(`normal_: expects std >= 0.0, got ${std}`);
  return noGrad(() => tensor.copy_(randn(tensor.shape, { dtype: tensor.dtype, generator: options.generator }).mul(std).add(mean)));
}

/**
 * Fills with `value`.
 *
 * @param tensor the tensor to fill
 * @param value the value
 * @returns the tensor
 */
export function constant_(tensor: Tensor, value: number): Tensor {
  checkTarget(tensor, 'constant_');
  return noGrad(() => tensor.fill_(value));
}

/**
 * Fills with 0.
 *
 * @param tensor the tensor to fill
 * @returns the tensor
 */
export function zeros_(tensor: Tensor): Tensor {
  return constant_(tensor, 0);
}

/**
 * Fills with 1.
 *
 * @param tensor the tensor to fill
 * @returns the tensor
 */
export function ones_(tensor: Tensor): Tensor {
  return constant_(tensor, 1);
}

const XAVIER_UNIFORM = defineOptions<InitOptions>('xavierUniform_', { generator: true });

/**
 * Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
 *
 * @param tensor the weight to fill
 * @param gain the scale (default 1)
 * @param options `generator`
 * @returns the tensor
 */
export function xavierUniform_(tensor: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  rejectUnknownOptions(options, XAVIER_UNIFORM);
  checkFloat(tensor, 'xavierUniform_');
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(tensor, -a, a, options);
}

const XAVIER_NORMAL = defineOptions<InitOptions>('xavierNormal_', { generator: true });

/**
 * Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 *
 * @param tensor the weight to fill
 * @param gain the scale (default 1)
 * @param options `generator`
 * @returns the tensor
 */
export function xavierNormal_(tensor: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  rejectUnknownOptions(options, XAVIER_NORMAL);
  checkFloat(tensor, 'xavierNormal_');
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** std = gain / √fan of the Kaiming initialisers, or null for an empty tensor (left as is, as PyTorch). */
function kaimingStd(tensor: Tensor, op: string, options: KaimingOptions): number | null {
  checkFloat(tensor, op);
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new Error(`${op}: mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  if (tensor.numel() === 0) return null;
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut);
}

const KAIMING_UNIFORM = defineOptions<KaimingOptions>('kaimingUniform_', { generator: true, a: true, mode: true, nonlinearity: true });

/**
 * He uniform: U(−b, b) with b = gain·√(3 / fan); `{ a: √5 }` gives Linear's U(±1/√fanIn).
 *
 * @param tensor the weight to fill
 * @param options `a` (negative slope), `mode` ('fan_in' or 'fan_out'), `nonlinearity`, `generator`
 * @returns the tensor
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  rejectUnknownOptions(options, KAIMING_UNIFORM);
  const std = kaimingStd(tensor, 'kaimingUniform_', options);
  if (std === null) return tensor;
  const bound = Math.sqrt(3) * std;
  return uniform_(tensor, -bound, bound, { generator: options.generator });
}

const KAIMING_NORMAL = defineOptions<KaimingOptions>('kaimingNormal_', { generator: true, a: true, mode: true, nonlinearity: true });

/**
 * He normal: N(0, std²) with std = gain / √fan.
 *
 * @param tensor the weight to fill
 * @param options `a` (negative slope), `mode` ('fan_in' or 'fan_out'), `nonlinearity`, `generator`
 * @returns the tensor
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  rejectUnknownOptions(options, KAIMING_NORMAL);
  const std = kaimingStd(tensor, 'kaimingNormal_', options);
  if (std === null) return tensor;
  return normal_(tensor, 0, std, { generator: options.generator });
}
