/**
 * Lesson 01: linear regression H(x) = w·x, cost = mean squared error, and
 * gradient descent w := w − lr·dcost/dw — first with the gradient written by
 * hand, then with autograd, then with optim.SGD. All three reach the least-
 * squares slope Σxy/Σx² = 345/285 = 1.2105263157894737.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';

export const X = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
export const Y = [1, 1, 2, 4, 5, 7, 8, 9, 9, 10];

/**
 * @param {{ steps?: number, lr?: number, w0?: number, dtype?: 'float32' | 'float64',
 *           log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ steps = 100, lr = 0.01, w0 = 1.4, dtype = 'float32', log = () => {}, track = silentTrack } = {}) {
  const x = torch.tensor(X, { dtype });
  const y = torch.tensor(Y, { dtype });
  /** cost(w) = mean((w·x − y)²); w a number or a tensor. */
  const cost = (w) => x.mul(w).sub(y).pow(2).mean();
  const digits = dtype === 'float64' ? 17 : 8;
  const show = (v) => String(Number(v.toPrecision(digits)));

  const costAt4 = cost(4).item();
  log(`H(x) = w·x on x = 0..9, y = [${Y.join(', ')}] (${dtype})`);
  log(`cost(w = 4) = ${show(costAt4)}`);
  const costCurve = [];
  for (let w = -3; w <= 5.0001; w += 0.1) costCurve.push([w, cost(w).item()]);

  // 1. The gradient by hand: dcost/dw = mean(2(w·x − y)·x); the update under noGrad.
  const w = torch.tensor(w0, { dtype });
  const hand = [];
  let bar = track('linreg: by hand', { total: steps, unit: 'step', samplesPerUnit: X.length });
  for (let step = 1; step <= steps; step++) {
    hand.push(cost(w).item());
    const grad = x.mul(w).sub(y).mul(x).mul(2).mean();
    torch.noGrad(() => w.sub_(grad, lr));
    bar.update(step, hand[hand.length - 1]);
  }
  bar.stop();
  const wHand = w.item();
  log(`hand-written gradient, ${steps} steps, lr ${lr}, from w = ${w0}: w = ${show(wHand)}`);

  // 2. Autograd: cost.backward() fills w.grad.
  const wa = torch.tensor(w0, { dtype, requiresGrad: true });
  const auto = [];
  bar = track('linreg: autograd', { total: steps, unit: 'step', samplesPerUnit: X.length });
  for (let step = 1; step <= steps; step++) {
    wa.grad = null;
    const c = cost(wa);
    c.backward();
    torch.noGrad(() => wa.sub_(wa.grad, lr));
    auto.push(c.item());
    bar.update(step, c.item());
  }
  bar.stop();
  const wAutograd = wa.item();
  log(`autograd,              ${steps} steps, lr ${lr}, from w = ${w0}: w = ${show(wAutograd)}`);

  // 3. optim.SGD does the same update.
  const ws = torch.tensor(w0, { dtype, requiresGrad: true });
  const opt = new torch.optim.SGD([ws], { lr });
  for (let step = 1; step <= steps; step++) {
    opt.zeroGrad();
    cost(ws).backward();
    opt.step();
  }
  const wSGD = ws.item();
  log(`optim.SGD,             ${steps} steps, lr ${lr}, from w = ${w0}: w = ${show(wSGD)}`);
  log(`least squares Σxy/Σx² = 345/285 = ${345 / 285}`);
  const finalCost = cost(wAutograd).item();

  return {
    costAt4, wHand, wAutograd, wSGD, finalCost,
    summary: `w = ${show(wAutograd)}, cost ${finalCost.toPrecision(4)}`,
    charts: [
      { kind: 'line', file: '01-linear-regression-cost', title: 'cost(w) = mean((w·x − y)²)', xTitle: 'w', yTitle: 'cost',
        series: { 'cost(w)': costCurve } },
      { kind: 'line', file: '01-linear-regression-loss', title: 'Linear regression: cost per gradient step', xTitle: 'step', yTitle: 'cost', logY: true,
        series: { 'hand-written gradient': hand.map((v, i) => [i + 1, v]), autograd: auto.map((v, i) => [i + 1, v]) } },
    ],
  };
}
