/**
 * Lesson 04: multinomial classification, softmax(XW + b) with cross-entropy,
 * on Fisher's iris (150 flowers, 4 measurements, 3 species) from
 * data.datasets.iris(). A seeded 120/30 split; features standardized with
 * the training split's mean and std; full-batch SGD on nn.Linear(4, 3) and
 * nn.CrossEntropyLoss (which applies logSoftmax itself).
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { accuracy, curve, splitRows, standardizer } from './util.mjs';

/**
 * @param {{ epochs?: number, lr?: number, seed?: number, log?: (line: string) => void,
 *           track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ epochs = 500, lr = 0.5, seed = 0, log = () => {}, track = silentTrack } = {}) {
  const { nn } = torch;
  torch.manualSeed(seed);
  const { features, labels, classNames } = torch.data.datasets.iris();
  const [[xTrainRaw, yTrain], [xTestRaw, yTest]] = splitRows([features, labels], 120, new torch.Generator(seed));
  const scale = standardizer(xTrainRaw);
  const xTrain = scale(xTrainRaw);
  const xTest = scale(xTestRaw);

  const model = new nn.Linear(4, 3);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new torch.optim.SGD(model.parameters(), { lr });

  // The course's cross-entropy by hand, once: −Σ y·log softmax(XW + b), averaged.
  torch.noGrad(() => {
    const logits = model.forward(xTrain);
    const oneHot = torch.eye(3).index(yTrain);
    const byHand = oneHot.mul(logits.softmax(1).log()).sum(1).mean().neg().item();
    log(`softmax(XW + b) on iris: ${xTrain.shape[0]} train / ${xTest.shape[0]} held-out flowers, classes ${classNames.join(', ')}`);
    log(`initial cross-entropy: by hand ${byHand.toFixed(6)}, nn.CrossEntropyLoss ${lossFn.forward(logits, yTrain).item().toFixed(6)}`);
  });

  const losses = [];
  const bar = track('softmax on iris', { total: epochs, unit: 'epoch', samplesPerUnit: xTrain.shape[0] });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = lossFn.forward(model.forward(xTrain), yTrain);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(loss.item());
    bar.update(epoch, loss.item());
  }
  bar.stop();

  const trainAccuracy = torch.noGrad(() => accuracy(model.forward(xTrain), yTrain));
  const testAccuracy = torch.noGrad(() => accuracy(model.forward(xTest), yTest));
  const finalLoss = losses[losses.length - 1];
  log(`after ${epochs} epochs: loss ${finalLoss.toFixed(4)}, train accuracy ${(100 * trainAccuracy).toFixed(1)}%, held-out accuracy ${(100 * testAccuracy).toFixed(1)}%`);
  const probs = torch.noGrad(() => model.forward(xTest.narrow(0, 0, 5)).softmax(1)).toArray();
  log('first held-out flowers: species | softmax probabilities');
  probs.forEach((p, i) => log(`  ${classNames[yTest.data[i]].padEnd(10)} | ${p.map((v) => v.toFixed(3)).join('  ')}`));

  return {
    trainAccuracy, testAccuracy, finalLoss,
    summary: `held-out accuracy ${(100 * testAccuracy).toFixed(1)}%`,
    charts: [
      { kind: 'line', file: '04-softmax-iris-loss', title: 'Softmax regression on iris: cross-entropy per epoch', xTitle: 'epoch', yTitle: 'cross-entropy', logY: true,
        series: { 'softmax(XW + b)': curve(losses) } },
    ],
  };
}
