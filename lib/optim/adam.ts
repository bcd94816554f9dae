/** Adam (Kingma & Ba) with PyTorch's L2 weight decay, AMSGrad and maximize. */
import { AdamBase, type AdamVariant } from './adam-base';
import type { AdamState } from './adam-update';
import type { AdamGroupOptions, AdamOptions } from './adam-options';

/**
 * Adam, PyTorch's `torch.optim.Adam`. Per parameter, in PyTorch's order:
 * g ← −g if maximize; g ← g + λθ; m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
 * denom = √v̂/√(1−β2ᵗ) + eps (v̂ = max of all v with amsgrad, else v);
 * θ ← θ − lr/(1−β1ᵗ)·m/denom.
 *
 * @example
 * ```ts
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 * ```
 */
export class Adam extends AdamBase {
  /** @internal */
  protected static override readonly variant: AdamVariant = { where: 'Adam', weightDecay: 0, decoupled: false };
}

export type { AdamOptions, AdamGroupOptions, AdamState };
