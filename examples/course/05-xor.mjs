/**
 * Lesson 05: the single-layer perceptron cannot learn XOR (no line separates
 * {01, 10} from {00, 11}, so at most 3 of 4 come out right); an MLP with one
 * hidden layer can. Both are trained full-batch with BCELoss and SGD, and the
 * truth table each gives is printed.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { trainFullBatch } from './util.mjs';

export const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const Y = [[0], [1], [1], [0]];

/**
 * Trains `model` on XOR; returns its loss history, outputs and accuracy.
 * @param {string} name
 * @param {import('torchlet').nn.Module} model
 * @param {{ steps: number, lr: number, momentum: number, track: import('../tools/progress.mjs').Track }} options
 */
function train(name, model, { steps, lr, momentum, track }) {
  const x = torch.tensor(X);
  const y = torch.tensor(Y);
  const lossFn = new torch.nn.BCELoss();
  const opt = new torch.optim.SGD(model.parameters(), { lr, momentum });
  const bar = track(`XOR: ${name}`, { total: steps, unit: 'step', samplesPerUnit: X.length });
  const losses = trainFullBatch({ model, lossFn, opt, x, y, steps, bar });
  const outputs = torch.noGrad(() => model.forward(x)).toArray().map((r) => r[0]);
  const correct = outputs.filter((p, i) => (p >= 0.5 ? 1 : 0) === Y[i][0]).length;
  return { losses, outputs, correct, finalLoss: losses[losses.length - 1] };
}

/**
 * @param {{ steps?: number, seed?: number, hidden?: number, log?: (line: string) => void,
 *           track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ steps = 2000, seed = 0, hidden = 8, log = () => {}, track = silentTrack } = {}) {
  const { nn } = torch;
  torch.manualSeed(seed);
  const perceptron = new nn.Sequential(new nn.Linear(2, 1), new nn.Sigmoid());
  const mlp = new nn.Sequential(new nn.Linear(2, hidden), new nn.Sigmoid(), new nn.Linear(hidden, 1), new nn.Sigmoid());
  const options = { steps, lr: 1, momentum: 0.9, track };
  log(`XOR, ${steps} full-batch steps of SGD (lr 1, momentum 0.9) on BCELoss`);
  const single = train('perceptron', perceptron, options);
  const multi = train('MLP', mlp, options);

  log(`x1 x2 | XOR | perceptron 2-1 | MLP 2-${hidden}-1`);
  X.forEach(([a, b], i) => {
    const cell = (p) => `${p.toFixed(4)} → ${p >= 0.5 ? 1 : 0}`;
    log(` ${a}  ${b} |  ${Y[i][0]}  | ${cell(single.outputs[i])}  | ${cell(multi.outputs[i])}`);
  });
  log(`perceptron: ${single.correct}/4 correct, loss ${single.finalLoss.toFixed(4)} (stuck near ln 2 = 0.6931: no line separates XOR)`);
  log(`MLP:        ${multi.correct}/4 correct, loss ${multi.finalLoss.toFixed(6)}`);

  const predictor = (model) => (grid) => torch.noGrad(() => model.forward(torch.tensor(grid))).toArray().map((r) => r[0]);
  return {
    perceptron: single, mlp: multi,
    summary: `perceptron ${single.correct}/4, MLP ${multi.correct}/4`,
    charts: [
      { kind: 'line', file: '05-xor-loss', title: 'XOR: BCE per step', xTitle: 'step', yTitle: 'BCE', logY: true,
        series: { 'perceptron 2-1': single.losses.map((v, i) => [i + 1, v]), [`MLP 2-${hidden}-1`]: multi.losses.map((v, i) => [i + 1, v]) } },
      { kind: 'boundary', file: '05-xor-boundary', title: 'XOR: what each model predicts', domain: [[-0.5, 1.5], [-0.5, 1.5]],
        classes: ['0', '1'], probability: true, points: X.map((p, i) => [p[0], p[1], Y[i][0]]),
        panels: [{ title: `perceptron: ${single.correct}/4`, predict: predictor(perceptron) }, { title: `MLP: ${multi.correct}/4`, predict: predictor(mlp) }] },
    ],
  };
}
