// bench/workloads: the training workloads W2–W8, defined once and shared by
// bench/train.js (torchlet + orchestration), bench/peers/tfjs_train.js and,
// through the JSON spec and the data files train.js writes,
// bench/peers/pytorch_train.py. Plain data, no torchlet import: every
// framework builds the same model from the same description.
//
// A spec:
//   id, title, unit ('ms' | 'us': how the table prints time per step)
//   input:   the shape of one sample, from the same `features` numbers per sample:
//            [C, H, W] images (the model sees [batch, C, H, W], NCHW) or
//            [steps, size] sequences (the model sees [batch, steps, size], batch-first);
//            absent: [batch, features]
//   layers:  [{ type: 'linear', in, out } | { type: 'relu' } | { type: 'sigmoid' } |
//             { type: 'conv2d', in, out, kernel, padding } (square kernel, stride 1, bias) |
//             { type: 'maxpool2d', kernel } (stride = kernel) | { type: 'flatten' } |
//             { type: 'lstm', in, hidden } (one batch-first LSTM layer with biases, its
//             output the final hidden state h_n of the sequence: [batch, hidden])]
//   loss:    'cross_entropy' (int32 class labels, logits in) |
//            'bce' (float32 targets in {0,1}, probabilities in: the model ends in a sigmoid)
//   optim:   { lr, momentum } — plain SGD (dampening 0, no nesterov, no weight decay) |
//            { type: 'adam', lr } — Adam with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8)
//   data:    { kind, n, features, classes, seed } — `n` samples, split into
//            n / batch batches of `batch` rows that are cut once at setup
//            (no data loader in the timed loop; every framework cycles the
//            same pre-cut batches)
//   batch
//   skip:    { [implementation id]: why } — implementations not run on this workload
//   bars:    [{ peers: [implementation id, ...], max }] — the bars of issues 14 and 15: torchlet
//            native time / peer time ≤ max, against the fastest of `peers`
//            (bench/bars.js checks them)
//
// One step, in every framework: zero the gradients (set to none), forward,
// loss, backward, optimizer step. The loss value is read only at the end of a
// trial (one sync), as a training loop that logs now and then would.
'use strict';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). Same sequence everywhere. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MLP_784 = [
  { type: 'linear', in: 784, out: 512 }, { type: 'relu' },
  { type: 'linear', in: 512, out: 256 }, { type: 'relu' },
  { type: 'linear', in: 256, out: 10 },
];

/** W2 at one batch size: 2,048 synthetic MNIST-shaped samples (pixels U(0,1), labels 0..9). */
function w2(batch) {
  return {
    id: `W2-b${batch}`,
    group: 'W2',
    title: `W2 MLP 784-512-256-10, CE, SGD m0.9, batch ${batch}`,
    unit: 'ms',
    layers: MLP_784,
    loss: 'cross_entropy',
    optim: { lr: 0.05, momentum: 0.9 },
    data: { kind: 'mnist-like', n: 2048, features: 784, classes: 10, seed: 2 },
    batch,
  };
}

/** W6–W7: convolutional networks on 2,048 synthetic 1×28×28 images (pixels U(0,1), labels 0..9), batch 64. */
function cnn(id, title, layers, bars, skip = {}) {
  return {
    id, group: id, title: `${title}, CE, SGD m0.9, batch 64`, unit: 'ms',
    input: [1, 28, 28], layers, loss: 'cross_entropy',
    optim: { lr: 0.05, momentum: 0.9 },
    data: { kind: 'mnist-like', n: 2048, features: 784, classes: 10, seed: 2 },
    batch: 64,
    skip,
    bars,
  };
}

const WORKLOADS = [
  w2(32),
  w2(128),
  w2(512),
  {
    id: 'W3',
    group: 'W3',
    title: 'W3 XOR MLP 2-8-1 sigmoid, BCE, SGD lr 1, batch 4',
    unit: 'us',
    layers: [{ type: 'linear', in: 2, out: 8 }, { type: 'sigmoid' }, { type: 'linear', in: 8, out: 1 }, { type: 'sigmoid' }],
    loss: 'bce',
    optim: { lr: 1.0, momentum: 0 },
    data: { kind: 'xor', n: 4, features: 2, classes: 2, seed: 3 },
    batch: 4,
  },
  {
    id: 'W4',
    group: 'W4',
    title: 'W4 logistic regression 759×8, BCE, SGD lr 1, full batch',
    unit: 'us',
    layers: [{ type: 'linear', in: 8, out: 1 }, { type: 'sigmoid' }],
    loss: 'bce',
    optim: { lr: 1.0, momentum: 0 },
    data: { kind: 'logistic', n: 759, features: 8, classes: 2, seed: 4 },
    batch: 759,
  },
  {
    id: 'W5',
    group: 'W5',
    title: 'W5 radial MLP 2-200-3 ReLU, CE, SGD lr 0.005, full batch 8000',
    unit: 'ms',
    layers: [{ type: 'linear', in: 2, out: 200 }, { type: 'relu' }, { type: 'linear', in: 200, out: 3 }],
    loss: 'cross_entropy',
    optim: { lr: 0.005, momentum: 0 },
    data: { kind: 'radial', n: 8000, features: 2, classes: 3, seed: 5 },
    batch: 8000,
  },
  cnn('W6', 'W6 LeNet-5 conv6@5×5 p2-pool-conv16@5×5-pool-400-120-84-10 ReLU', [
    { type: 'conv2d', in: 1, out: 6, kernel: 5, padding: 2 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 },
    { type: 'conv2d', in: 6, out: 16, kernel: 5, padding: 0 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 },
    { type: 'flatten' },
    { type: 'linear', in: 400, out: 120 }, { type: 'relu' },
    { type: 'linear', in: 120, out: 84 }, { type: 'relu' },
    { type: 'linear', in: 84, out: 10 },
  ], [{ peers: ['pytorch', 'pytorch2'], max: 0.8 }]), // issue 14
  cnn('W7', 'W7 PyTorch mnist net (no dropout) conv32@3×3-conv64@3×3-pool-9216-128-10 ReLU', [
    { type: 'conv2d', in: 1, out: 32, kernel: 3, padding: 0 }, { type: 'relu' },
    { type: 'conv2d', in: 32, out: 64, kernel: 3, padding: 0 }, { type: 'relu' },
    { type: 'maxpool2d', kernel: 2 },
    { type: 'flatten' },
    { type: 'linear', in: 9216, out: 128 }, { type: 'relu' },
    { type: 'linear', in: 128, out: 10 },
  ], [{ peers: ['pytorch'], max: 1.0 }, { peers: ['pytorch2'], max: 1.25 }, { peers: ['js'], max: 1 / 30 }], // issue 14
  { 'tfjs-cpu': 'not run: one W7 step did not finish in 5 minutes of CPU on tfjs\'s plain-JS cpu backend (W6 runs)' }),
  {
    id: 'W8',
    group: 'W8',
    title: 'W8 LSTM(64, 128) batch-first, 35 steps, last hidden-Linear(128, 10), CE, Adam lr 1e-3, batch 32',
    unit: 'ms',
    input: [35, 64],
    layers: [{ type: 'lstm', in: 64, hidden: 128 }, { type: 'linear', in: 128, out: 10 }],
    loss: 'cross_entropy',
    optim: { type: 'adam', lr: 1e-3 },
    data: { kind: 'sequence', n: 1024, features: 35 * 64, classes: 10, seed: 8 },
    batch: 32,
    bars: [{ peers: ['pytorch'], max: 0.8 }, { peers: ['pytorch2'], max: 1.0 }], // issue 15
  },
];

/**
 * The samples of a workload: x Float32Array [n × features] row-major and y —
 * Int32Array [n] class labels for cross-entropy, Float32Array [n] (a column
 * [n, 1] to the model) of 0/1 targets for BCE. Deterministic from the seed.
 */
function makeData(spec) {
  const { kind, n, features, seed } = spec.data;
  const rnd = mulberry32(seed);
  const x = new Float32Array(n * features);
  if (kind === 'mnist-like' || kind === 'sequence') {
    // Pixels U(0, 1); sequences' feature vectors U(-1, 1) (centred, as
    // embeddings are). Labels 0..9.
    const lo = kind === 'sequence' ? -1 : 0;
    const y = new Int32Array(n);
    for (let i = 0; i < x.length; i++) x[i] = lo + (1 - lo) * rnd();
    for (let i = 0; i < n; i++) y[i] = Math.min(9, Math.floor(10 * rnd()));
    return { x, y };
  }
  if (kind === 'xor') {
    x.set([0, 0, 0, 1, 1, 0, 1, 1]);
    return { x, y: Float32Array.of(0, 1, 1, 0) };
  }
  if (kind === 'logistic') {
    // Features U(-1, 1) (the course's diabetes table is scaled to [-1, 1]),
    // labels drawn from a fixed logistic model so the fit is non-trivial.
    const w = Array.from({ length: features }, () => 4 * rnd() - 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let z = 0.5;
      for (let j = 0; j < features; j++) { const v = 2 * rnd() - 1; x[i * features + j] = v; z += w[j] * v; }
      y[i] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    return { x, y };
  }
  if (kind === 'radial') {
    // As examples/course/07-mlp-radial.mjs: θ ~ U(0, 2π), r ~ U(0, 3), class ⌊r⌋.
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const theta = 2 * Math.PI * rnd();
      const r = 3 * rnd();
      x[2 * i] = r * Math.cos(theta);
      x[2 * i + 1] = r * Math.sin(theta);
      y[i] = Math.min(2, Math.floor(r));
    }
    return { x, y };
  }
  throw new Error(`unknown data kind ${kind}`);
}

/**
 * What kind of network a workload is, for the PyTorch thread probe: 'conv'
 * (convolutions), 'rnn' (an LSTM) or 'mlp'.
 */
function workloadKind(spec) {
  if (spec.layers.some((l) => l.type === 'lstm')) return 'rnn';
  return spec.layers.some((l) => l.type === 'conv2d') ? 'conv' : 'mlp';
}

/** A data-set key: workloads with equal `data` share one data set (W2's three batch sizes). */
function dataKey(spec) {
  const d = spec.data;
  return `${d.kind}-${d.n}x${d.features}-s${d.seed}`;
}

/** Number of pre-cut batches per epoch (n / batch, at least 1). */
function batchCount(spec) {
  return Math.max(1, Math.floor(spec.data.n / spec.batch));
}

/**
 * Flops of one training step (forward + backward ≈ 3 × the forward's
 * multiply-adds of the linear, convolution and LSTM layers), for GFLOP/s notes.
 */
function flopsPerStep(spec) {
  let macs = 0;
  let [, h, w] = spec.input?.length === 3 ? spec.input : [1, 1, 1];
  for (const l of spec.layers) {
    if (l.type === 'linear') macs += l.in * l.out;
    if (l.type === 'lstm') macs += spec.input[0] * 4 * l.hidden * (l.in + l.hidden);
    if (l.type === 'conv2d') {
      h += 2 * l.padding - l.kernel + 1;
      w += 2 * l.padding - l.kernel + 1;
      macs += h * w * l.out * l.in * l.kernel * l.kernel;
    }
    if (l.type === 'maxpool2d') { h = Math.floor(h / l.kernel); w = Math.floor(w / l.kernel); }
  }
  return 2 * 3 * macs * spec.batch;
}

module.exports = { WORKLOADS, makeData, dataKey, batchCount, flopsPerStep, workloadKind, mulberry32 };
