/**
 * Exporters of the pooling layers: MaxPool1d/2d (MaxPool), AvgPool1d/2d
 * (AveragePool), AdaptiveAvgPool2d (GlobalAveragePool, or an AveragePool
 * when the output size divides the input size).
 */
import { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool2d } from '../nn/pooling';
import { fmtDims, type AttributeValue, type Dim, type OnnxGraph, type OnnxValue } from './graph';
import { registerOnnxExporter } from './registry';
import { describeModule } from './exporters';
import { onnxPads, perDim, windowDim } from './spatial';

/** The window of a pooling module, per spatial dim. */
interface PoolWindow {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceil: boolean;
}

/** Adds `opType` over `x` [N, C, ...] with `win` (and `extra` attributes); the output keeps N and C. */
function pool(g: OnnxGraph, opType: string, x: OnnxValue, win: PoolWindow, path: string, extra: Record<string, number>): OnnxValue {
  const spatial = x.shape.slice(2);
  const dim = (ceil: boolean) => (d: Dim, i: number): Dim => windowDim(d, {
    begin: win.padding[i], end: win.padding[i], span: win.dilation[i] * (win.kernel[i] - 1) + 1, stride: win.stride[i], ceil,
  });
  const out = spatial.map(dim(win.ceil));
  // Where PyTorch drops a ceil-mode window that would start in the end padding, its size is the floor one: ceil_mode 0
  // then says the same to every runtime (onnxruntime's shape inference ignores that rule); a dynamic dim keeps ceil_mode.
  const ceil = win.ceil && spatial.map(dim(false)).some((d, i) => d !== out[i]);
  // AveragePool has dilations only from opset 19: written only where they matter (MaxPool)
  const dilated: Record<string, AttributeValue> = win.dilation.some((d) => d !== 1) ? { dilations: win.dilation } : {};
  return g.node(opType, [x.name], [x.shape[0], x.shape[1], ...out], path, {
    kernel_shape: win.kernel, strides: win.stride, pads: onnxPads(win.padding, win.padding), ceil_mode: ceil ? 1 : 0, ...dilated, ...extra,
  });
}

/**
 * `run` on `x` given a batch dim: an unbatched input ([C, L] or [C, H, W],
 * which the pools accept) gets one of size 1 (Unsqueeze) and loses it after (Squeeze).
 */
function withBatch(g: OnnxGraph, x: OnnxValue, dims: number, path: string, run: (batched: OnnxValue) => OnnxValue): OnnxValue {
  if (x.shape.length !== dims + 1) return run(x);
  const axes = (): string => g.int64Constant(`${path}/batch_axis`, [0]);
  const y = run(g.node('Unsqueeze', [x.name, axes()], [1, ...x.shape], path));
  return g.node('Squeeze', [y.name, axes()], y.shape.slice(1), path);
}

function exportMaxPool(g: OnnxGraph, m: MaxPool1d | MaxPool2d, x: OnnxValue, path: string): OnnxValue {
  const dims = m instanceof MaxPool1d ? 1 : 2;
  const win = { kernel: perDim(m.kernelSize, dims), stride: perDim(m.stride, dims), padding: perDim(m.padding, dims), dilation: perDim(m.dilation, dims), ceil: m.ceilMode };
  return withBatch(g, x, dims, path, (xb) => pool(g, 'MaxPool', xb, win, path, {}));
}

registerOnnxExporter(MaxPool1d, exportMaxPool);
registerOnnxExporter(MaxPool2d, exportMaxPool);

function exportAvgPool(g: OnnxGraph, m: AvgPool1d | AvgPool2d, x: OnnxValue, path: string): OnnxValue {
  const dims = m instanceof AvgPool1d ? 1 : 2;
  return withBatch(g, x, dims, path, (xb) => avgPool(g, m, xb, dims, path));
}

function avgPool(g: OnnxGraph, m: AvgPool1d | AvgPool2d, x: OnnxValue, dims: number, path: string): OnnxValue {
  const kernel = perDim(m.kernelSize, dims);
  const win = { kernel, stride: perDim(m.stride, dims), padding: perDim(m.padding, dims), dilation: kernel.map(() => 1), ceil: m.ceilMode };
  const divisor = m instanceof AvgPool2d ? m.divisorOverride : null;
  if (divisor === null) return pool(g, 'AveragePool', x, win, path, { count_include_pad: m.countIncludePad ? 1 : 0 });
  // sum / divisor = (mean over the padded window) · window size / divisor: exact while every window lies in the padded input, which ceilMode breaks
  if (m.ceilMode) {
    throw new RangeError(`onnx.export: ${describeModule(m, path)} has divisorOverride ${divisor} with ceilMode: ONNX's AveragePool has no divisor, and a window past the padded input would divide by its clipped size`);
  }
  const mean = pool(g, 'AveragePool', x, win, path, { count_include_pad: 1 });
  const scale = g.floatConstant(`${path}/window_over_divisor`, [kernel.reduce((a, b) => a * b, 1) / divisor]);
  return g.node('Mul', [mean.name, scale], mean.shape, path);
}

registerOnnxExporter(AvgPool1d, exportAvgPool);
registerOnnxExporter(AvgPool2d, exportAvgPool);

registerOnnxExporter(AdaptiveAvgPool2d, (g, m, x, path) => withBatch(g, x, 2, path, (xb) => adaptiveAvgPool(g, m, xb, path)));

function adaptiveAvgPool(g: OnnxGraph, m: AdaptiveAvgPool2d, x: OnnxValue, path: string): OnnxValue {
  const spatial = x.shape.slice(2);
  const size = typeof m.outputSize === 'number' ? [m.outputSize, m.outputSize] : m.outputSize;
  const out = spatial.map((d, i) => size[i] ?? d);
  if (out.every((d) => d === 1)) return g.node('GlobalAveragePool', [x.name], [x.shape[0], x.shape[1], 1, 1], path);
  // PyTorch's adaptive windows are all alike only when the output size divides the input size: then they are one AveragePool
  const fits = spatial.every((d, i) => d === out[i] || (typeof d === 'number' && typeof out[i] === 'number' && d % (out[i] as number) === 0));
  if (!fits) {
    throw new RangeError(`onnx.export: ${describeModule(m, path)} pools ${fmtDims(x.shape)} to ${fmtDims(out)}: ONNX expresses adaptive pooling only as GlobalAveragePool (output 1×1) ` +
      'or as an AveragePool when each output size divides the static input size; here the windows differ in size');
  }
  const kernel = spatial.map((d, i) => (d === out[i] ? 1 : (d as number) / (out[i] as number)));
  return g.node('AveragePool', [x.name], [x.shape[0], x.shape[1], ...out], path, { kernel_shape: kernel, strides: kernel, pads: [0, 0, 0, 0] });
}
