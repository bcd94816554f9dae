/**
 * nn.Parameter. A parameter is a plain leaf Tensor that a Module trains, not a
 * subclass: every op constructs plain Tensors, so a subclass would leak out of
 * (or be lost by) the ops. Parameters are remembered in a WeakSet instead,
 * which is how registerParameter tells a frozen Parameter from a raw tensor.
 */
import { Tensor } from '../tensor';
import { isFloat } from '../dtype';
import { describe, fmtShape } from '../shape';

const parameters = new WeakSet<Tensor>();

/**
 * Wraps `data` as a parameter (PyTorch's `nn.Parameter(data, requires_grad)`):
 * a new leaf sharing `data`'s storage, requiring grad unless `requiresGrad` is
 * false (a frozen parameter).
 *
 * @param data the values (shared, not copied)
 * @param requiresGrad false for a frozen parameter (default true)
 * @returns the parameter, a leaf tensor
 */
export function Parameter(data: Tensor, requiresGrad = true): Tensor {
  if (!(data instanceof Tensor)) throw new TypeError(`Parameter: expected a Tensor, got ${describe(data)}`);
  const p = data.detach();
  if (requiresGrad) {
    if (!isFloat(p.dtype)) {
      throw new TypeError(`Parameter: only float tensors can require gradients, got dtype ${p.dtype}; pass requiresGrad=false or convert with .float()`);
    }
    p.requiresGrad = true;
  }
  parameters.add(p);
  return p;
}

/**
 * True for tensors made by `Parameter()` or registered with `Module.registerParameter`.
 *
 * @param t any value
 * @returns whether it was made by `Parameter` (or registered as one)
 */
export function isParameter(t: unknown): boolean {
  return t instanceof Tensor && parameters.has(t);
}

/**
 * Turns a tensor handed to `registerParameter` into a parameter in place, so
 * the caller's reference stays the trained tensor. A raw leaf starts requiring
 * grad (what `this.registerParameter('w', torch.randn(3))` means); a tensor
 * already made by `Parameter(t, false)` keeps its frozen state.
 * @internal
 */
export function adoptParameter(name: string, t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`registerParameter: cannot assign ${describe(t)} to parameter '${name}' (a Tensor or null required)`);
  if (parameters.has(t)) return t;
  if (!t.isLeaf) {
    throw new Error(`registerParameter: cannot assign a non-leaf Tensor (shape ${fmtShape(t.shape)}, produced by ${t.gradFn?.name}) to parameter '${name}'. ` +
      `Model parameters must be created explicitly; to express '${name}' as a function of another Tensor, compute it in forward().`);
  }
  if (!isFloat(t.dtype)) {
    throw new TypeError(`registerParameter: parameter '${name}' must be a float tensor to require gradients, got dtype ${t.dtype}; use Parameter(t, false) for a frozen one`);
  }
  t.requiresGrad = true;
  parameters.add(t);
  return t;
}
