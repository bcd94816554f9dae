/**
 * Lesson 03: binary classification by logistic regression,
 * H(X) = sigmoid(XW + b), cost = mean(−y·log H − (1 − y)·log(1 − H)), on the
 * course's six points. The cost is written out as in the course and checked
 * against nn.functional.binaryCrossEntropy; the decision boundary is the line
 * XW + b = 0 (H = 0.5).
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';

export const X_TRAIN = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]];
export const Y_TRAIN = [[0], [0], [0], [1], [1], [1]];

/**
 * @param {{ epochs?: number, lr?: number, log?: (line: string) => void,
 *           track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ epochs = 1000, lr = 1, log = () => {}, track = silentTrack } = {}) {
  const F = torch.nn.functional;
  const x = torch.tensor(X_TRAIN);
  const y = torch.tensor(Y_TRAIN);
  const W = torch.zeros([2, 1], { requiresGrad: true });
  const b = torch.zeros([1], { requiresGrad: true });
  const opt = new torch.optim.SGD([W, b], { lr });
  const hypothesis = (input) => input.matmul(W).add(b).sigmoid();
  /** The course's cost, term by term. */
  const bce = (h, target) => target.mul(h.log()).add(target.neg().add(1).mul(h.neg().add(1).log())).neg().mean();

  const h0 = hypothesis(x);
  log(`H(X) = sigmoid(XW + b) on ${X_TRAIN.length} points, W and b from zeros, SGD lr ${lr}`);
  log(`cost at W = 0: by hand ${bce(h0, y).item().toFixed(6)}, F.binaryCrossEntropy ${F.binaryCrossEntropy(h0, y).item().toFixed(6)} (= ln 2)`);

  const losses = [];
  const bar = track('logistic regression', { total: epochs, unit: 'epoch', samplesPerUnit: X_TRAIN.length });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const cost = bce(hypothesis(x), y);
    opt.zeroGrad();
    cost.backward();
    opt.step();
    losses.push(cost.item());
    bar.update(epoch, cost.item());
  }
  bar.stop();

  const h = torch.noGrad(() => hypothesis(x));
  const correct = h.ge(0.5).eq(y).sum().item();
  const accuracy = correct / X_TRAIN.length;
  const [w1, w2] = W.toArray().map((r) => r[0]);
  const bias = b.item();
  const finalCost = losses[losses.length - 1];
  log(`after ${epochs} epochs: cost ${finalCost.toFixed(6)}, W = [${w1.toFixed(4)}, ${w2.toFixed(4)}], b = ${bias.toFixed(4)}`);
  log('x1 x2 | y | H(x)   | predicted');
  h.toArray().forEach((p, i) => log(` ${X_TRAIN[i][0]}  ${X_TRAIN[i][1]} | ${Y_TRAIN[i][0]} | ${p[0].toFixed(4)} | ${p[0] >= 0.5 ? 1 : 0}`));
  const boundary = `${w1.toFixed(3)}·x1 ${w2 < 0 ? '−' : '+'} ${Math.abs(w2).toFixed(3)}·x2 ${bias < 0 ? '−' : '+'} ${Math.abs(bias).toFixed(3)} = 0`;
  log(`accuracy ${correct}/${X_TRAIN.length}; decision boundary ${boundary}`);

  return {
    accuracy, finalCost, W: [w1, w2], b: bias,
    summary: `accuracy ${correct}/${X_TRAIN.length}, BCE ${finalCost.toFixed(4)}`,
    charts: [
      { kind: 'line', file: '03-logistic-regression-loss', title: 'Logistic regression: binary cross-entropy per epoch', xTitle: 'epoch', yTitle: 'BCE', logY: true,
        series: { 'sigmoid(XW + b)': losses.map((v, i) => [i + 1, v]) } },
      { kind: 'boundary', file: '03-logistic-regression-boundary', title: 'Logistic regression: H(x) and the line H = 0.5',
        domain: [[0, 7], [0, 4]], classes: ['0', '1'], probability: true,
        points: X_TRAIN.map((p, i) => [p[0], p[1], Y_TRAIN[i][0]]),
        panels: [{ title: boundary,
          predict: (grid) => torch.noGrad(() => hypothesis(torch.tensor(grid))).toArray().map((r) => r[0]) }] },
    ],
  };
}
