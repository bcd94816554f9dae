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
 * Checks that dim 1 of `x` (the module ran on it, so its rank is right) is
 * the `channels` the weights were made for: only a dynamic one can differ.
 */
export function checkChannels(x: OnnxValue, channels: number, module: AnyModule, path: string): void {
  if (x.shape[1] !== channels) {
    throw new RangeError(`onnx.export: ${describeModule(module, path)} needs ${channels} input channels (dim 1), got ${fmtDims(x.shape)}` +
      (typeof x.shape[1] === 'string' ? ' (a dynamic channel dim: ONNX would need the weights to change shape)' : ''));
  }
}
