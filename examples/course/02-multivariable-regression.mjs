/**
 * Lesson 02: multivariable linear regression H(X) = XW + b on the course's
 * quiz scores (three quizzes → final exam), W [3, 1] and b [1] from zeros,
 * full-batch gradient descent with optim.SGD. The features are not scaled,
 * so the learning rate is small (1e-5), as in the course.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';

export const X_TRAIN = [[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]];
export const Y_TRAIN = [[152], [185], [180], [196], [142]];

/**
 * @param {{ epochs?: number, lr?: number, log?: (line: string) => void,
 *           track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ epochs = 2000, lr = 1e-5, log = () => {}, track = silentTrack } = {}) {
  const x = torch.tensor(X_TRAIN);
  const y = torch.tensor(Y_TRAIN);
  const W = torch.zeros([3, 1], { requiresGrad: true });
  const b = torch.zeros([1], { requiresGrad: true });
  const opt = new torch.optim.SGD([W, b], { lr });
  const hypothesis = () => x.matmul(W).add(b);

  log(`H(X) = XW + b on ${X_TRAIN.length} students × 3 quiz scores, W and b from zeros, SGD lr ${lr}`);
  const losses = [];
  const bar = track('multivariable regression', { total: epochs, unit: 'epoch', samplesPerUnit: X_TRAIN.length });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const cost = hypothesis().sub(y).pow(2).mean();
    opt.zeroGrad();
    cost.backward();
    opt.step();
    losses.push(cost.item());
    bar.update(epoch, cost.item());
  }
  bar.stop();
  const prediction = torch.noGrad(() => hypothesis()).toArray().map((r) => r[0]);
  const finalCost = torch.noGrad(() => hypothesis().sub(y).pow(2).mean()).item();
  log(`after ${epochs} epochs: cost ${finalCost.toFixed(4)}, W = [${W.toArray().map((r) => r[0].toFixed(4)).join(', ')}], b = ${b.item().toFixed(4)}`);
  log('quiz scores     | final | H(X)');
  X_TRAIN.forEach((row, i) => log(`${row.map((v) => String(v).padStart(3)).join(' ')}     |  ${Y_TRAIN[i][0]}  | ${prediction[i].toFixed(2)}`));
  return {
    finalCost, prediction,
    summary: `MSE ${finalCost.toFixed(3)}`,
    charts: [
      { kind: 'line', file: '02-multivariable-regression-loss', title: 'H(X) = XW + b: cost per epoch', xTitle: 'epoch', yTitle: 'cost (MSE)', logY: true,
        series: { 'XW + b': losses.map((v, i) => [i + 1, v]) } },
    ],
  };
}
