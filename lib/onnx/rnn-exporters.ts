/**
 * Exporters of RNN, LSTM and GRU: one ONNX RNN/LSTM/GRU node per layer
 * (direction 'bidirectional' for both directions), PyTorch's gate blocks
 * gathered into ONNX's order in the graph (so the weights keep their
 * state-dict names), and between layers the [seq, dirs, batch, hidden]
 * output turned into the next layer's [seq, batch, dirs·hidden] input.
 */
import type { Tensor } from '../tensor';
import { RNN, LSTM, GRU } from '../nn/rnn';
import { fmtDims, type OnnxGraph, type OnnxTree, type OnnxValue } from './graph';
import { registerOnnxExporter } from './registry';
import { describeModule, paramName } from './exporters';

type Recurrent = RNN | LSTM | GRU;

/** PyTorch's gate blocks in ONNX's order: LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h. */
function gateOrder(m: Recurrent): number[] {
  if (m instanceof LSTM) return [0, 3, 1, 2];
  if (m instanceof GRU) return [1, 0, 2];
  return [0];
}

/** The initial states among the forward's further arguments: h0 (and c0 for the LSTM), null when absent. */
function initialStates(m: Recurrent, rest: readonly OnnxTree[]): [OnnxValue | null, OnnxValue | null] {
  const first = rest[0] ?? null;
  if (m instanceof LSTM) return first === null ? [null, null] : (first as readonly OnnxValue[]) as [OnnxValue, OnnxValue];
  return [first as OnnxValue | null, null];
}

function exportRecurrent(g: OnnxGraph, m: Recurrent, x: OnnxValue, path: string, rest: readonly OnnxTree[]): OnnxTree {
  const who = describeModule(m, path);
  if (x.shape[x.shape.length - 1] !== m.inputSize) throw new RangeError(`onnx.export: ${who} needs an input whose last dim is ${m.inputSize}, got ${fmtDims(x.shape)} (a dynamic feature dim: ONNX would need the weights to change shape)`);
  // the forward accepted the input, so it is [seq, batch, features], [batch, seq, features] or unbatched [seq, features]
  const unbatched = x.shape.length === 2;
  let axis1Name: string | undefined;
  const axis1 = (): string => (axis1Name ??= g.int64Constant(`${path}/axis1`, [1]));
  const batched = (v: OnnxValue | null): OnnxValue | null => (v === null || !unbatched ? v : g.node('Unsqueeze', [v.name, axis1()], [v.shape[0], 1, ...v.shape.slice(1)], path));
  const layout = (v: OnnxValue): OnnxValue => (unbatched ? g.node('Squeeze', [v.name, axis1()], [v.shape[0], ...v.shape.slice(2)], path) : v);
  const H = m.hiddenSize;
  const dirs = m.bidirectional ? 2 : 1;
  const order = gateOrder(m);
  const gates = order.length * H;
  const rows = g.int64Constant(`${path}/gate_rows`, order.flatMap((k) => Array.from({ length: H }, (_, j) => k * H + j)));
  const axis0 = g.int64Constant(`${path}/axis0`, [0]);
  const param = (name: string): Tensor | null => (m as unknown as Record<string, Tensor | null | undefined>)[name] ?? null;
  /** [dirs, ...shape] from one value of `shape` per direction, which `make` builds from the parameter-name suffix. */
  const stacked = (shape: number[], make: (sfx: string) => string): string => {
    const per = Array.from({ length: dirs }, (_, d) => g.node('Unsqueeze', [make(d === 1 ? '_reverse' : ''), axis0], [1, ...shape], path).name);
    return per.length === 1 ? per[0] : g.node('Concat', per, [dirs, ...shape], path, { axis: 0 }).name;
  };
  const gathered = (name: string, cols: number[]): string => g.node('Gather', [g.parameter(paramName(path, name), param(name) as Tensor), rows], [gates, ...cols], path, { axis: 0 }).name;
  const [h0, c0] = initialStates(m, rest).map(batched);
  const isLstm = m instanceof LSTM;

  let seq = unbatched ? batched(x) as OnnxValue : m.batchFirst ? g.node('Transpose', [x.name], [x.shape[1], x.shape[0], x.shape[2]], path, { perm: [1, 0, 2] }) : x;
  const [T, B] = seq.shape;
  const hN: string[] = [];
  const cN: string[] = [];
  for (let layer = 0; layer < m.numLayers; layer++) {
    const inSize = layer === 0 ? m.inputSize : dirs * H;
    const W = stacked([gates, inSize], (sfx) => gathered(`weight_ih_l${layer}${sfx}`, [inSize]));
    const R = stacked([gates, H], (sfx) => gathered(`weight_hh_l${layer}${sfx}`, [H]));
    const bias = m.bias
      ? stacked([2 * gates], (sfx) => g.node('Concat', [gathered(`bias_ih_l${layer}${sfx}`, []), gathered(`bias_hh_l${layer}${sfx}`, [])], [2 * gates], path, { axis: 0 }).name)
      : g.floatConstant(`${path}/B_l${layer}`, Array<number>(dirs * 2 * gates).fill(0), [dirs, 2 * gates]);
    const slice = (s: OnnxValue | null): string => (s === null ? '' : g.node('Slice', [s.name, g.int64Constant(`${path}/start`, [layer * dirs]), g.int64Constant(`${path}/end`, [(layer + 1) * dirs]), axis0], [dirs, B, H], path).name);
    const inputs = [seq.name, W, R, bias, '', slice(h0), ...(isLstm ? [slice(c0)] : [])];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const attributes = {
      hidden_size: H,
      direction: m.bidirectional ? 'bidirectional' : 'forward',
      ...(m instanceof GRU ? { linear_before_reset: 1 } : {}),
      ...(m instanceof RNN ? { activations: Array<string>(dirs).fill(m.nonlinearity === 'relu' ? 'Relu' : 'Tanh') } : {}),
    };
    const opType = isLstm ? 'LSTM' : m instanceof GRU ? 'GRU' : 'RNN';
    const state = [dirs, B, H];
    const [Y, Yh, Yc] = g.nodeOutputs(opType, inputs, [[T, dirs, B, H], state, ...(isLstm ? [state] : [])], path, attributes);
    hN.push(Yh.name);
    if (Yc !== undefined) cN.push(Yc.name);
    // [T, dirs, B, H] → [T, B, dirs·H]
    seq = dirs === 1
      ? g.node('Squeeze', [Y.name, axis1()], [T, B, H], path)
      : g.node('Reshape', [g.node('Transpose', [Y.name], [T, B, dirs, H], path, { perm: [0, 2, 1, 3] }).name, g.int64Constant(`${path}/shape`, [0, 0, -1])], [T, B, dirs * H], path);
  }
  const output = unbatched ? layout(seq) : m.batchFirst ? g.node('Transpose', [seq.name], [B, T, dirs * H], path, { perm: [1, 0, 2] }) : seq;
  const states = (names: string[]): OnnxValue => (names.length === 1 ? { name: names[0], shape: [dirs, B, H] } : g.node('Concat', names, [m.numLayers * dirs, B, H], path, { axis: 0 }));
  return isLstm ? [output, [layout(states(hN)), layout(states(cN))]] : [output, layout(states(hN))];
}

registerOnnxExporter(RNN, exportRecurrent);
registerOnnxExporter(LSTM, exportRecurrent);
registerOnnxExporter(GRU, exportRecurrent);
