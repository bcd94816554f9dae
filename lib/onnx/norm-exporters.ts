/**
 * Exporters of BatchNorm1d/2d (BatchNormalization with the running
 * statistics: the eval form), LayerNorm (LayerNormalization, opset 17) and
 * Embedding (Gather).
 */
import type { Tensor } from '../tensor';
import { BatchNorm1d, BatchNorm2d } from '../nn/batchnorm';
import { LayerNorm } from '../nn/layer-norm';
import { Embedding } from '../nn/embedding';
import { fmtDims, type OnnxGraph, type OnnxValue } from './graph';
import { registerOnnxExporter } from './registry';
import { describeModule, paramName } from './exporters';
import { checkChannels } from './spatial';

/** The parameter `name` of the module at `path`, or a constant `fill` of `shape` when the module has none. */
function weightOr(g: OnnxGraph, t: Tensor | null, path: string, name: string, fill: number, shape: readonly number[]): string {
  if (t !== null) return g.parameter(paramName(path, name), t);
  return g.floatConstant(`${path}/${name}`, Array<number>(shape.reduce((a, b) => a * b, 1)).fill(fill), shape);
}

function exportBatchNorm(g: OnnxGraph, m: BatchNorm1d | BatchNorm2d, x: OnnxValue, path: string): OnnxValue {
  checkChannels(x, m.numFeatures, m, path);
  const mean = m.runningMean;
  const variance = m.runningVar;
  if (mean === null || variance === null) {
    throw new TypeError(`onnx.export: ${describeModule(m, path)} keeps no running statistics (trackRunningStats: false), so in eval it normalizes with each batch's own statistics; ` +
      "export writes BatchNorm in eval form (ONNX's BatchNormalization with fixed statistics)");
  }
  const c = [m.numFeatures];
  const inputs = [
    x.name, weightOr(g, m.weight, path, 'weight', 1, c), weightOr(g, m.bias, path, 'bias', 0, c),
    g.parameter(paramName(path, 'running_mean'), mean), g.parameter(paramName(path, 'running_var'), variance),
  ];
  return g.node('BatchNormalization', inputs, x.shape, path, { epsilon: { float: m.eps } });
}

registerOnnxExporter(BatchNorm1d, exportBatchNorm);
registerOnnxExporter(BatchNorm2d, exportBatchNorm);

registerOnnxExporter(LayerNorm, (g, m, x, path) => {
  if (g.opset < 17) throw new RangeError(`onnx.export: ${describeModule(m, path)} exports as LayerNormalization, which needs opsetVersion 17 or newer (got ${g.opset})`);
  const shape = m.normalizedShape;
  // the forward checked the sizes; only a dynamic dim among them can differ
  if (x.shape.slice(x.shape.length - shape.length).some((d) => typeof d === 'string')) {
    throw new RangeError(`onnx.export: ${describeModule(m, path)} normalizes over ${fmtDims(shape)}, so its input must end in those static dims, got ${fmtDims(x.shape)}`);
  }
  const scale = weightOr(g, m.weight, path, 'weight', 1, shape);
  const inputs = m.bias === null ? [x.name, scale] : [x.name, scale, g.parameter(paramName(path, 'bias'), m.bias)];
  return g.node('LayerNormalization', inputs, x.shape, path, { axis: -shape.length, epsilon: { float: m.eps } });
});

// the indices are an int32 graph input (the forward takes only int32); Gather takes int32 or int64
registerOnnxExporter(Embedding, (g, m, x, path) => g.node('Gather', [g.parameter(paramName(path, 'weight'), m.weight), x.name], [...x.shape, m.embeddingDim], path, { axis: 0 }));
