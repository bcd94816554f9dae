/**
 * Lesson 07: classification with an MLP against a linear model, on 3-class
 * radial data.
 * Reading of the data: each point has an angle θ ~ U(0, 2π) and a radius
 * r ~ U(0, 3); its class is ⌊r⌋ (0: the disc r < 1, 1: the ring 1 ≤ r < 2,
 * 2: the ring 2 ≤ r < 3) and its features are (r·cos θ, r·sin θ). No line
 * separates a disc from the ring around it, so softmax regression (linear)
 * does little better than guessing the most frequent class; a 2-64-64-3 ReLU
 * MLP draws the circles. 1500 training and 500 held-out points, full-batch Adam
 * (lr 0.01, cosine-annealed) on CrossEntropyLoss.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { accuracy, curve, trainFullBatch } from './util.mjs';

/** `n` points (x [n, 2] float32, labels [n] int32) drawn from `generator`. */
export function makeData(n, generator) {
  const x = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const theta = 2 * Math.PI * generator.random();
    const r = 3 * generator.random();
    x[2 * i] = r * Math.cos(theta);
    x[2 * i + 1] = r * Math.sin(theta);
    labels[i] = Math.floor(r);
  }
  return [torch.tensor(x).reshape(n, 2), torch.tensor(labels, { dtype: 'int32' })];
}

/**
 * @param {{ steps?: number, lr?: number, seed?: number, nTrain?: number, nTest?: number, hidden?: number,
 *           log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ steps = 500, lr = 0.01, seed = 0, nTrain = 1500, nTest = 500, hidden = 64, log = () => {}, track = silentTrack } = {}) {
  const { nn } = torch;
  torch.manualSeed(seed);
  const generator = new torch.Generator(seed);
  const [xTrain, yTrain] = makeData(nTrain, generator);
  const [xTest, yTest] = makeData(nTest, generator);
  const lossFn = new nn.CrossEntropyLoss();
  log(`3 classes by radius: θ ~ U(0, 2π), r ~ U(0, 3), class ⌊r⌋, point (r cos θ, r sin θ); ${nTrain} train / ${nTest} held-out`);

  const models = {
    linear: new nn.Linear(2, 3),
    [`MLP 2-${hidden}-${hidden}-3`]: new nn.Sequential(new nn.Linear(2, hidden), new nn.ReLU(), new nn.Linear(hidden, hidden), new nn.ReLU(), new nn.Linear(hidden, 3)),
  };
  const results = {};
  for (const [name, model] of Object.entries(models)) {
    const opt = new torch.optim.Adam(model.parameters(), { lr });
    const schedule = new torch.optim.lrScheduler.CosineAnnealingLR(opt, steps);
    const bar = track(`radial: ${name.split(' ')[0]}`, { total: steps, unit: 'step', samplesPerUnit: nTrain });
    const losses = trainFullBatch({ model, lossFn, opt, schedule, x: xTrain, y: yTrain, steps, bar });
    const testAccuracy = torch.noGrad(() => accuracy(model.forward(xTest), yTest));
    results[name] = { model, losses, finalLoss: losses[losses.length - 1], testAccuracy };
    log(`${name.padEnd(16)} loss ${results[name].finalLoss.toFixed(4)}, held-out accuracy ${(100 * testAccuracy).toFixed(1)}%`);
  }
  const [linear, mlp] = Object.values(results);
  const predictor = (model) => (grid) => Array.from(torch.noGrad(() => model.forward(torch.tensor(grid)).argmax(1)).data);

  return {
    linearAccuracy: linear.testAccuracy, mlpAccuracy: mlp.testAccuracy,
    summary: `held-out accuracy: MLP ${(100 * mlp.testAccuracy).toFixed(1)}%, linear ${(100 * linear.testAccuracy).toFixed(1)}%`,
    charts: [
      { kind: 'line', file: '07-mlp-radial-loss', title: 'Radial 3-class data: cross-entropy per step', xTitle: 'step', yTitle: 'cross-entropy', logY: true,
        series: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, curve(r.losses)])) },
      { kind: 'boundary', file: '07-mlp-radial-boundary', title: 'Radial 3-class data: decision regions', domain: [[-3, 3], [-3, 3]],
        classes: ['0 (r < 1)', '1 (1 ≤ r < 2)', '2 (2 ≤ r < 3)'],
        points: (() => { const xs = xTest.toArray(); return xs.slice(0, 300).map((p, i) => [p[0], p[1], yTest.data[i]]); })(),
        panels: Object.entries(results).map(([name, r]) => ({ title: `${name}: ${(100 * r.testAccuracy).toFixed(1)}%`, predict: predictor(r.model) })) },
    ],
  };
}
