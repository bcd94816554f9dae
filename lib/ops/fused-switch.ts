/**
 * The fusion switch: whether nn.Sequential, the losses and the optimizers use
 * the fused one-pass kernels (default) or the op-by-op composite path they
 * replace (for comparison tests and benchmarks). Starts from the environment:
 * TORCHLET_FUSION=0 disables fusion.
 */
let enabled = process.env.TORCHLET_FUSION !== '0';

/** True when the fused kernels are used. */
export function fusionEnabled(): boolean {
  return enabled;
}

/**
 * Turns fusion on or off for every later forward, loss and optimizer step; returns the previous setting.
 *
 * @param on false runs the op-by-op path
 */
export function setFusion(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError(`setFusion: expected a boolean, got ${typeof on}`);
  const previous = enabled;
  enabled = on;
  return previous;
}
