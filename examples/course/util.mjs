/** Small helpers shared by the course examples. */
import * as torch from 'torchlet';

/** Fraction of rows whose argmax over `logits` [N, C] equals the int32 `labels` [N]. */
export function accuracy(logits, labels) {
  return torch.noGrad(() => logits.argmax(1).eq(labels).sum().item()) / labels.shape[0];
}

/** Feature-wise mean and std of `x` [N, D] (from the training split only), and a function applying them. */
export function standardizer(x) {
  const mean = x.mean(0, true);
  const std = x.sub(mean).pow(2).mean(0, true).sqrt().add(1e-8);
  return (t) => t.sub(mean).div(std);
}

/** Splits tensors row-wise by a seeded permutation into [first `n` rows, the rest]. */
export function splitRows(tensors, n, generator) {
  const perm = generator.permutation(tensors[0].shape[0]);
  const first = torch.tensor(perm.subarray(0, n), { dtype: 'int32' });
  const rest = torch.tensor(perm.subarray(n), { dtype: 'int32' });
  return [tensors.map((t) => t.index(first)), tensors.map((t) => t.index(rest))];
}

/** `[step, value]` pairs of a loss history, thinned to at most `max` points for the charts. */
export function curve(values, max = 400) {
  const stride = Math.max(1, Math.ceil(values.length / max));
  const out = [];
  for (let i = 0; i < values.length; i += stride) out.push([i + 1, values[i]]);
  if ((values.length - 1) % stride !== 0) out.push([values.length, values[values.length - 1]]);
  return out;
}

/**
 * The course's full-batch training loop: forward, loss, zeroGrad, backward, step
 * (then the scheduler, if any), `steps` times, with a progress bar.
 * @param {{ model: import('torchlet').nn.Module, lossFn: { forward(p: import('torchlet').Tensor, t: import('torchlet').Tensor): import('torchlet').Tensor },
 *           opt: import('torchlet').optim.Optimizer, schedule?: { step(): void }, x: import('torchlet').Tensor, y: import('torchlet').Tensor,
 *           steps: number, bar: { update(step: number, loss: number): void, stop(): void } }} options
 * @returns {number[]} the loss at every step
 */
export function trainFullBatch({ model, lossFn, opt, schedule, x, y, steps, bar }) {
  const losses = [];
  for (let step = 1; step <= steps; step++) {
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    schedule?.step();
    losses.push(loss.item());
    bar.update(step, loss.item());
  }
  bar.stop();
  return losses;
}

/**
 * The course's mini-batch training loop: per epoch, every batch of `loader`
 * (forward, loss, zeroGrad, backward, with `maxNorm` the gradients clipped to
 * that norm by nn.utils.clipGradNorm_, step), then the scheduler (if any) and,
 * in eval mode, `evaluate()` (the held-out accuracy, if given), with a progress bar.
 * @param {{ model: import('torchlet').nn.Module, lossFn: { forward(p: import('torchlet').Tensor, t: import('torchlet').Tensor): import('torchlet').Tensor },
 *           opt: import('torchlet').optim.Optimizer, schedule?: { step(): void }, loader: Iterable<[import('torchlet').Tensor, import('torchlet').Tensor]>,
 *           epochs: number, maxNorm?: number, evaluate?: () => number, bar: { update(step: number, loss: number): void, stop(): void } }} options
 * @returns {{ losses: number[], gradNorms: number[], epochLog: { epoch: number, loss: number, testAccuracy?: number }[] }} the loss of
 *   every mini-batch, the gradient norm before clipping at every step (with `maxNorm`), and per epoch the mean training loss
 *   and the held-out accuracy
 */
export function trainEpochs({ model, lossFn, opt, schedule, loader, epochs, maxNorm, evaluate, bar }) {
  const losses = [];
  const gradNorms = [];
  const epochLog = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train();
    let sum = 0;
    let batches = 0;
    for (const [xb, yb] of loader) {
      const loss = lossFn.forward(model.forward(xb), yb);
      opt.zeroGrad();
      loss.backward();
      if (maxNorm !== undefined) gradNorms.push(torch.nn.utils.clipGradNorm_(model.parameters(), maxNorm).item());
      opt.step();
      losses.push(loss.item());
      sum += losses[losses.length - 1];
      batches++;
    }
    schedule?.step();
    model.eval();
    epochLog.push({ epoch, loss: sum / batches, ...(evaluate === undefined ? {} : { testAccuracy: evaluate() }) });
    bar.update(epoch, sum / batches);
  }
  bar.stop();
  return { losses, gradNorms, epochLog };
}
