/**
 * The built-in module exporters: each maps one torchlet module to ONNX
 * operators (opset 13 or newer) on a symbolic input shape.
 */
import type { Tensor } from '../tensor';
import { Linear } from '../nn/linear';
import { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax } from '../nn/activation';
import { Flatten, Identity } from '../nn/flatten';
import { Dropout } from '../nn/dropout';
import type { AnyModule } from '../nn/module';
import { fmtDims, type AttributeValue, type Dim, type OnnxGraph, type OnnxValue } from './graph';
import { registerOnnxExporter } from './registry';

/** The state-dict name of `module`'s parameter `name` at `path`. */
export const paramName = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

/** How errors name a module: `Linear at 'fc1'` (or `the model (Net)`). */
export function describeModule(module: AnyModule, path: string): string {
  return path === '' ? `the model (${module.constructor.name})` : `${module.constructor.name} at '${path}'`;
}

/** A dim index in [0, rank) from a possibly negative one, or an error naming the module. */
function axis(dim: number, rank: number, module: AnyModule, path: string): number {
  const d = dim < 0 ? dim + rank : dim;
  if (d < 0 || d >= rank) throw new RangeError(`onnx.export: ${describeModule(module, path)}: dim ${dim} is out of range for an input of rank ${rank}`);
  return d;
}

registerOnnxExporter(Linear, (g, m, x, path) => {
  const last = x.shape[x.shape.length - 1];
  if (x.shape.length === 0 || last !== m.inFeatures) {
    throw new RangeError(`onnx.export: ${describeModule(m, path)} needs an input whose last dim is ${m.inFeatures}, got ${fmtDims(x.shape)}` +
      (typeof last === 'string' ? ' (a dynamic last dim: ONNX would need the weight to change shape)' : ''));
  }
  const shape = [...x.shape.slice(0, -1), m.outFeatures];
  const w = g.parameter(paramName(path, 'weight'), m.weight);
  const b = m.bias === null ? null : g.parameter(paramName(path, 'bias'), m.bias as Tensor);
  if (x.shape.length === 2) return g.node('Gemm', b === null ? [x.name, w] : [x.name, w, b], shape, path, { transB: 1 });
  // Gemm is 2-D only: any other rank is MatMul against the transposed weight, then the bias.
  const wt = g.node('Transpose', [w], [m.inFeatures, m.outFeatures], path, { perm: [1, 0] });
  const y = g.node('MatMul', [x.name, wt.name], shape, path);
  return b === null ? y : g.node('Add', [y.name, b], shape, path);
});

/** An elementwise op: same shape out. */
function elementwise<M extends AnyModule>(opType: string, attributes: (m: M) => Record<string, AttributeValue> = () => ({})) {
  return (g: OnnxGraph, m: M, x: OnnxValue, path: string): OnnxValue => g.node(opType, [x.name], x.shape, path, attributes(m));
}

registerOnnxExporter(ReLU, elementwise('Relu'));
registerOnnxExporter(Sigmoid, elementwise('Sigmoid'));
registerOnnxExporter(Tanh, elementwise('Tanh'));
registerOnnxExporter(LeakyReLU, elementwise<LeakyReLU>('LeakyRelu', (m) => ({ alpha: { float: m.negativeSlope } })));

for (const [cls, opType] of [[Softmax, 'Softmax'], [LogSoftmax, 'LogSoftmax']] as const) {
  registerOnnxExporter<Softmax | LogSoftmax>(cls, (g, m, x, path) => g.node(opType, [x.name], x.shape, path, { axis: axis(m.dim, x.shape.length, m, path) }));
}

// Eval-form export: Dropout is the identity and adds no node.
registerOnnxExporter(Dropout, (_g, _m, x) => x);
registerOnnxExporter(Identity, (_g, _m, x) => x);

registerOnnxExporter(Flatten, (g, m, x, path) => {
  const rank = x.shape.length;
  if (rank === 0) return g.node('Reshape', [x.name, g.int64Constant(`${path}/shape`, [1])], [1], path);
  const start = axis(m.startDim, rank, m, path);
  const end = axis(m.endDim, rank, m, path);
  if (start > end) throw new RangeError(`onnx.export: ${describeModule(m, path)}: startDim ${m.startDim} comes after endDim ${m.endDim} for rank ${rank}`);
  const merged = x.shape.slice(start, end + 1);
  const product: Dim = merged.every((d) => typeof d === 'number') ? (merged as number[]).reduce((a, b) => a * b, 1) : merged.join('*');
  const shape = [...x.shape.slice(0, start), product, ...x.shape.slice(end + 1)];
  if (start === end) return x;
  if (start === 1 && end === rank - 1) return g.node('Flatten', [x.name], shape, path, { axis: 1 });
  // Reshape: 0 copies a leading dim, -1 is the merged one; dims after it must be static
  const after = x.shape.slice(end + 1);
  const dynamic = after.find((d) => typeof d === 'string');
  if (dynamic !== undefined) {
    throw new RangeError(`onnx.export: ${describeModule(m, path)} flattens dims ${start}..${end} of ${fmtDims(x.shape)} but the dynamic dim '${dynamic}' follows them: ONNX's Reshape can't express that shape`);
  }
  const target = [...Array<number>(start).fill(0), -1, ...(after as number[])];
  return g.node('Reshape', [x.name, g.int64Constant(`${path}/shape`, target)], shape, path);
});
