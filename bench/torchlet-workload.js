// bench/torchlet-workload: a workload of bench/workloads.js built in torchlet
// (model, loss, optimizer, pre-made batches), shared by bench/train.js and
// bench/memory.js so both time and measure the same training step.
'use strict';
const torch = require('..');
const { batchCount } = require('./workloads');

/**
 * nn.LSTM (batch-first) followed by its last layer's final hidden state
 * [batch, hidden]: the module a user writes to put an LSTM in front of a
 * classifier (PyTorch: `_, (h, _) = self.lstm(x); return h[-1]`).
 */
function lastHiddenLSTM(torch, inputSize, hiddenSize) {
  class LastHidden extends torch.nn.Module {
    constructor() {
      super();
      this.lstm = new torch.nn.LSTM(inputSize, hiddenSize, { batchFirst: true });
    }

    forward(x) {
      const [, [h]] = this.lstm.forward(x);
      return h.select(0, -1);
    }
  }
  return new LastHidden();
}

/**
 * Builds `spec` on the current backend, seeded. Returns { batches, step(xb, yb) }:
 * step runs zeroGrad, forward, loss, backward and the optimizer step (SGD or
 * Adam, as the spec says), and returns the loss tensor. `lib` is the torchlet build to use (bench/ab.js
 * passes another checkout's).
 */
function buildTorchletWorkload(spec, data, lib = torch) {
  const torch = lib;
  const { nn, optim } = torch;
  torch.manualSeed(0);
  const { n, features } = spec.data;
  const B = spec.batch;
  const ce = spec.loss === 'cross_entropy';
  const layers = spec.layers.map((l) => {
    if (l.type === 'linear') return new nn.Linear(l.in, l.out);
    if (l.type === 'relu') return new nn.ReLU();
    if (l.type === 'sigmoid') return new nn.Sigmoid();
    if (l.type === 'conv2d') return new nn.Conv2d(l.in, l.out, l.kernel, { padding: l.padding });
    if (l.type === 'maxpool2d') return new nn.MaxPool2d(l.kernel);
    if (l.type === 'flatten') return new nn.Flatten();
    if (l.type === 'lstm') return lastHiddenLSTM(torch, l.in, l.hidden);
    throw new Error(`unknown layer ${l.type}`);
  });
  const model = new nn.Sequential(...layers);
  const lossFn = ce ? new nn.CrossEntropyLoss() : new nn.BCELoss();
  const opt = spec.optim.type === 'adam'
    ? new optim.Adam(model.parameters(), { lr: spec.optim.lr })
    : new optim.SGD(model.parameters(), { lr: spec.optim.lr, momentum: spec.optim.momentum });
  if (n < B) throw new Error('batch larger than the data set');
  const batches = [];
  for (let i = 0; i < batchCount(spec); i++) {
    const xb = torch.tensor(data.x.slice(i * B * features, (i + 1) * B * features)).reshape(B, ...(spec.input ?? [features]));
    const ys = data.y.slice(i * B, (i + 1) * B);
    const yb = ce ? torch.tensor(ys, { dtype: 'int32' }) : torch.tensor(ys).reshape(B, 1);
    batches.push([xb, yb]);
  }
  function step(xb, yb) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(xb), yb);
    loss.backward();
    opt.step();
    return loss;
  }
  return { batches, step };
}

module.exports = { buildTorchletWorkload };
