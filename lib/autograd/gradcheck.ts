/** Finite-difference check of backward rules (PyTorch's torch.autograd.gradcheck). */
import { Tensor } from '../tensor';
import { noGrad } from './grad-mode';
import { fmtShape } from '../shape';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Tolerances of gradcheck: |analytical − numerical| ≤ atol + rtol·|numerical| per entry. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Return false instead of throwing on a mismatch (default false: throw). */
  raiseException?: boolean;
}

const GRADCHECK = defineOptions<GradcheckOptions>('gradcheck', { eps: true, atol: true, rtol: true, raiseException: true });

/**
 * Compares the Jacobian that backward computes with central finite differences,
 * for every float64 input that requires grad. `fn` may return one tensor or an
 * array of tensors. Throws an error describing the first mismatch (or returns
 * false with `raiseException: false`); returns true when all entries agree.
 *
 * @param fn the function to check; it returns a tensor or an array of tensors
 * @param inputs its inputs (float64, requiring grad, for a meaningful check)
 * @param options `eps`, `atol`, `rtol`, `raiseException`
 * @returns true when the analytic and numeric gradients agree
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  rejectUnknownOptions(options, GRADCHECK);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const targets = inputs.filter((t) => t instanceof Tensor && t.requiresGrad);
  if (targets.length === 0) throw new Error('gradcheck: no input requires grad');
  for (const t of targets) {
    if (t.dtype !== 'float64') throw new TypeError(`gradcheck: inputs must be float64 for a meaningful check, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
  }
  const outputsOf = (): Tensor[] => {
    const r = fn(...inputs);
    return Array.isArray(r) ? r : [r];
  };
  const base = noGrad(outputsOf);
  for (let o = 0; o < base.length; o++) {
    const nOut = base[o].numel();
    for (const [ti, t] of targets.entries()) {
      // numerical[j][i] = d out[i] / d t[j]
      const numerical: Float64Array[] = [];
      const data = t.data;
      for (let j = 0; j < data.length; j++) {
        const orig = data[j];
        data[j] = orig + eps;
        const plus = noGrad(outputsOf)[o].to('float64').data;
        data[j] = orig - eps;
        const minus = noGrad(outputsOf)[o].to('float64').data;
        data[j] = orig;
        const col = new Float64Array(nOut);
        for (let i = 0; i < nOut; i++) col[i] = (plus[i] - minus[i]) / (2 * eps);
        numerical.push(col);
      }
      for (let i = 0; i < nOut; i++) {
        for (const x of targets) x.grad = null;
        const out = outputsOf()[o];
        if (!out.requiresGrad) {
          if (numerical.some((c) => c[i] !== 0)) return fail(`output ${o} does not require grad but its numerical gradient is non-zero`, raiseException);
          continue;
        }
        const seed = new Float64Array(nOut);
        seed[i] = 1;
        out.backward(new Tensor(seed, out.shape).to(out.dtype));
        const g = t.grad as Tensor | null;
        for (let j = 0; j < data.length; j++) {
          const a = g === null ? 0 : g.data[j];
          const nv = numerical[j][i];
          if (!(Math.abs(a - nv) <= atol + rtol * Math.abs(nv))) {
            return fail(`Jacobian mismatch for output ${o} (shape ${fmtShape(out.shape)}) element ${i} with respect to input ${inputs.indexOf(t)} (shape ${fmtShape(t.shape)}) element ${j}: ` +
              `analytical ${a}, numerical ${nv} (input #${ti} of those requiring grad)`, raiseException);
          }
        }
      }
    }
  }
  for (const x of targets) x.grad = null;
  return true;
}

function fail(message: string, raise: boolean): false {
  if (raise) throw new Error(`gradcheck: ${message}`);
  return false;
}
