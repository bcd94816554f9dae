// bench/conv: one conv2d forward + backward at W7's conv2 shape (batch 64,
// 32 → 64 channels, 26×26, 3×3 kernel, bias), the baseline the convolution
// tuning starts from. Not part of `npm run bench` or the tests.
//
//   npm run build && node bench/conv.js [--trials 7] [--backend native|js]
//
// Prints the median over trials of forward, backward and their sum (ms),
// each trial one warm call, and the GFLOP/s of the three GEMMs' worth of work.
'use strict';
const torch = require('../dist');

function parseArgs(argv) {
  const o = { trials: 7, backend: 'native' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--trials') o.trials = Number(argv[++i]);
    else if (argv[i] === '--backend') o.backend = argv[++i];
    else throw new Error(`bench/conv: unknown argument ${argv[i]}`);
  }
  return o;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const o = parseArgs(process.argv.slice(2));
  torch.setBackend(o.backend);
  torch.manualSeed(0);
  const [n, cin, cout, hw, k] = [64, 32, 64, 26, 3];
  const conv = new torch.nn.Conv2d(cin, cout, k);
  const x = torch.randn([n, cin, hw, hw]).requiresGrad_();
  const out = hw - k + 1;
  const g = torch.randn([n, cout, out, out]);
  const fwd = [];
  const bwd = [];
  for (let t = 0; t <= o.trials; t++) {
    conv.zeroGrad();
    x.grad = null;
    const t0 = process.hrtime.bigint();
    const y = conv.forward(x);
    const t1 = process.hrtime.bigint();
    y.backward(g);
    const t2 = process.hrtime.bigint();
    if (t === 0) continue; // warm-up
    fwd.push(Number(t1 - t0) / 1e6);
    bwd.push(Number(t2 - t1) / 1e6);
  }
  const flops = 3 * 2 * n * cout * out * out * cin * k * k;
  const f = median(fwd);
  const b = median(bwd);
  console.log(`conv2d ${n}×${cin}×${hw}×${hw} → ${cout} channels, ${k}×${k}, ${o.backend}, ${torch.getNumThreads()} threads, median of ${o.trials}`);
  console.log(`forward ${f.toFixed(2)} ms, backward ${b.toFixed(2)} ms, total ${(f + b).toFixed(2)} ms (${(flops / ((f + b) / 1e3) / 1e9).toFixed(0)} GFLOP/s)`);
}

main();
