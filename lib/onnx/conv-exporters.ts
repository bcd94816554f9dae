/** Exporters of Conv1d, Conv2d (ONNX Conv) and ConvTranspose2d (ONNX ConvTranspose). */
import type { Tensor } from '../tensor';
import { Conv1d, Conv2d, ConvTranspose2d } from '../nn/conv';
import type { OnnxGraph, OnnxValue } from './graph';
import { registerOnnxExporter } from './registry';
import { paramName } from './exporters';
import { checkChannels, onnxPads, windowDim } from './spatial';

type AnyConv = Conv1d | Conv2d | ConvTranspose2d;

/**
 * Pads [begins, ends] per spatial dim: 'same' as PyTorch splits it (the odd
 * extra row or column of an even window goes to the end), 'valid' none.
 */
function convPads(m: AnyConv): [number[], number[]] {
  const { padding, kernelSize, dilation } = m;
  if (padding === 'valid') return [kernelSize.map(() => 0), kernelSize.map(() => 0)];
  if (padding === 'same') {
    const total = kernelSize.map((k, i) => dilation[i] * (k - 1));
    const begin = total.map((t) => t >> 1);
    return [begin, total.map((t, i) => t - begin[i])];
  }
  return [[...padding], [...padding]];
}

function exportConv(g: OnnxGraph, m: AnyConv, x: OnnxValue, path: string): OnnxValue {
  const { kernelSize: k, stride: s, dilation: d, groups, transposed } = m;
  checkChannels(x, m.inChannels, m, path);
  const spatial = x.shape.slice(2);
  const [begin, end] = convPads(m);
  const out = spatial.map((dim, i) => windowDim(dim, {
    begin: begin[i], end: end[i], span: d[i] * (k[i] - 1) + 1, stride: s[i],
    ...(transposed ? { transposed: { outputPadding: m.outputPadding[i] } } : {}),
  }));
  const w = g.parameter(paramName(path, 'weight'), m.weight as Tensor);
  const inputs = m.bias === null ? [x.name, w] : [x.name, w, g.parameter(paramName(path, 'bias'), m.bias as Tensor)];
  const attributes = {
    kernel_shape: k, strides: s, dilations: d, group: groups, pads: onnxPads(begin, end),
    ...(transposed ? { output_padding: m.outputPadding } : {}),
  };
  return g.node(transposed ? 'ConvTranspose' : 'Conv', inputs, [x.shape[0], m.outChannels, ...out], path, attributes);
}

registerOnnxExporter(Conv1d, exportConv);
registerOnnxExporter(Conv2d, exportConv);
registerOnnxExporter(ConvTranspose2d, exportConv);
