/**
 * nn.RNNCell, nn.LSTMCell, nn.GRUCell: one recurrent step, run as a
 * sequence of one by recurrentLayer (lib/ops/recurrent.ts, shared with RNN,
 * LSTM and GRU).
 * PyTorch's parameter names and layouts (weight_ih [G·hidden, input],
 * weight_hh [G·hidden, hidden], bias_ih and bias_hh [G·hidden], gates
 * stacked LSTM i, f, g, o and GRU r, z, n) and initialisation
 * U(−1/√hidden, 1/√hidden), so a PyTorch state dict loads as is.
 */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { fmtShape } from '../shape';
import { checkTensor, empty } from '../ops/util';
import { linearAct } from '../ops/fused-linear';
import { squeeze, unsqueeze } from '../ops/shape';
import { zeros } from '../ops/creation';
import { Module } from './module';
import { recurrentLayer, type RecurrentMode } from '../ops/recurrent';
import { select } from '../ops/slice';
import { uniform_ } from './init';
import { pyBool } from './repr';
import { defineOptions, readable, rejectUnknownOptions, type OptionSpec } from '../options';

/** Options of `LSTMCell` and `GRUCell` (PyTorch's keywords). */
export interface RNNCellBaseOptions {
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** Options of `RNNCell`. */
export interface RNNCellOptions extends RNNCellBaseOptions {
  /** The step's nonlinearity: 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

const RNN_CELL = defineOptions<RNNCellOptions>('RNNCell', { bias: true, dtype: true, nonlinearity: true });
const LSTM_CELL = defineOptions<RNNCellBaseOptions>('LSTMCell', { bias: true, dtype: true });
const GRU_CELL = defineOptions<RNNCellBaseOptions>('GRUCell', { bias: true, dtype: true });

/** What the three cells share: sizes, the four parameters, input and state checks. */
abstract class RNNCellBase<Args extends unknown[], Out> extends Module<Args, Out> {
  /** Features of each input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Whether bias_ih and bias_hh exist. */
  readonly bias: boolean;
  /** [gates·hiddenSize, inputSize]. */
  declare weight_ih: Tensor;
  /** [gates·hiddenSize, hiddenSize]. */
  declare weight_hh: Tensor;
  /** [gates·hiddenSize], or null without bias. */
  declare bias_ih: Tensor | null;
  /** [gates·hiddenSize], or null without bias. */
  declare bias_hh: Tensor | null;

  protected constructor(
    private readonly cellName: string, inputSize: number, hiddenSize: number, gates: number,
    options: RNNCellBaseOptions, spec: OptionSpec,
  ) {
    rejectUnknownOptions(options, spec);
    super();
    for (const [name, v] of [['inputSize', inputSize], ['hiddenSize', hiddenSize]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${cellName}: ${name} must be a non-negative integer, got ${readable(v)}`);
    }
    const { bias = true, dtype = 'float32' } = options;
    checkDType(dtype, cellName);
    if (!isFloat(dtype)) throw new TypeError(`${cellName}: dtype must be float32 or float64, got ${dtype}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = bias === true;
    const k = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
    const param = (shape: number[]): Tensor => uniform_(empty(shape, dtype, cellName), -k, k);
    this.registerParameter('weight_ih', param([gates * hiddenSize, inputSize]));
    this.registerParameter('weight_hh', param([gates * hiddenSize, hiddenSize]));
    this.registerParameter('bias_ih', this.bias ? param([gates * hiddenSize]) : null);
    this.registerParameter('bias_hh', this.bias ? param([gates * hiddenSize]) : null);
  }

  /** The input as [batch, inputSize] and whether it came unbatched ([inputSize]). */
  protected batchOf(input: Tensor): [Tensor, boolean] {
    checkTensor(input, this.cellName);
    if ((input.ndim !== 1 && input.ndim !== 2) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(`${this.cellName}: input must be [batch, ${this.inputSize}] or [${this.inputSize}] (inputSize ${this.inputSize}), got ${fmtShape(input.shape)}`);
    }
    return input.ndim === 1 ? [unsqueeze(input, 0), true] : [input, false];
  }

  /** A state for `x` of shape [batch, inputSize], zeros when absent, else checked against [batch, hiddenSize] (or [hiddenSize] unbatched). */
  protected stateOf(state: Tensor | null | undefined, x: Tensor, unbatched: boolean, name: string): Tensor {
    const batch = x.shape[0];
    if (state === null || state === undefined) return zeros([batch, this.hiddenSize], { dtype: x.dtype });
    checkTensor(state, this.cellName, name);
    const want = unbatched ? [this.hiddenSize] : [batch, this.hiddenSize];
    if (state.ndim !== want.length || state.shape.some((d, i) => d !== want[i])) {
      throw new RangeError(`${this.cellName}: ${name} must be ${fmtShape(want)} (${unbatched ? 'hiddenSize' : 'batch, hiddenSize'}) for input ${fmtShape(unbatched ? [this.inputSize] : x.shape)}, got ${fmtShape(state.shape)}`);
    }
    return unbatched ? unsqueeze(state, 0) : state;
  }

  /** One step of `mode` from x [batch, inputSize] and the state [batch, hiddenSize]. */
  protected step(mode: RecurrentMode, x: Tensor, h: Tensor, c: Tensor | null): [Tensor, Tensor | null] {
    const gi = linearAct(x, this.weight_ih, this.bias_ih);
    if (mode !== 'lstm') return [recurrentLayer(mode, gi, h, null, this.weight_hh, this.bias_hh, false), null];
    const y = recurrentLayer(mode, gi, h, c, this.weight_hh, this.bias_hh, false);
    return [select(y, 0, 0), select(y, 0, 1)];
  }

  /** The sizes, and `bias=False` without biases, as PyTorch's repr. */
  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : `, bias=${pyBool(false)}`}`;
  }
}

/** h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or relu). PyTorch's `torch.nn.RNNCell`. */
export class RNNCell extends RNNCellBase<[Tensor, (Tensor | null)?], Tensor> {
  /** 'tanh' or 'relu'. */
  readonly nonlinearity: 'tanh' | 'relu';

  /**
   * @param inputSize features of each input x
   * @param hiddenSize features of the hidden state
   * @param options `bias` (default true), `dtype` of the parameters (default float32) and `nonlinearity` ('tanh', the default, or 'relu')
   */
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('RNNCell', inputSize, hiddenSize, 1, options, RNN_CELL);
    const { nonlinearity = 'tanh' } = options;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new TypeError(`RNNCell: nonlinearity must be 'tanh' or 'relu', got ${readable(nonlinearity)}`);
    }
    this.nonlinearity = nonlinearity;
  }

  /**
   * input [batch, inputSize] (or [inputSize]), hx [batch, hiddenSize] (zeros when absent) → h' of hx's shape.
   *
   * @param input [batch, inputSize], or [inputSize] for one sample
   * @param hx the hidden state [batch, hiddenSize] (or [hiddenSize]); zeros when null (the default)
   */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, unbatched] = this.batchOf(input);
    const h = this.stateOf(hx, x, unbatched, 'hx');
    const [next] = this.step(this.nonlinearity === 'tanh' ? 'rnnTanh' : 'rnnRelu', x, h, null);
    return unbatched ? squeeze(next, 0) : next;
  }

  /** The base repr, plus the nonlinearity when it is not tanh, as PyTorch's. */
  override extraRepr(): string {
    return `${super.extraRepr()}${this.nonlinearity === 'tanh' ? '' : `, nonlinearity=${this.nonlinearity}`}`;
  }
}

/** One LSTM step: gates i, f, g, o; c' = f·c + i·g, h' = o·tanh(c'). PyTorch's `torch.nn.LSTMCell`. */
export class LSTMCell extends RNNCellBase<[Tensor, (readonly [Tensor, Tensor] | null)?], [Tensor, Tensor]> {
  /**
   * @param inputSize features of each input x
   * @param hiddenSize features of the hidden state
   * @param options `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions = {}) {
    super('LSTMCell', inputSize, hiddenSize, 4, options, LSTM_CELL);
  }

  /**
   * input [batch, inputSize] (or [inputSize]), [h, c] each [batch, hiddenSize] (zeros when absent) → [h', c'].
   *
   * @param input [batch, inputSize], or [inputSize] for one sample
   * @param hx the pair [h, c], each [batch, hiddenSize] (or [hiddenSize]); zeros when null (the default)
   */
  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, unbatched] = this.batchOf(input);
    if (hx !== null && hx !== undefined && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new TypeError(`LSTMCell: hx must be a pair [h, c] or null, got ${readable(hx)}`);
    }
    const h = this.stateOf(hx?.[0], x, unbatched, 'h');
    const c = this.stateOf(hx?.[1], x, unbatched, 'c');
    const [h2, c2] = this.step('lstm', x, h, c) as [Tensor, Tensor];
    return unbatched ? [squeeze(h2, 0), squeeze(c2, 0)] : [h2, c2];
  }
}

/** One GRU step: r, z from both projections, n = tanh(x_n + r·(h·W_hnᵀ + b_hn)), h' = (1 − z)·n + z·h. PyTorch's `torch.nn.GRUCell`. */
export class GRUCell extends RNNCellBase<[Tensor, (Tensor | null)?], Tensor> {
  /**
   * @param inputSize features of each input x
   * @param hiddenSize features of the hidden state
   * @param options `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions = {}) {
    super('GRUCell', inputSize, hiddenSize, 3, options, GRU_CELL);
  }

  /**
   * input [batch, inputSize] (or [inputSize]), hx [batch, hiddenSize] (zeros when absent) → h'.
   *
   * @param input [batch, inputSize], or [inputSize] for one sample
   * @param hx the hidden state [batch, hiddenSize] (or [hiddenSize]); zeros when null (the default)
   */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, unbatched] = this.batchOf(input);
    const h = this.stateOf(hx, x, unbatched, 'hx');
    const [next] = this.step('gru', x, h, null);
    return unbatched ? squeeze(next, 0) : next;
  }
}
