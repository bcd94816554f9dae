/**
 * Tensor ops written in a forward between modules (`fc(x).relu()`,
 * `x.view(-1, 784)`): export follows the tape node that made such a tensor
 * back to values it knows. Only ops whose node says everything ONNX needs
 * (elementwise ops without parameters, each GELU formula under its own node
 * name, reshapes: the output shape is known) export; any other op (softplus
 * with beta or threshold, elu, ...) is an error naming it.
 */
import type { Tensor } from '../tensor';
import { fmtDims, type Dim, type OnnxGraph, type OnnxValue } from './graph';
import { exportGelu, exportSilu } from './activation-exporters';

/** Adds one tape op to the graph: `x` is the value of its traced input `input`, `out` the tensor it made. */
type TapeOp = (graph: OnnxGraph, x: OnnxValue, input: Tensor, out: Tensor, where: string) => OnnxValue;

const elementwise = (opType: string): TapeOp => (g, x, _input, _out, where) => g.node(opType, [x.name], x.shape, where);

/**
 * Reshape (view, reshape, flatten, squeeze, unsqueeze): leading dims equal to
 * the input's are copied (0, so a dynamic batch stays dynamic), the rest are
 * the traced sizes; a dynamic input dim that does not survive whole must be
 * absorbed by the one remaining output dim (-1).
 */
const reshape: TapeOp = (g, x, input, out, where) => {
  let keep = 0;
  while (keep < input.ndim && keep < out.ndim && input.shape[keep] === out.shape[keep]) keep++;
  const dynamicRest = x.shape.slice(keep).filter((d) => typeof d === 'string');
  const rest = out.shape.slice(keep);
  if (dynamicRest.length > 0 && rest.length !== 1) {
    throw new RangeError(`onnx.export: a reshape of ${fmtDims(x.shape)} to [${out.shape.join(', ')}] in ${where === '' ? 'the model' : `'${where}'`} moves the dynamic dim '${dynamicRest[0]}': ONNX's Reshape can't express that shape`);
  }
  const merged: Dim = dynamicRest.length > 0 ? x.shape.slice(keep).join('*') : rest[0];
  const target = [...Array<number>(keep).fill(0), ...(dynamicRest.length > 0 ? [-1] : rest)];
  const shape: Dim[] = [...x.shape.slice(0, keep), ...(dynamicRest.length > 0 ? [merged] : rest)];
  return g.node('Reshape', [x.name, g.int64Constant(`${where}/shape`, target)], shape, where);
};

/** Tape node names (gradFn.name) that export, and how. */
export const TAPE_OPS: Readonly<Record<string, TapeOp>> = {
  ReluBackward: elementwise('Relu'),
  SigmoidBackward: elementwise('Sigmoid'),
  TanhBackward: elementwise('Tanh'),
  SoftplusBackward: elementwise('Softplus'),
  GeluBackward: (g, x, _input, _out, where) => exportGelu(g, 'none', x, where),
  GeluTanhBackward: (g, x, _input, _out, where) => exportGelu(g, 'tanh', x, where),
  SiluBackward: (g, x, _input, _out, where) => exportSilu(g, x, where),
  ViewBackward: reshape,
};
