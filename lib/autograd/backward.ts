/** `Tensor.backward`: checks the seed gradient and runs the engine. */
import { defineMethods, Tensor } from '../tensor';
import { fmtShape } from '../shape';
import { onesLike } from '../ops/creation';
import { detach, to } from '../ops/convert';
import { runBackward, type BackwardOptions } from './engine';
import { defineOptions, readable, rejectUnknownOptions } from '../options';

const BACKWARD = defineOptions<BackwardOptions>('Tensor.backward', { retainGraph: true });

declare module '../tensor' {
  interface Tensor {
    /**
     * Computes gradients of this tensor with respect to every leaf that requires
     * grad, accumulating them into `.grad` (PyTorch's `Tensor.backward`). A
     * non-scalar tensor needs `gradient` (the vector of the vector-Jacobian
     * product), as in PyTorch. Options may also come first when there is no
     * gradient (`backward({ retainGraph: true })`).
     *
     * @param gradient the gradient with respect to this tensor (default: 1 for a one-element tensor), or the options
     * @param options `retainGraph`: keep the graph for another backward
     *
     * @example
     * ```ts
     * const w = torch.randn(3, { requiresGrad: true });
     * w.mul(w).sum().backward();
     * w.grad;   // 2·w
     * ```
     */
    backward(gradient?: Tensor | BackwardOptions, options?: BackwardOptions): void;
  }
}

defineMethods({
  backward(gradient, options) {
    if (gradient !== null && typeof gradient === 'object' && !(gradient instanceof Tensor) && options === undefined) [gradient, options] = [undefined, gradient];
    rejectUnknownOptions(options, BACKWARD);
    if (!this.requiresGrad) {
      throw new Error('backward: tensor does not require grad and has no gradFn (did you create it under noGrad or forget requiresGrad?)');
    }
    let g: Tensor;
    if (gradient === undefined || gradient === null) {
      if (this.numel() !== 1) {
        throw new Error(`backward: grad can be implicitly created only for scalar outputs; this tensor has shape ${fmtShape(this.shape)}, pass a gradient of that shape`);
      }
      g = onesLike(this);
    } else {
      if (!(gradient instanceof Tensor)) throw new TypeError(`backward: gradient must be a Tensor, got ${readable(gradient)}`);
      if (gradient.numel() !== this.numel() || gradient.ndim !== this.ndim || gradient.shape.some((d, i) => d !== this.shape[i])) {
        throw new RangeError(`backward: gradient has shape ${fmtShape(gradient.shape)}, expected ${fmtShape(this.shape)}`);
      }
      g = detach(gradient.dtype === this.dtype ? gradient : to(gradient, this.dtype));
    }
    runBackward(this, g, options);
  },
});
