// TensorFlow.js peer for bench/train.js: runs the workloads of
// bench/workloads.js on one tfjs backend and reports seconds per batch of
// steps as JSON. Run by bench/train.js as a child process, one per backend:
//
//   node bench/peers/tfjs_train.js cpu     # @tensorflow/tfjs, its plain-JS CPU backend
//   node bench/peers/tfjs_train.js wasm    # @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD)
//
// Protocol (same as bench/peers/pytorch_train.py): JSON lines on stdin,
// JSON replies on stdout.
//   (start)                                 -> {"ready": true, "info": {...}} | {"ready": false, "error": ...}
//   {"cmd":"setup","spec":{...},"x":path,"y":path} -> {"ok": true, "batches": k}
//   {"cmd":"run","steps":n}                 -> {"seconds": s, "loss": l}
//   {"cmd":"quit"}
// tfjs prints notices on the console; they go to stderr so stdout stays JSON.
//
// The model is written with tfjs-core's API, the fastest way tfjs offers to
// train it: weights are tf.variable, a Linear is tf.fused.matMul with the
// bias (and a following ReLU) fused in — what tf.layers.dense does — a
// sigmoid is tf.sigmoid; cross-entropy is tf.losses.softmaxCrossEntropy on
// one-hot labels (tfjs has no integer-label form; the one-hot batches are made
// once at setup), BCE is tf.losses.logLoss; the optimizer is tf.train.sgd or
// tf.train.momentum (same update as PyTorch's SGD with dampening 0), a step
// is optimizer.minimize(loss) inside tf.tidy. Weights ~ U(-1/√in, 1/√in) as
// PyTorch's Linear. A convolution is tf.fused.conv2d with bias and ReLU
// (what tf.layers.conv2d does) on NHWC images, max-pooling tf.maxPool,
// flatten a reshape (NHWC order: the same model up to a permutation of the
// first Linear's rows). An LSTM is tf.layers.lstm (the recurrent activation
// set to the sigmoid, as PyTorch's), applied as a layer object: tfjs-core has
// no fused LSTM that trains (tf.basicLSTMCell is one step, as tf.layers.lstm's
// loop does); Adam is tf.train.adam with PyTorch's defaults. Node runs both
// backends on one thread (tfjs-backend-wasm disables its threaded build under Node).
'use strict';
const fs = require('node:fs');

const realWrite = process.stdout.write.bind(process.stdout);
console.log = console.error;
console.info = console.error;
console.warn = console.error;
const reply = (obj) => realWrite(JSON.stringify(obj) + '\n');

function readF32(path) {
  const b = fs.readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function readI32(path) {
  const b = fs.readFileSync(path);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function makeSession(tf, spec, xPath, yPath) {
  const { n, features, classes } = spec.data;
  const B = spec.batch;
  const k = Math.max(1, Math.floor(n / B));
  const x = readF32(xPath);
  const ce = spec.loss === 'cross_entropy';
  if (!ce && spec.loss !== 'bce') throw new Error(`unknown loss ${spec.loss}`);
  const yRaw = ce ? readI32(yPath) : readF32(yPath);
  const batches = [];
  // Images go in as NHWC, tfjs's layout: for one channel the same numbers as NCHW.
  // Sequences go in batch-first, [B, steps, size], as everywhere.
  const input = spec.input ?? [features];
  const shape = input.length === 3 ? [B, input[1], input[2], input[0]] : [B, ...input];
  for (let i = 0; i < k; i++) {
    const xb = tf.tensor(x.subarray(i * B * features, (i + 1) * B * features), shape);
    const yb = ce
      ? tf.tidy(() => tf.oneHot(tf.tensor1d(yRaw.subarray(i * B, (i + 1) * B), 'int32'), classes).toFloat())
      : tf.tensor2d(yRaw.subarray(i * B, (i + 1) * B), [B, 1]);
    batches.push([xb, yb]);
  }
  // Layers: a linear followed by a relu becomes one fused matMul.
  const ops = [];
  const vars = [];
  const layerObjects = [];
  let seed = 1;
  const L = spec.layers;
  for (let i = 0; i < L.length; i++) {
    const l = L[i];
    if (l.type === 'linear') {
      const bound = 1 / Math.sqrt(l.in);
      const W = tf.variable(tf.randomUniform([l.in, l.out], -bound, bound, 'float32', seed++));
      const b = tf.variable(tf.randomUniform([l.out], -bound, bound, 'float32', seed++));
      vars.push(W, b);
      const relu = L[i + 1] && L[i + 1].type === 'relu';
      if (relu) i++;
      ops.push((h) => tf.fused.matMul({ a: h, b: W, bias: b, activation: relu ? 'relu' : 'linear' }));
    } else if (l.type === 'conv2d') {
      const fanIn = l.in * l.kernel * l.kernel;
      const bound = 1 / Math.sqrt(fanIn);
      const W = tf.variable(tf.randomUniform([l.kernel, l.kernel, l.in, l.out], -bound, bound, 'float32', seed++));
      const b = tf.variable(tf.randomUniform([l.out], -bound, bound, 'float32', seed++));
      vars.push(W, b);
      const relu = L[i + 1] && L[i + 1].type === 'relu';
      if (relu) i++;
      const pad = l.padding === 0 ? 'valid' : [[0, 0], [l.padding, l.padding], [l.padding, l.padding], [0, 0]];
      ops.push((h) => tf.fused.conv2d({ x: h, filter: W, strides: 1, pad, bias: b, activation: relu ? 'relu' : 'linear' }));
    } else if (l.type === 'maxpool2d') {
      ops.push((h) => tf.maxPool(h, l.kernel, l.kernel, 'valid'));
    } else if (l.type === 'lstm') {
      // tf.layers.lstm returns the last step's output, which is the final hidden
      // state. Its recurrent activation defaults to Keras 1's hard sigmoid:
      // PyTorch's gates use the sigmoid.
      const lstm = tf.layers.lstm({ units: l.hidden, recurrentActivation: 'sigmoid', inputShape: [input[0], l.in] });
      layerObjects.push(lstm);
      ops.push((h) => lstm.apply(h));
    } else if (l.type === 'flatten') {
      ops.push((h) => h.reshape([h.shape[0], -1]));
    } else if (l.type === 'relu') {
      ops.push((h) => tf.relu(h));
    } else if (l.type === 'sigmoid') {
      ops.push((h) => tf.sigmoid(h));
    } else {
      throw new Error(`unknown layer ${l.type}`);
    }
  }
  const forward = (h) => { for (const op of ops) h = op(h); return h; };
  // A layer object makes its weights when first applied; they are trained
  // here, and disposed with the layer.
  tf.tidy(() => forward(batches[0][0]));
  const trainable = [...vars, ...layerObjects.flatMap((layer) => layer.trainableWeights.map((w) => w.read()))];
  const lossOf = ce
    ? (xb, yb) => tf.losses.softmaxCrossEntropy(yb, forward(xb))
    : (xb, yb) => tf.losses.logLoss(yb, forward(xb));
  const { type, lr, momentum } = spec.optim;
  // Adam with PyTorch's defaults (tfjs's own epsilon is 1e-7).
  const optimizer = type === 'adam' ? tf.train.adam(lr, 0.9, 0.999, 1e-8) : momentum ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
  let cursor = 0;
  return {
    batches: k,
    run(steps) {
      let loss = NaN;
      const t0 = process.hrtime.bigint();
      for (let s = 0; s < steps; s++) {
        const [xb, yb] = batches[cursor];
        cursor = (cursor + 1) % k;
        const last = s === steps - 1;
        const cost = tf.tidy(() => optimizer.minimize(() => lossOf(xb, yb), last, trainable));
        if (last) { loss = cost.dataSync()[0]; cost.dispose(); }
      }
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      return { seconds, loss };
    },
    dispose() {
      for (const [xb, yb] of batches) { xb.dispose(); yb.dispose(); }
      for (const v of vars) v.dispose();
      for (const layer of layerObjects) layer.dispose();
      optimizer.dispose();
    },
  };
}

async function main() {
  const backend = process.argv[2] || 'cpu';
  let tf;
  let wasm = null;
  try {
    tf = require('@tensorflow/tfjs');
    if (backend === 'wasm') wasm = require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') returned false`);
    await tf.ready();
  } catch (e) {
    reply({ ready: false, error: `tfjs ${backend}: ${e && e.message ? e.message : e}` });
    return;
  }
  let threads = 1;
  if (wasm) { try { threads = wasm.getThreadsCount(); } catch { threads = null; } }
  reply({ ready: true, info: { tfjs: tf.version.tfjs, backend: tf.getBackend(), threads, node: process.version } });

  let session = null;
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      try {
        const msg = JSON.parse(line);
        if (msg.cmd === 'quit') { process.exit(0); }
        if (msg.cmd === 'setup') {
          if (session) { session.dispose(); session = null; }
          session = makeSession(tf, msg.spec, msg.x, msg.y);
          reply({ ok: true, batches: session.batches });
        } else if (msg.cmd === 'run') {
          if (!session) throw new Error('run before setup');
          reply(session.run(msg.steps | 0));
        } else {
          throw new Error(`unknown command ${msg.cmd}`);
        }
      } catch (e) {
        reply({ error: String(e && e.message ? e.message : e) });
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

main();
