/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay. */
import { AdamBase, type AdamVariant } from './adam-base';

/**
 * torch.optim.AdamW: as Adam, but the decay shrinks the parameter directly,
 * θ ← θ(1 − lr·λ), before the moments are updated, instead of adding λθ to
 * the gradient. weightDecay defaults to 1e-2.
 *
 *   const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends AdamBase {
  /** @internal */
  protected static override readonly variant: AdamVariant = { where: 'AdamW', weightDecay: 1e-2, decoupled: true };
}
