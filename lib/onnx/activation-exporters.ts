/**
 * Exporters of GELU (Gelu from opset 20, its Erf or Tanh formula before),
 * SiLU (x·Sigmoid(x)), ELU (Elu) and Softplus (Softplus; PyTorch's beta and
 * threshold as a formula around it).
 */
import { GELU, SiLU, ELU, Softplus } from '../nn/activation';
import type { GeluApproximate } from '../ops/activation';
import type { OnnxGraph, OnnxValue } from './graph';
import { registerOnnxExporter } from './registry';

/** `opType(a, b)` elementwise (b may be a scalar constant): the shape of `a`. */
const binary = (g: OnnxGraph, opType: string, a: OnnxValue, b: string, path: string): OnnxValue => g.node(opType, [a.name, b], a.shape, path);

/** x·Φ(x) = x·(1 + erf(x/√2))/2, or x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2: PyTorch's formulas. */
function geluFormula(g: OnnxGraph, approximate: GeluApproximate, x: OnnxValue, path: string): OnnxValue {
  const c = (name: string, v: number): string => g.floatConstant(`${path}/${name}`, [v]);
  let inner: OnnxValue;
  if (approximate === 'tanh') {
    const cube = binary(g, 'Mul', binary(g, 'Mul', x, x.name, path), x.name, path);
    const sum = binary(g, 'Add', binary(g, 'Mul', cube, c('coef', 0.044715), path), x.name, path);
    inner = g.node('Tanh', [binary(g, 'Mul', sum, c('sqrt_2_over_pi', Math.sqrt(2 / Math.PI)), path).name], x.shape, path);
  } else {
    inner = g.node('Erf', [binary(g, 'Mul', x, c('inv_sqrt2', Math.SQRT1_2), path).name], x.shape, path);
  }
  const onePlus = binary(g, 'Add', inner, c('one', 1), path);
  return binary(g, 'Mul', binary(g, 'Mul', onePlus, x.name, path), c('half', 0.5), path);
}

/** GELU of `x`: the Gelu operator from opset 20, PyTorch's formula before. */
export function exportGelu(g: OnnxGraph, approximate: GeluApproximate, x: OnnxValue, path: string): OnnxValue {
  return g.opset >= 20 ? g.node('Gelu', [x.name], x.shape, path, { approximate }) : geluFormula(g, approximate, x, path);
}

/** SiLU of `x`: x·Sigmoid(x). */
export const exportSilu = (g: OnnxGraph, x: OnnxValue, path: string): OnnxValue => binary(g, 'Mul', x, g.node('Sigmoid', [x.name], x.shape, path).name, path);

registerOnnxExporter(GELU, (g, m, x, path) => exportGelu(g, m.approximate, x, path));
registerOnnxExporter(SiLU, (g, _m, x, path) => exportSilu(g, x, path));

registerOnnxExporter(ELU, (g, m, x, path) => g.node('Elu', [x.name], x.shape, path, { alpha: { float: m.alpha } }));

/** ONNX's Softplus is log(1 + eˣ); PyTorch's is that of beta·x over beta, and x itself where beta·x > threshold. */
registerOnnxExporter(Softplus, (g, m, x, path) => {
  const scaled = m.beta === 1 ? x : binary(g, 'Mul', x, g.floatConstant(`${path}/beta`, [m.beta]), path);
  const soft = g.node('Softplus', [scaled.name], x.shape, path);
  const y = m.beta === 1 ? soft : binary(g, 'Div', soft, g.floatConstant(`${path}/beta`, [m.beta]), path);
  const linear = g.node('Greater', [scaled.name, g.floatConstant(`${path}/threshold`, [m.threshold])], x.shape, path);
  return g.node('Where', [linear.name, x.name, y.name], x.shape, path);
});
