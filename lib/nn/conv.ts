/** nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d. */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { empty } from '../ops/util';
import { conv1d, conv2d, convRelu, convTranspose2d, type PaddingArg, type SpatialArg } from '../ops/conv';
import type { LayerTraits } from './layer-traits';
import { WeightBiasModule } from './weight-bias';
import { uniform_ } from './init';
import { defineOptions, readable, rejectUnknownOptions } from '../options';

/** Options of `Conv1d` / `Conv2d` (PyTorch's keywords). */
export interface ConvModuleOptions {
  /** Step between windows (default 1). */
  stride?: SpatialArg;
  /** Zero padding on both sides of each spatial dim, 'valid' or 'same' (default 0). */
  padding?: PaddingArg;
  /** Spacing between kernel taps (default 1). */
  dilation?: SpatialArg;
  /** Channel groups; must divide both channel counts (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** dtype of weight and bias (default float32). */
  dtype?: DType;
}

/** Options of `ConvTranspose2d` (PyTorch's keywords). */
export interface ConvTransposeModuleOptions extends Omit<ConvModuleOptions, 'padding'> {
  /** Padding of the convolution this one transposes (default 0). */
  padding?: SpatialArg;
  /** Extra rows/columns on the bottom/right of the output, smaller than stride or dilation (default 0). */
  outputPadding?: SpatialArg;
}

const CONV_KEYS = { stride: true, padding: true, dilation: true, groups: true, bias: true, dtype: true } as const;
const CONV1D = defineOptions<ConvModuleOptions>('Conv1d', CONV_KEYS);
const CONV2D = defineOptions<ConvModuleOptions>('Conv2d', CONV_KEYS);
const CONV_T2D = defineOptions<ConvTransposeModuleOptions>('ConvTranspose2d', { ...CONV_KEYS, outputPadding: true });

/** A number or per-dim list as a tuple of `dims` entries (PyTorch's _pair / _single). */
function tuple(where: string, name: string, v: unknown, dims: number, min: number): number[] {
  const list = typeof v === 'number' ? Array<number>(dims).fill(v) : v;
  if (!Array.isArray(list) || list.length !== dims || !list.every((x) => Number.isInteger(x) && (x as number) >= min)) {
    throw new RangeError(`${where}: ${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or ${dims} of them, got ${readable(v)}`);
  }
  return [...list] as number[];
}

/** Python's tuple repr: (3,) or (3, 3). */
const pyTuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

/**
 * What Conv1d, Conv2d and ConvTranspose2d share: the hyper-parameters as
 * PyTorch keeps them (tuples), weight and bias with PyTorch's default
 * initialisation (kaiming_uniform_(a=√5), i.e. U(−1/√fanIn, 1/√fanIn), the bias
 * from the same bound; fanIn = weight.shape[1]·∏kernelSize), and the repr.
 */
abstract class ConvNd extends WeightBiasModule {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Kernel size per spatial dim. */
  readonly kernelSize: readonly number[];
  /** Stride per spatial dim. */
  readonly stride: readonly number[];
  /** Padding per spatial dim, or 'valid' / 'same'. */
  readonly padding: readonly number[] | 'valid' | 'same';
  /** Dilation per spatial dim. */
  readonly dilation: readonly number[];
  /** Output padding per spatial dim (all 0 except for transposed convolutions). */
  readonly outputPadding: readonly number[];
  /** Channel groups. */
  readonly groups: number;
  /** A transposed convolution (weight [in, out/groups, ...]). */
  readonly transposed: boolean;

  protected constructor(where: string, dims: number, transposed: boolean, inChannels: number, outChannels: number,
    kernelSize: SpatialArg, o: ConvModuleOptions & { outputPadding?: SpatialArg }) {
    super();
    for (const [name, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`${where}: ${name} must be a positive integer, got ${readable(v)}`);
    }
    const { groups = 1, bias = true, dtype = 'float32' } = o;
    if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${where}: groups must be a positive integer, got ${readable(groups)}`);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(`${where}: groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    checkDType(dtype, where);
    if (!isFloat(dtype)) throw new TypeError(`${where}: dtype must be float32 or float64, got ${dtype}`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
    this.transposed = transposed;
    this.kernelSize = tuple(where, 'kernelSize', kernelSize, dims, 1);
    this.stride = tuple(where, 'stride', o.stride ?? 1, dims, 1);
    this.dilation = tuple(where, 'dilation', o.dilation ?? 1, dims, 1);
    this.outputPadding = tuple(where, 'outputPadding', o.outputPadding ?? 0, dims, 0);
    const padding = o.padding ?? 0;
    if (padding === 'same' && this.stride.some((s) => s !== 1)) {
      throw new RangeError(`${where}: padding='same' needs stride 1 (as in PyTorch), got stride ${readable(o.stride)}`);
    }
    this.padding = !transposed && (padding === 'same' || padding === 'valid') ? padding : tuple(where, 'padding', padding, dims, 0);
    const shape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    this.registerParameter('weight', uniform_(empty(shape, dtype), -bound, bound));
    this.registerParameter('bias', bias ? uniform_(empty([outChannels], dtype), -bound, bound) : null);
  }

  /**
   * x [N, inChannels, (H,) W] → [N, outChannels, (H',) W'].
   *
   * @param input [N, inChannels, L] for Conv1d, [N, inChannels, H, W] for the 2-D layers (batch dim required)
   * @returns [N, outChannels, L'] or [N, outChannels, H', W']
   */
  forward(input: Tensor): Tensor {
    return this.run(input, false);
  }

  /**
   * relu(forward(input)) as one op: what nn.Sequential runs for this layer and a following ReLU.
   *
   * @param input as for forward
   */
  forwardRelu(input: Tensor): Tensor {
    return this.run(input, true);
  }

  private run(input: Tensor, relu: boolean): Tensor {
    const { stride, dilation, groups, padding } = this;
    const op = this.transposed ? 'convTranspose2d' : this.kernelSize.length === 1 ? 'conv1d' : 'conv2d';
    const options = this.transposed ? { stride, padding, dilation, groups, outputPadding: this.outputPadding } : { stride, padding, dilation, groups };
    if (relu) return convRelu(op, input, this.weight, this.bias, options);
    if (op === 'convTranspose2d') return convTranspose2d(input, this.weight, this.bias, options as { padding: readonly number[] });
    return (op === 'conv1d' ? conv1d : conv2d)(input, this.weight, this.bias, options);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/** A convolution keeps no tensor itself, and runs a following ReLU within its own op. */
const CONV_TRAITS: LayerTraits<ConvNd> = { keepsNoTensors: true, reluFused: (m, x) => m.forwardRelu(x) };

/**
 * 1-D convolution over input [N, inChannels, L]: weight [outChannels, inChannels/groups, kernelSize].
 * PyTorch's `torch.nn.Conv1d`.
 */
export class Conv1d extends ConvNd {
  /** @internal Keeps no tensor; fuses with a following ReLU (see LayerTraits). */
  static readonly traits: LayerTraits<Conv1d> = CONV_TRAITS;

  /**
   * @param inChannels channels of the input (dim 1 of x)
   * @param outChannels channels of the output (filters)
   * @param kernelSize window size: a number, or [k] for Conv1d
   * @param options `stride` (default 1), `padding` (default 0; a number, per-dim, 'valid' or 'same'), `dilation` (default 1), `groups` (default 1), `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialArg, options: ConvModuleOptions = {}) {
    rejectUnknownOptions(options, CONV1D);
    super('Conv1d', 1, false, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-D convolution over input [N, inChannels, H, W]: weight [outChannels, inChannels/groups, kH, kW].
 * PyTorch's `torch.nn.Conv2d` (zero padding only).
 *
 * @example
 * ```ts
 * const conv = new nn.Conv2d(3, 16, 3, { padding: 1 });
 * const y = conv.forward(torch.randn(8, 3, 32, 32));                   // [8, 16, 32, 32]
 * const down = new nn.Conv2d(16, 32, [3, 3], { stride: 2, bias: false });
 * down.forward(y);                                                     // [8, 32, 15, 15]
 * ```
 */
export class Conv2d extends ConvNd {
  /** @internal Keeps no tensor; fuses with a following ReLU (see LayerTraits). */
  static readonly traits: LayerTraits<Conv2d> = CONV_TRAITS;

  /**
   * @param inChannels channels of the input (dim 1 of x)
   * @param outChannels channels of the output (filters)
   * @param kernelSize window size: a number, or [kH, kW]
   * @param options `stride` (default 1), `padding` (default 0; a number, [pH, pW], 'valid' or 'same'), `dilation` (default 1), `groups` (default 1), `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialArg, options: ConvModuleOptions = {}) {
    rejectUnknownOptions(options, CONV2D);
    super('Conv2d', 2, false, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-D transposed convolution over input [N, inChannels, H, W]: weight
 * [inChannels, outChannels/groups, kH, kW] (fanIn for the initialisation is
 * computed from dim 1, as PyTorch does). PyTorch's `torch.nn.ConvTranspose2d`.
 */
export class ConvTranspose2d extends ConvNd {
  /** @internal Keeps no tensor; fuses with a following ReLU (see LayerTraits). */
  static readonly traits: LayerTraits<ConvTranspose2d> = CONV_TRAITS;

  /**
   * @param inChannels channels of the input (dim 1 of x)
   * @param outChannels channels of the output (filters)
   * @param kernelSize window size: a number, or [kH, kW]
   * @param options `stride` (default 1), `padding` (of the convolution this one transposes, default 0; a number or [pH, pW]), `dilation` (default 1), `groups` (default 1), `outputPadding` (default 0), `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialArg, options: ConvTransposeModuleOptions = {}) {
    rejectUnknownOptions(options, CONV_T2D);
    super('ConvTranspose2d', 2, true, inChannels, outChannels, kernelSize, options);
  }
}
