// Reuse of dead buffers (lib/storage/pool.ts): what is handed back is
// reused, and what user code can still reach never is.
import { afterEach, describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { clearPool, giveBack, pooledByteCount, takeBuffer } from '../../lib/storage/pool';
import { describeBackends } from '../helpers';

const { nn, optim } = torch;

describe('buffer pool', () => {
  it('hands a returned buffer out again, zeroed, for the same length only', () => {
    clearPool();
    const a = takeBuffer(8192);
    new Uint8Array(a).fill(7);
    giveBack(a);
    expect(pooledByteCount()).toBe(8192);
    expect(takeBuffer(4096 * 3)).not.toBe(a);
    const again = takeBuffer(8192);
    expect(again).toBe(a);
    expect(new Uint8Array(again).every((v) => v === 0)).toBe(true);
    expect(pooledByteCount()).toBe(0);
  });

  it('leaves a reused buffer as it was when asked for one a kernel overwrites (zeroed: false)', () => {
    clearPool();
    const a = takeBuffer(8192);
    new Uint8Array(a).fill(7);
    giveBack(a);
    const again = takeBuffer(8192, false);
    expect(again).toBe(a);
    expect(new Uint8Array(again).every((v) => v === 7)).toBe(true);
    expect(new Uint8Array(takeBuffer(8192, false)).every((v) => v === 0)).toBe(true);
  });

  it('ignores buffers it did not make, duplicates, and clears on emptyCache', () => {
    clearPool();
    giveBack(new ArrayBuffer(8192));
    expect(pooledByteCount()).toBe(0);
    const a = takeBuffer(8192);
    giveBack(a);
    giveBack(a);
    expect(pooledByteCount()).toBe(8192);
    torch.emptyCache();
    expect(pooledByteCount()).toBe(0);
    expect(takeBuffer(8192)).not.toBe(a);
  });
});

/** Outputs of every training step so far, read only at the end: a buffer reused too early shows as changed values. */
const outputs: [torch.Tensor, number[]][] = [];

/** SGD steps on `model`, returning every loss and the final weights. */
function train(model: torch.nn.Module<[torch.Tensor], torch.Tensor>, xs: torch.Tensor[], ys: torch.Tensor[]): number[] {
  const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const out: number[] = [];
  for (let s = 0; s < xs.length; s++) {
    opt.zeroGrad();
    const y = model.forward(xs[s]);
    outputs.push([y, Array.from(y.data)]);
    const loss = nn.functional.crossEntropy(y, ys[s]);
    loss.backward();
    opt.step();
    out.push(loss.item());
  }
  for (const p of model.parameters()) out.push(...Array.from(p.data));
  return out;
}

/** Trains both models on the same batches, interleaved (buffers one hands back are taken by the other's allocations); returns what train returned for each. */
function lockstep(reusing: torch.nn.Module<[torch.Tensor], torch.Tensor>, plain: torch.nn.Module<[torch.Tensor], torch.Tensor>,
  xs: torch.Tensor[], ys: torch.Tensor[]): [number[][], number[][]] {
  const a: number[][] = [];
  const b: number[][] = [];
  for (let s = 0; s < xs.length; s++) {
    a.push(train(reusing, [xs[s]], [ys[s]]));
    b.push(train(plain, [xs[s]], [ys[s]]));
  }
  return [a, b];
}

/** Returns its input: a user module, so Sequential does not reuse around it. */
class Spy extends nn.Module<[torch.Tensor], torch.Tensor> {
  seen: torch.Tensor[] = [];
  forward(x: torch.Tensor): torch.Tensor {
    this.seen.push(x);
    return x;
  }
}

function mlp(seed: number, extra: torch.nn.Module<[torch.Tensor], torch.Tensor>[] = []): torch.nn.Sequential {
  torch.manualSeed(seed);
  return new nn.Sequential(new nn.Linear(40, 64), new nn.ReLU(), new nn.Linear(64, 48), new nn.Tanh(), new nn.Linear(48, 5), ...extra);
}

describeBackends('buffer reuse', () => {
  afterEach(() => {
    const kept = outputs.splice(0);
    for (const [y, values] of kept) expect(Array.from(y.data)).toEqual(values);
  });

  const batches = (n: number) => {
    torch.manualSeed(1);
    return {
      xs: Array.from({ length: n }, () => torch.randn([32, 40])),
      ys: Array.from({ length: n }, () => torch.randint(0, 5, [32]).to('int32')),
    };
  };

  it('zeroGrad reuses the buffer of a gradient no user code read', () => {
    const lin = new nn.Linear(100, 30);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
    const x = torch.randn([8, 100]);
    const step = () => {
      opt.zeroGrad();
      lin.forward(x).pow(2).sum().backward();
      opt.step();
    };
    step();
    const first = lin.weight._grad!.data.buffer;
    step();
    expect(lin.weight._grad!.data.buffer).toBe(first);
  });

  it('never reuses a gradient user code holds', () => {
    const lin = new nn.Linear(100, 30);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
    lin.forward(torch.randn([8, 100])).sum().backward();
    const held = lin.weight.grad!;
    const values = held.toArray();
    for (let s = 0; s < 3; s++) {
      opt.zeroGrad();
      lin.forward(torch.randn([8, 100])).pow(2).sum().backward();
      opt.step();
      expect(lin.weight.grad!.data.buffer).not.toBe(held.data.buffer);
    }
    expect(held.toArray()).toEqual(values);
  });

  it('a Sequential of library layers trains bit for bit like one that cannot reuse, in lockstep', () => {
    const { xs, ys } = batches(4);
    const spy = new Spy();
    const [a, b] = lockstep(mlp(3), mlp(3, [spy]), xs, ys);
    expect(a).toEqual(b);
    expect(spy.seen.length).toBe(4);
  });

  it('a CNN (unzeroed convolution and pooling outputs, pooled max-pool indices) trains bit for bit like one that cannot reuse', () => {
    torch.manualSeed(2);
    const xs = Array.from({ length: 4 }, () => torch.randn([16, 2, 18, 18]));
    const ys = Array.from({ length: 4 }, () => torch.randint(0, 5, [16]).to('int32'));
    const cnn = (extra: torch.nn.Module<[torch.Tensor], torch.Tensor>[]) => {
      torch.manualSeed(4);
      return new nn.Sequential(new nn.Conv2d(2, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(4, 4, 1), new nn.Flatten(),
        new nn.Linear(256, 5), ...extra);
    };
    const [a, b] = lockstep(cnn([]), cnn([new Spy()]), xs, ys);
    expect(a).toEqual(b);
    // retainGraph keeps the indices for a second backward.
    const x = torch.randn([16, 2, 18, 18]).requiresGrad_();
    const y = nn.functional.maxPool2d(x, 2).sum();
    y.backward(undefined, { retainGraph: true });
    const first = Array.from(x.grad!.data);
    x.grad = null;
    torch.randn([16, 2, 9, 9]); // as many bytes as the indices: takes their buffer if it was handed back
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual(first);
  });

  it('is exact around layers that pass their input on (Identity, Flatten, Dropout in train and eval)', () => {
    const { xs, ys } = batches(3);
    const build = (extra: torch.nn.Module<[torch.Tensor], torch.Tensor>[]) => {
      torch.manualSeed(6);
      return new nn.Sequential(new nn.Identity(), new nn.Linear(40, 64), new nn.ReLU(), new nn.Dropout(0.3, { generator: new torch.Generator(9) }),
        new nn.Flatten(), new nn.Linear(64, 48), new nn.Tanh(), new nn.Identity(), new nn.Linear(48, 40), new nn.Identity(), ...extra); // output > 4 KB: its own buffer
    };
    for (const training of [true, false]) {
      const reusing = build([]).train(training);
      const plain = build([new Spy()]).train(training);
      for (let s = 0; s < xs.length; s++) {
        expect(train(reusing, [xs[s]], [ys[s]])).toEqual(train(plain, [xs[s]], [ys[s]]));
      }
    }
  });

  it('random Sequentials with random training, noGrad and retainGraph calls match a twin that cannot reuse', () => {
    // A small deterministic generator for the test's own choices (torch's generator feeds the models).
    let state = 12345;
    const rnd = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 16) % n;
    };
    const actions = [0, 0, 0];
    const widths = [3, 40, 64, 200]; // 200 × batch 32 × 4 B > 4 KB: own buffers; 3: slabs
    for (let trial = 0; trial < 12; trial++) {
      const dims = [widths[rnd(4)], widths[rnd(4)], widths[rnd(4)], [5, 40][rnd(2)]]; // 40: the output has its own buffer
      const layout: string[] = [];
      for (let i = 0; i < 3; i++) {
        layout.push('linear');
        const extra = ['relu', 'tanh', 'sigmoid', 'dropout', 'identity', 'flatten', 'none'][rnd(7)];
        if (extra !== 'none' && i < 2) layout.push(extra);
      }
      if (rnd(2) === 1) layout.push('logsoftmax');
      // Layers that pass their input on, first or last: the Sequential's input or output buffer is then an intermediate's.
      const passOn = ['identity', 'flatten', 'dropout'];
      if (rnd(2) === 1) layout.unshift(passOn[rnd(3)]);
      if (rnd(2) === 1) layout.push(passOn[rnd(3)]);
      const build = (withSpy: boolean) => {
        torch.manualSeed(100 + trial);
        let li = 0;
        const mods: torch.nn.Module<[torch.Tensor], torch.Tensor>[] = layout.map((kind) => {
          switch (kind) {
            case 'linear': { const m = new nn.Linear(dims[li], dims[li + 1]); li++; return m; }
            case 'relu': return new nn.ReLU();
            case 'tanh': return new nn.Tanh();
            case 'sigmoid': return new nn.Sigmoid();
            case 'dropout': return new nn.Dropout(0.25, { generator: new torch.Generator(trial) });
            case 'identity': return new nn.Identity();
            case 'flatten': return new nn.Flatten();
            default: return new nn.LogSoftmax(1);
          }
        });
        if (withSpy) mods.push(new Spy());
        return new nn.Sequential(...mods);
      };
      const models = [build(false), build(true)];
      const opts = models.map((m) => new optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.5 }));
      const seen: number[][][] = [[], []];
      torch.manualSeed(7 + trial);
      for (let step = 0; step < 6; step++) {
        const x = torch.randn([32, dims[0]]);
        const action = rnd(3); // 0: train step, 1: noGrad forward, 2: backward with retainGraph, then again
        actions[action]++;
        const train = rnd(2) === 1;
        models.forEach((model, k) => {
          model.train(train);
          if (action === 1) {
            const y = torch.noGrad(() => model.forward(x));
            seen[k].push(Array.from(y.data));
            outputs.push([y, Array.from(y.data)]);
            return;
          }
          opts[k].zeroGrad();
          const y = model.forward(x);
          const loss = y.pow(2).mean();
          if (action === 2) loss.backward(undefined, { retainGraph: true });
          loss.backward();
          opts[k].step();
          seen[k].push(Array.from(y.data), [loss.item()]);
          outputs.push([y, Array.from(y.data)]); // read again after the test: still intact
        });
      }
      for (const p of models[0].parameters()) seen[0].push(Array.from(p.data));
      for (const p of models[1].parameters()) seen[1].push(Array.from(p.data));
      expect(seen[0], `trial ${trial}: ${layout.join('-')} ${dims.join('-')}`).toEqual(seen[1]);
    }
    expect(Math.min(...actions)).toBeGreaterThan(5); // every kind of call was exercised
  });

  it('keeps what a user module holds and what backward with retainGraph still needs', () => {
    const { xs } = batches(2);
    const spy = new Spy();
    const model = new nn.Sequential(new nn.Linear(40, 64), spy, new nn.ReLU(), new nn.Linear(64, 48));
    const out = model.forward(xs[0]);
    const loss = out.pow(2).sum();
    loss.backward(undefined, { retainGraph: true });
    const grads = model.parameters().map((p) => p.grad!.toArray());
    const hidden = spy.seen[0].toArray();
    model.zeroGrad();
    model.forward(xs[1]).sum().backward();
    model.zeroGrad();
    loss.backward();
    expect(model.parameters().map((p) => p.grad!.toArray())).toEqual(grads);
    model.forward(xs[1]).sum().backward(); // would take the hidden output's buffer, were it handed back
    expect(spy.seen[0].toArray()).toEqual(hidden);

    const plain = mlp(4);
    const retained = plain.forward(xs[0]).pow(2).sum();
    retained.backward(undefined, { retainGraph: true });
    const once = plain.parameters().map((p) => p.grad!.toArray());
    plain.zeroGrad();
    plain.forward(xs[1]).sum().backward(); // allocates and hands back buffers of the same sizes
    plain.zeroGrad();
    retained.backward();
    expect(plain.parameters().map((p) => p.grad!.toArray())).toEqual(once);
  });

  it('an LSTM hands back its input projections and keeps its outputs and retained graphs intact', () => {
    torch.manualSeed(3);
    // gi [12, 4, 128] per layer and direction, the input and layer 1's input [12, 4, 64]: pooled sizes (above the slabs').
    const xs = Array.from({ length: 3 }, () => torch.randn([12, 4, 64]));
    torch.manualSeed(6);
    const lstm = new nn.LSTM(64, 32, { numLayers: 2, bidirectional: true });
    const loss = (x: torch.Tensor): torch.Tensor => {
      const [out, [h, c]] = lstm.forward(x);
      for (const t of [x, out, h, c]) outputs.push([t, Array.from(t.data)]);
      return out.pow(2).sum().add(c.sum());
    };
    const retained = loss(xs[0]);
    retained.backward(undefined, { retainGraph: true });
    const once = lstm.parameters().map((p) => p.grad!.toArray());
    for (const x of xs.slice(1)) { // hand back buffers of the same sizes, taken by the next allocations
      lstm.zeroGrad();
      loss(x).backward();
    }
    lstm.zeroGrad();
    retained.backward();
    expect(lstm.parameters().map((p) => p.grad!.toArray())).toEqual(once);
    const first = torch.noGrad(() => lstm.forward(xs[0])[0]);
    const values = first.toArray();
    torch.noGrad(() => lstm.forward(xs[1]));
    expect(first.toArray()).toEqual(values);
  });

  it('an LSTM read through hN only (batch-first input copy, the layer output, the projections all handed back) trains bit for bit like one fed pre-transposed input', () => {
    // [8, 12, 64] inputs: the transposed copy, gi [12, 8, 256] and y [13, 8, 64] are pooled sizes (above the slabs').
    torch.manualSeed(4);
    const xs = Array.from({ length: 4 }, () => torch.randn([8, 12, 64]));
    const ys = Array.from({ length: 4 }, () => torch.randint(0, 64, [8]).to('int32'));
    const twin = (batchFirst: boolean): torch.nn.LSTM => {
      torch.manualSeed(7);
      return new nn.LSTM(64, 64, { batchFirst });
    };
    const a = twin(true);
    const b = twin(false);
    const step = (lstm: torch.nn.LSTM, opt: torch.optim.SGD, x: torch.Tensor, y: torch.Tensor): number[] => {
      opt.zeroGrad();
      const [, [h]] = lstm.forward(x);
      const loss = nn.functional.crossEntropy(h.select(0, 0), y);
      loss.backward();
      opt.step();
      return [loss.item(), ...lstm.parameters().flatMap((p: torch.Tensor) => Array.from(p.data))];
    };
    const optA = new optim.SGD(a.parameters(), { lr: 0.5 });
    const optB = new optim.SGD(b.parameters(), { lr: 0.5 });
    for (let s = 0; s < xs.length; s++) { // interleaved: what one hands back, the other's next allocation takes
      const left = step(a, optA, xs[s], ys[s]);
      const right = step(b, optB, xs[s].transpose(0, 1).contiguous(), ys[s]);
      expect(left).toEqual(right);
    }
  });

  it('under noGrad an output stays intact when the next forward reuses the intermediates', () => {
    const { xs } = batches(2);
    const model = mlp(5);
    const first = torch.noGrad(() => model.forward(xs[0]));
    const values = first.toArray();
    torch.noGrad(() => model.forward(xs[1]));
    expect(first.toArray()).toEqual(values);
    expect(torch.noGrad(() => model.forward(xs[0])).toArray()).toEqual(values);
  });

  it('sums a gradient reaching one tensor twice in place and keeps retained gradients', () => {
    const x = torch.randn([40, 40], { requiresGrad: true });
    const y = x.mul(2);
    y.retainGrad();
    y.exp().add(y.sin()).sum().backward();
    const expected = y.detach().exp().add(y.detach().cos());
    expect(y.grad!.toArray()).toEqual(expected.toArray());
    const yGrad = y.grad!.toArray();
    x.mul(3).exp().sum().backward(); // same sizes again
    expect(y.grad!.toArray()).toEqual(yGrad);
    expect(x.grad!.toArray()).toEqual(expected.mul(2).add(x.detach().mul(3).exp().mul(3)).toArray());
  });
});
