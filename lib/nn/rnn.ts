/**
 * nn.RNN, nn.LSTM, nn.GRU: multi-layer, optionally bidirectional recurrences
 * over whole sequences. Per layer and direction, the input projection of all
 * time steps is one fused linear node ([T·batch, in] · W_ihᵀ + b_ih); the recurrence
 * over the sequence is then one tape node (`runRecurrence`, rnn-step.ts; the
 * cells run the same node, lib/ops/recurrent.ts, for one step). PyTorch's parameter
 * names, registration order (so state-dict keys match), layouts and
 * initialisation U(−1/√hidden, 1/√hidden).
 */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { fmtShape } from '../shape';
import { checkTensor, empty } from '../ops/util';
import { linearAct } from '../ops/fused-linear';
import { narrow, squeeze, transpose, unsqueeze } from '../ops/shape';
import { cat, stack } from '../ops/join';
import { zeros } from '../ops/creation';
import { Module } from './module';
import { uniform_ } from './init';
import { pyBool, pyFloat } from './repr';
import { dropout as dropoutFn, checkDropoutP } from './functional/dropout';
import { runRecurrence } from './rnn-step';
import { reuseAfterBackward } from '../autograd/reuse';
import { GATE_COUNT, type RecurrentMode } from '../ops/recurrent';
import { defineOptions, readable, rejectUnknownOptions, type OptionSpec } from '../options';

/** Options of `LSTM` and `GRU` (PyTorch's keywords). */
export interface RNNBaseOptions {
  /** Stacked layers, each reading the previous one's output (default 1). */
  numLayers?: number;
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature] (default false); states are unaffected. */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output but the last, in training mode only (default 0). */
  dropout?: number;
  /** Also run each layer over the reversed sequence and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** Options of `RNN`. */
export interface RNNOptions extends RNNBaseOptions {
  /** The step's nonlinearity: 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

const BASE_KEYS = { numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, dtype: true } as const;
const RNN_SPEC = defineOptions<RNNOptions>('RNN', { ...BASE_KEYS, nonlinearity: true });
const LSTM_SPEC = defineOptions<RNNBaseOptions>('LSTM', BASE_KEYS);
const GRU_SPEC = defineOptions<RNNBaseOptions>('GRU', BASE_KEYS);

/** The parameters of one layer and direction. */
interface Cell {
  readonly weightIH: Tensor;
  readonly weightHH: Tensor;
  readonly biasIH: Tensor | null;
  readonly biasHH: Tensor | null;
}

/** An input as [seq, batch, feature], and how it came. */
interface Sequence {
  /** The caller's input. */
  readonly input: Tensor;
  readonly x: Tensor;
  readonly unbatched: boolean;
}

/** What RNN, LSTM and GRU share: options, parameters, checks and the layer loop. */
abstract class RNNBase<Args extends unknown[], Out> extends Module<Args, Out> {
  /** Features of each input element. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the bias_* parameters exist. */
  readonly bias: boolean;
  /** Whether input and output are [batch, seq, feature]. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers (training mode only). */
  readonly dropout: number;
  /** Whether each layer also runs over the reversed sequence. */
  readonly bidirectional: boolean;

  protected constructor(
    protected readonly opName: string, protected readonly mode: RecurrentMode,
    inputSize: number, hiddenSize: number, options: RNNBaseOptions, spec: OptionSpec,
  ) {
    rejectUnknownOptions(options, spec);
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, dtype = 'float32' } = options;
    for (const [name, v] of [['inputSize', inputSize], ['hiddenSize', hiddenSize]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${opName}: ${name} must be a non-negative integer, got ${readable(v)}`);
    }
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new RangeError(`${opName}: numLayers must be an integer >= 1, got ${readable(numLayers)}`);
    checkDropoutP(opName, dropout);
    checkDType(dtype, opName);
    if (!isFloat(dtype)) throw new TypeError(`${opName}: dtype must be float32 or float64, got ${dtype}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias === true;
    this.batchFirst = batchFirst === true;
    this.dropout = dropout;
    this.bidirectional = bidirectional === true;
    const gates = GATE_COUNT[mode] * hiddenSize;
    const k = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
    const param = (shape: number[]): Tensor => uniform_(empty(shape, dtype, opName), -k, k);
    // PyTorch's order: per layer, per direction, w_ih, w_hh, b_ih, b_hh.
    for (let layer = 0; layer < numLayers; layer++) {
      const layerInput = layer === 0 ? inputSize : hiddenSize * this.directions;
      for (let d = 0; d < this.directions; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${sfx}`, param([gates, layerInput]));
        this.registerParameter(`weight_hh${sfx}`, param([gates, hiddenSize]));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, param([gates]));
          this.registerParameter(`bias_hh${sfx}`, param([gates]));
        }
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The parameters of `layer` in direction `d` (1 = reverse). */
  private cell(layer: number, d: number): Cell {
    const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
    const p = (name: string): Tensor | null => (this as unknown as Record<string, Tensor | null | undefined>)[name] ?? null;
    return { weightIH: p(`weight_ih${sfx}`) as Tensor, weightHH: p(`weight_hh${sfx}`) as Tensor, biasIH: p(`bias_ih${sfx}`), biasHH: p(`bias_hh${sfx}`) };
  }

  /** The input as [seq, batch, inputSize], checked. */
  protected sequenceOf(input: Tensor): Sequence {
    checkTensor(input, this.opName);
    const layout = this.batchFirst ? 'batch, seq, inputSize' : 'seq, batch, inputSize';
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(`${this.opName}: input must be [${layout}] or unbatched [seq, inputSize] with inputSize ${this.inputSize}, got ${fmtShape(input.shape)}`);
    }
    if (!isFloat(input.dtype)) throw new TypeError(`${this.opName}: input must be float32 or float64, got ${input.dtype}`);
    const wdtype = this.cell(0, 0).weightIH.dtype;
    if (input.dtype !== wdtype) throw new TypeError(`${this.opName}: input is ${input.dtype} but the parameters are ${wdtype}; convert one with .to()`);
    if (input.shape[this.batchFirst && input.ndim === 3 ? 1 : 0] === 0) {
      throw new RangeError(`${this.opName}: expected a sequence length larger than 0, got input ${fmtShape(input.shape)}`);
    }
    if (input.ndim === 2) return { input, x: unsqueeze(input, 1), unbatched: true };
    return { input, x: this.batchFirst ? transpose(input, 0, 1) : input, unbatched: false };
  }

  /** An initial state of [numLayers·directions, batch, hiddenSize] (zeros when absent), checked against the input. */
  protected stateOf(state: Tensor | null | undefined, seq: Sequence, input: Tensor, name: string): Tensor {
    const batch = seq.x.shape[1];
    const layers = this.numLayers * this.directions;
    if (state === null || state === undefined) return zeros([layers, batch, this.hiddenSize], { dtype: seq.x.dtype });
    checkTensor(state, this.opName, name);
    const want = seq.unbatched ? [layers, this.hiddenSize] : [layers, batch, this.hiddenSize];
    if (state.ndim !== want.length || state.shape.some((d, i) => d !== want[i])) {
      const dims = seq.unbatched ? 'numLayers·directions, hiddenSize' : 'numLayers·directions, batch, hiddenSize';
      let hint = '';
      if (!seq.unbatched) {
        const batchDim = this.batchFirst ? 0 : 1;
        hint = ` (batchFirst ${this.batchFirst}: the batch is input dim ${batchDim})`;
        if (state.ndim === 3 && state.shape[1] === input.shape[1 - batchDim] && state.shape[1] !== batch) hint += `; is batchFirst set as the data is laid out?`;
      }
      throw new RangeError(`${this.opName}: ${name} must be ${fmtShape(want)} (${dims}) for input ${fmtShape(input.shape)}${hint}, got ${fmtShape(state.shape)}`);
    }
    if (state.dtype !== seq.x.dtype) throw new TypeError(`${this.opName}: ${name} is ${state.dtype} but the input is ${seq.x.dtype}`);
    return seq.unbatched ? unsqueeze(state, 1) : state;
  }

  /**
   * Runs every layer and direction over x [seq, batch, inputSize] from h0
   * (and c0 for the LSTM), each [numLayers·directions, batch, hiddenSize];
   * returns [output, hN, cN or null] in the input's layout.
   */
  protected run(seq: Sequence, h0: Tensor, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
    let x = seq.x;
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      if (layer > 0) x = dropoutFn(x, this.dropout, this.training);
      const outs: Tensor[] = [];
      for (let d = 0; d < this.directions; d++) {
        const w = this.cell(layer, d);
        const s = layer * this.directions + d;
        // One matmul projects every time step's input.
        const gi = linearAct(x, w.weightIH, w.biasIH);
        const state = (t: Tensor): Tensor => squeeze(narrow(t, 0, s, 1), 0);
        const [out, h, c, node] = runRecurrence(this.mode, gi, state(h0), c0 === null ? null : state(c0), w, d === 1);
        // gi is the layer's own: its buffer serves the next allocation of its size (the backward's dgi) once the
        // graph is released; tied to the layer's node, which every use of its outputs goes through.
        reuseAfterBackward(x, [gi], node);
        // The layout copy of the caller's input (batchFirst) is read by this layer's projection backward only.
        if (layer === 0 && this.directions === 1) reuseAfterBackward(seq.input, [x], node);
        outs.push(out);
        hN.push(h);
        if (c !== null) cN.push(c);
      }
      x = outs.length === 1 ? outs[0] : cat(outs, 2);
    }
    const layout = (t: Tensor): Tensor => (seq.unbatched ? squeeze(t, 1) : t);
    const output = seq.unbatched ? squeeze(x, 1) : this.batchFirst ? transpose(x, 0, 1) : x;
    return [output, layout(stack(hN, 0)), c0 === null ? null : layout(stack(cN, 0))];
  }

  /** PyTorch's repr: the sizes and every option that differs from its default. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += `, bias=${pyBool(false)}`;
    if (this.batchFirst) s += `, batch_first=${pyBool(true)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(true)}`;
    return s;
  }
}

/**
 * An Elman RNN over a sequence: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)
 * (or relu), per layer and direction. PyTorch's `torch.nn.RNN`.
 */
export class RNN extends RNNBase<[Tensor, (Tensor | null)?], [Tensor, Tensor]> {
  /** 'tanh' or 'relu'. */
  readonly nonlinearity: 'tanh' | 'relu';

  /**
   * @param inputSize features of each input element
   * @param hiddenSize features of the hidden state
   * @param options `numLayers` (1), `bias` (true), `batchFirst` (false), `dropout` between layers (0), `bidirectional` (false), `nonlinearity` ('tanh' or 'relu') and `dtype` of the parameters (float32)
   */
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const { nonlinearity = 'tanh' } = options;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new TypeError(`RNN: nonlinearity must be 'tanh' or 'relu', got ${readable(nonlinearity)}`);
    }
    super('RNN', nonlinearity === 'tanh' ? 'rnnTanh' : 'rnnRelu', inputSize, hiddenSize, options, RNN_SPEC);
    this.nonlinearity = nonlinearity;
  }

  /**
   * input [seq, batch, inputSize] ([batch, seq, inputSize] with batchFirst, or
   * unbatched [seq, inputSize]) → [output [seq, batch, directions·hiddenSize]
   * in the input's layout, hN [numLayers·directions, batch, hiddenSize]].
   *
   * @param input the sequence
   * @param h0 the initial hidden state [numLayers·directions, batch, hiddenSize] ([numLayers·directions, hiddenSize] unbatched); zeros when null (the default)
   */
  forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const seq = this.sequenceOf(input);
    const [output, hN] = this.run(seq, this.stateOf(h0, seq, input, 'h0'), null);
    return [output, hN];
  }
}

/**
 * A long short-term memory network over a sequence: gates i, f, g, o;
 * c_t = f·c_{t−1} + i·g, h_t = o·tanh(c_t), per layer and direction.
 * PyTorch's `torch.nn.LSTM` (without `proj_size`).
 */
export class LSTM extends RNNBase<[Tensor, (readonly [Tensor, Tensor] | null)?], [Tensor, [Tensor, Tensor]]> {
  /**
   * @param inputSize features of each input element
   * @param hiddenSize features of the hidden and cell states
   * @param options `numLayers` (1), `bias` (true), `batchFirst` (false), `dropout` between layers (0), `bidirectional` (false) and `dtype` of the parameters (float32)
   */
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super('LSTM', 'lstm', inputSize, hiddenSize, options, LSTM_SPEC);
  }

  /**
   * input [seq, batch, inputSize] ([batch, seq, inputSize] with batchFirst, or
   * unbatched [seq, inputSize]) → [output, [hN, cN]], the states
   * [numLayers·directions, batch, hiddenSize].
   *
   * @param input the sequence
   * @param hx the pair [h0, c0], each [numLayers·directions, batch, hiddenSize] ([numLayers·directions, hiddenSize] unbatched); zeros when null (the default)
   */
  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const seq = this.sequenceOf(input);
    if (hx !== null && hx !== undefined && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new TypeError(`LSTM: hx must be a pair [h0, c0] or null, got ${readable(hx)}`);
    }
    const [output, hN, cN] = this.run(seq, this.stateOf(hx?.[0], seq, input, 'h0'), this.stateOf(hx?.[1], seq, input, 'c0'));
    return [output, [hN, cN as Tensor]];
  }
}

/**
 * A gated recurrent unit network over a sequence: r, z from both
 * projections, n = tanh(x_n + r·(h·W_hnᵀ + b_hn)), h_t = (1 − z)·n + z·h_{t−1},
 * per layer and direction. PyTorch's `torch.nn.GRU`.
 */
export class GRU extends RNNBase<[Tensor, (Tensor | null)?], [Tensor, Tensor]> {
  /**
   * @param inputSize features of each input element
   * @param hiddenSize features of the hidden state
   * @param options `numLayers` (1), `bias` (true), `batchFirst` (false), `dropout` between layers (0), `bidirectional` (false) and `dtype` of the parameters (float32)
   */
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super('GRU', 'gru', inputSize, hiddenSize, options, GRU_SPEC);
  }

  /**
   * input [seq, batch, inputSize] ([batch, seq, inputSize] with batchFirst, or
   * unbatched [seq, inputSize]) → [output, hN [numLayers·directions, batch, hiddenSize]].
   *
   * @param input the sequence
   * @param h0 the initial hidden state [numLayers·directions, batch, hiddenSize] ([numLayers·directions, hiddenSize] unbatched); zeros when null (the default)
   */
  forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const seq = this.sequenceOf(input);
    const [output, hN] = this.run(seq, this.stateOf(h0, seq, input, 'h0'), null);
    return [output, hN];
  }
}
