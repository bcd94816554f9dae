// bench/rnn-step: one W8-shaped training step (LSTM(64, 128), batchFirst, 35
// time steps, batch 32, last hidden state -> Linear(128, 10), cross-entropy,
// Adam, float32) on torchlet's native backend beside PyTorch (a child
// /usr/bin/python3 running the same model), and where torchlet's step goes.
//
//   npm run build && node bench/rnn-step.js [--trials 9] [--threads n] [--peer-threads n] [--peer-blas-threads n] [--python /usr/bin/python3]
//
// --threads sets torchlet's threads (default: its own default); PyTorch runs
// --peer-threads intra-op threads (default 1) and OpenBLAS on
// --peer-blas-threads (default 1: the faster setting for 1.13 on a busy
// machine, see bench/README.md). --python picks the interpreter, e.g. a venv
// with PyTorch 2.x (whose oneDNN LSTM is faster on 2 intra-op threads).
//
// Trials interleave: each runs torchlet, then PyTorch, for about TRIAL_S each;
// the columns are medians of the time per step, the ratio the median of the
// per-trial ratios (torchlet / PyTorch; < 1: torchlet faster). The breakdown
// times the phases of torchlet's step alone (forward, backward, optimizer)
// and the kernels of the recurrence in isolation at the step's shapes (the
// layer's sequence kernels, and the step kernels they replace). Numbers on a shared machine are indicative.
'use strict';
const { spawn } = require('node:child_process');
const torch = require('../dist');
const { kernels } = require('../dist/backend');
const { median } = require('./results');

const { nn, optim } = torch;
const SEQ = 35;
const BATCH = 32;
const INPUT = 64;
const HIDDEN = 128;
const CLASSES = 10;
const TRIAL_S = 0.4;
const GAP_MS = 200; // OpenBLAS's threads spin ~130 ms after a call: let them stop before the other side runs
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const TRIALS = Number(arg('--trials', 9));
const PYTHON = arg('--python', process.env.TORCHLET_BENCH_PYTHON || '/usr/bin/python3');
const THREADS = arg('--threads', null);
const PEER_BLAS_THREADS = arg('--peer-blas-threads', '1');
const PEER_THREADS = Number(arg('--peer-threads', 1));

const PEER = String.raw`
import sys, time, json, torch
torch.manual_seed(0)
torch.set_num_threads(${PEER_THREADS})
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(${INPUT}, ${HIDDEN}, batch_first=True)
        self.fc = torch.nn.Linear(${HIDDEN}, ${CLASSES})
    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])
net = Net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
x = torch.randn(${BATCH}, ${SEQ}, ${INPUT})
y = torch.randint(0, ${CLASSES}, (${BATCH},))
def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(net(x), y)
    loss.backward()
    opt.step()
for line in sys.stdin:
    n = int(line)
    t = time.perf_counter()
    for _ in range(n):
        step()
    print(json.dumps({"seconds": time.perf_counter() - t, "torch": torch.__version__}), flush=True)
`;

/** A long-lived PyTorch child: run(n) resolves to its seconds for n steps. */
function startPeer() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: PEER_BLAS_THREADS };
  const child = spawn(PYTHON, ['-c', PEER], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const waiting = [];
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      waiting.shift()(JSON.parse(line));
    }
  });
  return {
    run: (n) => new Promise((resolve) => { waiting.push(resolve); child.stdin.write(`${n}\n`); }),
    stop: () => child.stdin.end(),
  };
}

function torchletStep() {
  torch.manualSeed(0);
  const lstm = new nn.LSTM(INPUT, HIDDEN, { batchFirst: true });
  const fc = new nn.Linear(HIDDEN, CLASSES);
  const params = [...lstm.parameters(), ...fc.parameters()];
  const opt = new optim.Adam(params, { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn([BATCH, SEQ, INPUT]);
  const y = torch.randint(0, CLASSES, [BATCH]);
  const forward = () => {
    const [out] = lstm.forward(x);
    return lossFn.forward(fc.forward(out.select(1, -1)), y);
  };
  return {
    step() {
      opt.zeroGrad();
      forward().backward();
      opt.step();
    },
    /** Seconds per step of each phase, over n steps. */
    phases(n) {
      const t = { forward: 0, backward: 0, optimizer: 0 };
      for (let i = 0; i < n; i++) {
        opt.zeroGrad();
        let s = process.hrtime.bigint();
        const loss = forward();
        t.forward += Number(process.hrtime.bigint() - s);
        s = process.hrtime.bigint();
        loss.backward();
        t.backward += Number(process.hrtime.bigint() - s);
        s = process.hrtime.bigint();
        opt.step();
        t.optimizer += Number(process.hrtime.bigint() - s);
      }
      for (const k of Object.keys(t)) t[k] /= n * 1e9;
      return t;
    },
  };
}

/** Seconds per call of f, over about `seconds`. */
function timeIt(f, seconds = 0.3) {
  for (let i = 0; i < 5; i++) f();
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    f();
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return elapsed / n;
}

/** The recurrence's kernels alone at W8's shapes: the layer's sequence kernels, the same per step through the step kernels, and dW_hh. */
function kernelBreakdown() {
  const k = kernels();
  const G = 4 * HIDDEN;
  const f = (n) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
  const [h, c, w, bias, gh] = [f(BATCH * HIDDEN), f(BATCH * HIDDEN), f(G * HIDDEN), f(G), f(BATCH * G)];
  const [gi, y, cells, saved, dy, dg] = [f(SEQ * BATCH * G), f(SEQ * BATCH * HIDDEN), f(SEQ * BATCH * HIDDEN), f(SEQ * BATCH * 5 * HIDDEN), f(SEQ * BATCH * HIDDEN), f(SEQ * BATCH * G)];
  const [ho, co, dw, wt] = [f(BATCH * HIDDEN), f(BATCH * HIDDEN), f(G * HIDDEN), f(HIDDEN * G)];
  return {
    'lstmSequence (forward, 35 steps)': timeIt(() => k.lstmSequence(gi, h, c, w, bias, SEQ, BATCH, HIDDEN, false, y, cells, saved)),
    'per step: stepGemm + lstmGates': SEQ * timeIt(() => {
      k.stepGemm(h, wt, bias, BATCH, HIDDEN, G, 0, gh);
      k.lstmGates(gi, gh, c, BATCH, HIDDEN, ho, co, saved);
    }),
    'lstmSequenceBackward': timeIt(() => k.lstmSequenceBackward(saved, cells, c, w, dy, c, SEQ, BATCH, HIDDEN, false, dg, ho, co)),
    'per step: lstmGatesBackward + stepGemm': SEQ * timeIt(() => {
      k.lstmGatesBackward(saved, c, ho, co, BATCH, HIDDEN, gh, null);
      k.stepGemm(gh, w, null, BATCH, G, HIDDEN, 0, ho);
    }),
    'dW_hh: one GEMM over all steps': timeIt(() => k.gemm(true, false, G, HIDDEN, SEQ * BATCH, 1, dg, y, 0, dw)),
  };
}

const ms = (s) => `${(s * 1e3).toFixed(2)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

async function main() {
  torch.setBackend('native');
  if (THREADS !== null) torch.setNumThreads(Number(THREADS));
  const mine = torchletStep();
  const peer = startPeer();
  // Warm-up and calibration: steps per trial from a first timing.
  for (let i = 0; i < 20; i++) mine.step();
  const perMine = timeIt(() => mine.step(), 0.3);
  const first = await peer.run(20);
  const perPeer = first.seconds / 20;
  const nMine = Math.max(3, Math.round(TRIAL_S / perMine));
  const nPeer = Math.max(3, Math.round(TRIAL_S / perPeer));
  const tMine = [];
  const tPeer = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const s = process.hrtime.bigint();
    for (let i = 0; i < nMine; i++) mine.step();
    tMine.push(Number(process.hrtime.bigint() - s) / 1e9 / nMine);
    await sleep(GAP_MS);
    tPeer.push((await peer.run(nPeer)).seconds / nPeer);
    await sleep(GAP_MS);
  }
  peer.stop();
  const ratios = tMine.map((t, i) => t / tPeer[i]);
  console.log(`W8 step (LSTM(${INPUT}, ${HIDDEN}) batchFirst, ${SEQ} steps, batch ${BATCH}, Linear, cross-entropy, Adam, float32), ${TRIALS} interleaved trials, torch threads: torchlet ${torch.getNumThreads()}, PyTorch ${first.torch} ${PEER_THREADS} intra-op with OPENBLAS_NUM_THREADS=${PEER_BLAS_THREADS}`);
  console.log(`  torchlet native ${ms(median(tMine))}   PyTorch ${ms(median(tPeer))}   ratio ${median(ratios).toFixed(2)}x`);
  console.log('torchlet step phases:');
  for (const [name, t] of Object.entries(mine.phases(Math.max(20, nMine)))) console.log(`  ${name.padEnd(38)} ${ms(t)}`);
  console.log(`the recurrence's kernels alone, ${SEQ} steps:`);
  for (const [name, t] of Object.entries(kernelBreakdown())) console.log(`  ${name.padEnd(38)} ${ms(t)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
