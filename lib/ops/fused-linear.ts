/**
 * linearAct(x, w, b, act): act(x·wᵀ + b) as ONE tape node on the fused
 * linearForward / linearBackward kernels. Equal to act(linear(x, w, b)) — the
 * composite it replaces — forward and backward.
 */
import type { Tensor } from '../tensor';
import { ACT_LEAKY_RELU, ACT_NONE, ACT_RELU, ACT_SIGMOID, ACT_TANH, type Float } from '../backend/kernels';
import { allocate, release } from '../storage/allocate';
import { checkTensor, emptyForKernel, k, record } from './util';
import { linear } from './matmul';
import { leakyRelu, relu, sigmoid, tanh } from './activation';
import { linearActFits } from './fusion';

/** The activations linearAct fuses. */
export type LinearActivation = 'none' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

const CODES: Record<LinearActivation, number> = {
  none: ACT_NONE, relu: ACT_RELU, leakyRelu: ACT_LEAKY_RELU, sigmoid: ACT_SIGMOID, tanh: ACT_TANH,
};

/** act(linear(x, w, b)) op by op: the unfused path (also used where the kernel's contract does not fit). */
export function linearActComposite(input: Tensor, weight: Tensor, bias: Tensor | null, act: LinearActivation, slope: number): Tensor {
  const z = linear(input, weight, bias);
  switch (act) {
    case 'relu': return relu(z);
    case 'leakyRelu': return leakyRelu(z, slope);
    case 'sigmoid': return sigmoid(z);
    case 'tanh': return tanh(z);
    default: return z;
  }
}

/**
 * y = act(x·weightᵀ + bias) for x [..., in], weight [out, in], bias [out] or
 * null; `slope` is LeakyReLU's negative slope (default 0.01). One GEMM and one
 * pass over its output forward; one pass and two GEMMs backward.
 */
export function linearAct(input: Tensor, weight: Tensor, bias: Tensor | null = null, act: LinearActivation = 'none', slope = 0.01): Tensor {
  checkTensor(input, 'linearAct', 'input');
  checkTensor(weight, 'linearAct', 'weight');
  if (bias !== null) checkTensor(bias, 'linearAct', 'bias');
  if (!(act in CODES)) throw new TypeError(`linearAct: act must be one of ${Object.keys(CODES).join(', ')}, got ${String(act)}`);
  if (typeof slope !== 'number') throw new TypeError(`linearAct: slope must be a number, got ${typeof slope}`);
  if (!linearActFits(input, weight, bias, act === 'leakyRelu', slope)) return linearActComposite(input, weight, bias, act, slope);
  const [outF, inF] = weight.shape;
  let rows = 1;
  for (let d = 0; d < input.ndim - 1; d++) rows *= input.shape[d];
  const outShape = [...input.shape.slice(0, -1), outF];
  const code = CODES[act];
  // The kernels write every element of y, dz, dx, dw and db: no zeroing of reused memory.
  const y = emptyForKernel(outShape, input.dtype, 'linearAct');
  k().linearForward(input.data as Float, weight.data as Float, bias === null ? null : bias.data as Float,
    rows, inF, outF, code, slope, y.data as Float);
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  return record(y, 'LinearActBackward', inputs, (g) => {
    // dz (the activation's gradient) is the kernel's temporary, handed back for
    // reuse right after the call; without an activation it is dy itself (the
    // kernel then skips the pass).
    const dz = act === 'none' ? (g.data as Float) : (allocate(g.dtype, rows * outF, 'linearAct', false) as Float);
    const dx = input.requiresGrad ? emptyForKernel(input.shape, g.dtype, 'linearAct') : null;
    const dw = weight.requiresGrad ? emptyForKernel(weight.shape, g.dtype, 'linearAct') : null;
    const db = bias !== null && bias.requiresGrad ? emptyForKernel(bias.shape, g.dtype, 'linearAct') : null;
    k().linearBackward(input.data as Float, weight.data as Float, y.data as Float, g.data as Float, rows, inF, outF,
      code, slope, dz, dx === null ? null : dx.data as Float, dw === null ? null : dw.data as Float,
      db === null ? null : db.data as Float);
    if (dz !== g.data) release(dz);
    return bias === null ? [dx, dw] : [dx, dw, db];
  }, [input, weight, y]);
}

