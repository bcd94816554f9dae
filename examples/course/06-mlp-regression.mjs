/**
 * Lesson 06: regression with an MLP against a linear model, on
 * y = 2·sin(x1) + log(x2² / 2).
 * Reading of the data: x1 ~ U(−π, π) (one period of the sine) and
 * x2 ~ U(0.5, 3) (away from 0, where log(x2²/2) diverges), no noise; 1000
 * training and 500 held-out points from a seeded generator. Both models are
 * trained full-batch with Adam (lr 0.03, cosine-annealed) on MSELoss; the MLP
 * is 2-64-64-1 with ReLU.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { curve, trainFullBatch } from './util.mjs';

/** The target function. */
export const target = (x1, x2) => 2 * Math.sin(x1) + Math.log((x2 * x2) / 2);

/** `n` points (x [n, 2], y [n, 1]) drawn from `generator`. */
export function makeData(n, generator) {
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = -Math.PI + 2 * Math.PI * generator.random();
    const x2 = 0.5 + 2.5 * generator.random();
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i] = target(x1, x2);
  }
  return [torch.tensor(x).reshape(n, 2), torch.tensor(y).reshape(n, 1)];
}

/**
 * @param {{ steps?: number, lr?: number, seed?: number, nTrain?: number, nTest?: number, hidden?: number,
 *           log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ steps = 1000, lr = 0.03, seed = 0, nTrain = 1000, nTest = 500, hidden = 64, log = () => {}, track = silentTrack } = {}) {
  const { nn } = torch;
  torch.manualSeed(seed);
  const generator = new torch.Generator(seed);
  const [xTrain, yTrain] = makeData(nTrain, generator);
  const [xTest, yTest] = makeData(nTest, generator);
  const lossFn = new nn.MSELoss();
  const variance = yTest.sub(yTest.mean()).pow(2).mean().item();
  log(`y = 2 sin(x1) + log(x2²/2), x1 ~ U(−π, π), x2 ~ U(0.5, 3): ${nTrain} train / ${nTest} held-out points, held-out variance of y ${variance.toFixed(3)}`);

  const models = {
    linear: new nn.Linear(2, 1),
    [`MLP 2-${hidden}-${hidden}-1`]: new nn.Sequential(new nn.Linear(2, hidden), new nn.ReLU(), new nn.Linear(hidden, hidden), new nn.ReLU(), new nn.Linear(hidden, 1)),
  };
  const results = {};
  for (const [name, model] of Object.entries(models)) {
    const opt = new torch.optim.Adam(model.parameters(), { lr });
    const schedule = new torch.optim.lrScheduler.CosineAnnealingLR(opt, steps);
    const bar = track(`regression: ${name.split(' ')[0]}`, { total: steps, unit: 'step', samplesPerUnit: nTrain });
    const losses = trainFullBatch({ model, lossFn, opt, schedule, x: xTrain, y: yTrain, steps, bar });
    const testMSE = torch.noGrad(() => lossFn.forward(model.forward(xTest), yTest)).item();
    results[name] = { losses, trainMSE: losses[losses.length - 1], testMSE };
    log(`${name.padEnd(16)} train MSE ${results[name].trainMSE.toFixed(4)}, held-out MSE ${testMSE.toFixed(4)} (R² ${(1 - testMSE / variance).toFixed(3)})`);
  }
  const [linear, mlp] = Object.values(results);
  log(`the MLP's held-out error is ${(linear.testMSE / mlp.testMSE).toFixed(0)}× smaller than the linear model's`);

  return {
    linearMSE: linear.testMSE, mlpMSE: mlp.testMSE,
    summary: `held-out MSE: MLP ${mlp.testMSE.toFixed(4)}, linear ${linear.testMSE.toFixed(3)}`,
    charts: [
      { kind: 'line', file: '06-mlp-regression-loss', title: 'y = 2 sin(x1) + log(x2²/2): training MSE per step', xTitle: 'step', yTitle: 'MSE', logY: true,
        series: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, curve(r.losses)])) },
    ],
  };
}
