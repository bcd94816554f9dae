/**
 * Window arithmetic shared by the convolution and pooling exporters: per-dim
 * sizes, ONNX's `pads` layout and output sizes on symbolic dims.
 */
import type { AnyModule } from '../nn/module';
import { fmtDims, type Dim, type OnnxValue } from './graph';
import { describeModule } from './exporters';

/** A size argument (a number, or one per dim; a 1-list means all dims) as `dims` numbers. */
export function perDim(v: number | readonly number[], dims: number): number[] {
  if (typeof v === 'number') return Array<number>(dims).fill(v);
  return v.length === 1 ? Array<number>(dims).fill(v[0]) : [...v];
}

/** ONNX's pads: all begins, then all ends. */
export const onnxPads = (begin: readonly number[], end: readonly number[]): number[] => [...begin, ...end];

/**
 * One output dim of a window op: `(in + padding − span) / stride + 1`
 * (floor, or ceil with PyTorch's rule that a window starts inside the input
 * or its begin padding; `transposed`: the inverse). A static dim is computed;
 * a dynamic one is named by its formula, so equal names mean equal sizes.
 */
export function windowDim(d: Dim, w: { begin: number; end: number; span: number; stride: number; ceil?: boolean; transposed?: { outputPadding: number } }): Dim {
  const { begin, end, span, stride } = w;
  if (w.transposed !== undefined) {
    const extra = span - begin - end + w.transposed.outputPadding;
    return typeof d === 'number' ? (d - 1) * stride + extra : `(${d}-1)*${stride}${extra < 0 ? '' : '+'}${extra}`;
  }
  if (typeof d === 'string') {
    const offset = begin + end - span;
    return `${w.ceil === true ? 'ceil' : 'floor'}((${d}${offset < 0 ? '' : '+'}${offset})/${stride})+1`;
  }
  const room = d + begin + end - span;
  let out = Math.floor((room + (w.ceil === true ? stride - 1 : 0)) / stride) + 1;
  if (w.ceil === true && (out - 1) * stride >= d + begin) out -= 1;
  return out;
}

/**
 * Checks that `x` is [N, channels, ...spatial] with `dims` spatial dims
 * (`channels` null: any) and returns the spatial dims.
 */
export function batchedInput(x: OnnxValue, dims: number, channels: number | null, module: AnyModule, path: string): Dim[] {
  const rank = dims + 2;
  if (x.shape.length !== rank) {
    const unbatched = x.shape.length === rank - 1 ? ' (an unbatched input exports only with a batch dim: unsqueeze(0) before the model)' : '';
    throw new RangeError(`onnx.export: ${describeModule(module, path)} needs a ${rank}-D input [N, C, ${dims === 1 ? 'L' : 'H, W'}], got ${fmtDims(x.shape)}${unbatched}`);
  }
  if (channels !== null && x.shape[1] !== channels) {
    throw new RangeError(`onnx.export: ${describeModule(module, path)} needs ${channels} input channels (dim 1), got ${fmtDims(x.shape)}` +
      (typeof x.shape[1] === 'string' ? ' (a dynamic channel dim: ONNX would need the weight to change shape)' : ''));
  }
  return x.shape.slice(2);
}
