/**
 * The pooling and batch-norm modules: PyTorch's reprs, parameters, buffers and
 * state-dict keys, train/eval, Module.to, and safetensors both ways with
 * num_batches_tracked as I64 (test/fixtures/pool_net_torch.safetensors and
 * pool_net.json, made by make_pool_fixtures.py with PyTorch 1.13 and the
 * safetensors package).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../lib';
import { deserialize, serialize } from '../../lib/io';
import { describeBackends, expectClose } from '../helpers';

type T = torch.Tensor;
const { nn } = torch;
const FIXTURES = path.join(__dirname, '..', 'fixtures');

describe('reprs as PyTorch prints them', () => {
  const cases: [string, () => torch.nn.AnyModule][] = [
    ['MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)', () => new nn.MaxPool2d(2)],
    ['MaxPool2d(kernel_size=(3, 2), stride=1, padding=(1, 0), dilation=1, ceil_mode=True)',
      () => new nn.MaxPool2d([3, 2], { stride: 1, padding: [1, 0], ceilMode: true })],
    ['MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=False)', () => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2 })],
    ['AvgPool2d(kernel_size=3, stride=2, padding=1)', () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false })],
    ['AvgPool1d(kernel_size=(4,), stride=(4,), padding=(0,))', () => new nn.AvgPool1d(4)],
    ['AdaptiveAvgPool2d(output_size=(5, None))', () => new nn.AdaptiveAvgPool2d([5, null])],
    ['AdaptiveAvgPool2d(output_size=1)', () => new nn.AdaptiveAvgPool2d(1)],
    ['BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)', () => new nn.BatchNorm2d(16)],
    ['BatchNorm1d(4, eps=0.001, momentum=None, affine=False, track_running_stats=False)',
      () => new nn.BatchNorm1d(4, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false })],
  ];
  for (const [text, build] of cases) it(text, () => expect(build().toString()).toBe(text));
});

describeBackends('BatchNorm modules', () => {
  it('holds weight (ones) and bias (zeros), buffers running_mean, running_var, num_batches_tracked, in PyTorch\'s key order', () => {
    const m = new nn.BatchNorm2d(3);
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(sd.weight.toArray()).toEqual([1, 1, 1]);
    expect(sd.bias.toArray()).toEqual([0, 0, 0]);
    expect(sd.running_mean.toArray()).toEqual([0, 0, 0]);
    expect(sd.running_var.toArray()).toEqual([1, 1, 1]);
    expect(sd.num_batches_tracked.shape).toEqual([]);
    expect(sd.num_batches_tracked.dtype).toBe('int32');
    expect(m.parameters().map((p) => p.requiresGrad)).toEqual([true, true]);
    expect(Object.keys(new nn.BatchNorm1d(3, { affine: false, trackRunningStats: false }).stateDict())).toEqual([]);
  });

  it('updates the running statistics and the counter in training mode only', () => {
    const m = new nn.BatchNorm1d(2);
    const x = torch.tensor([[1, 10], [3, 14], [5, 12]]);
    m.forward(x);
    expectClose((m.runningMean as T).data, [0.3, 1.2]);
    expectClose((m.runningVar as T).data, [0.9 + 0.1 * 4, 0.9 + 0.1 * 4]);
    expect((m.numBatchesTracked as T).item()).toBe(1);
    m.eval();
    const y = m.forward(x);
    expect((m.numBatchesTracked as T).item()).toBe(1);
    expectClose((m.runningMean as T).data, [0.3, 1.2]);
    expectClose(y.data, [0.7 / Math.sqrt(1.3 + 1e-5), 8.8 / Math.sqrt(1.3 + 1e-5), 2.7 / Math.sqrt(1.3 + 1e-5),
      12.8 / Math.sqrt(1.3 + 1e-5), 4.7 / Math.sqrt(1.3 + 1e-5), 10.8 / Math.sqrt(1.3 + 1e-5)]);
    m.train();
    m.forward(x);
    expect((m.numBatchesTracked as T).item()).toBe(2);
  });

  it('weight and bias assigned as properties are registered, as PyTorch\'s __setattr__', () => {
    const m = new nn.BatchNorm1d(2);
    m.weight = torch.tensor([2, 3]).requiresGrad_();
    m.bias = null;
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'running_mean', 'running_var', 'num_batches_tracked']);
    const [s1, s4] = [Math.sqrt(1 + 1e-5), Math.sqrt(4 + 1e-5)];
    expectClose(m.forward(torch.tensor([[1, 0], [3, 4]])).data, [-2 / s1, -6 / s4, 2 / s1, 6 / s4]);
  });

  it('an empty batch gives an empty output and leaves the running statistics alone, as PyTorch', () => {
    const m = new nn.BatchNorm2d(3);
    expect(m.forward(torch.zeros(0, 3, 2, 2)).shape).toEqual([0, 3, 2, 2]);
    expect(m.runningMean?.toArray()).toEqual([0, 0, 0]);
    expect(m.runningVar?.toArray()).toEqual([1, 1, 1]);
  });

  it('without running statistics uses the batch statistics in eval mode too', () => {
    const m = new nn.BatchNorm1d(1, { trackRunningStats: false, affine: false });
    m.eval();
    expectClose(m.forward(torch.tensor([[1], [3]])).data, [-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5)]);
  });

  it('to(dtype) converts the float buffers but not num_batches_tracked', () => {
    const m = new nn.BatchNorm2d(2).to('float64');
    expect(m.weight?.dtype).toBe('float64');
    expect(m.runningMean?.dtype).toBe('float64');
    expect(m.runningVar?.dtype).toBe('float64');
    expect(m.numBatchesTracked?.dtype).toBe('int32');
    m.forward(torch.rand([2, 2, 3, 3], { dtype: 'float64' }));
    expect(m.numBatchesTracked?.item()).toBe(1);
  });

  it('a pooled CNN block trains: the loss falls', () => {
    torch.manualSeed(3);
    const model = new nn.Sequential(new nn.BatchNorm2d(2), new nn.MaxPool2d(2), new nn.AvgPool2d(2, { stride: 1 }),
      new nn.AdaptiveAvgPool2d(2), new nn.Flatten(), new nn.Linear(8, 3), new nn.BatchNorm1d(3));
    const x = torch.randn([8, 2, 8, 8]);
    const y = torch.randint(3, [8], { dtype: 'int32' });
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(model.forward(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(losses[29]).toBeLessThan(losses[0] * 0.7);
  });
});

describeBackends('pooling layers in a Sequential that reuses its buffers', () => {
  it('train to the same bits as the same layers called one by one', () => {
    const build = (): torch.nn.Layer[] => {
      torch.manualSeed(5);
      return [new nn.MaxPool2d(2, { stride: 1 }), new nn.AvgPool2d(2), new nn.AdaptiveAvgPool2d(2), new nn.Flatten(),
        new nn.Linear(8, 4), new nn.ReLU(), new nn.MaxPool1d(2)];
    };
    const seq = new nn.Sequential(...build());
    const layers = build();
    const x = torch.randn([3, 2, 7, 7]);
    const train = (forward: (x: T) => T, params: T[]): number[] => {
      const opt = new torch.optim.SGD(params, { lr: 0.1 });
      for (let step = 0; step < 4; step++) {
        opt.zeroGrad();
        forward(x).pow(2).sum().backward();
        opt.step();
      }
      return params.flatMap((p) => Array.from(p.data));
    };
    const bySeq = train((v) => seq.forward(v), seq.parameters());
    const byHand = train((v) => layers.reduce((h, m) => m.forward(h), v), layers.flatMap((m) => m.parameters()));
    expect(bySeq).toEqual(byHand);
  });
});

interface NetFixture { steps: { shape: number[]; values: number[] }[]; input: { shape: number[]; values: number[] }; output: { shape: number[]; values: number[] } }

/** The fixture's architecture: BatchNorm2d(2), MaxPool2d(2), Flatten(), Linear(8, 3), BatchNorm1d(3). */
const poolNet = (): torch.nn.Sequential =>
  new nn.Sequential(new nn.BatchNorm2d(2), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(8, 3), new nn.BatchNorm1d(3));

describeBackends('safetensors with num_batches_tracked as I64, both ways', () => {
  const raw = readFileSync(path.join(FIXTURES, 'pool_net_torch.safetensors'));
  const fx = JSON.parse(readFileSync(path.join(FIXTURES, 'pool_net.json'), 'utf8')) as NetFixture;
  const header = (bytes: Buffer): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> =>
    JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as never;

  it('PyTorch\'s file loads with strict and gives PyTorch\'s eval output', () => {
    const { tensors } = deserialize(raw);
    expect(header(raw)['0.num_batches_tracked']).toMatchObject({ dtype: 'I64', shape: [] });
    const model = poolNet();
    model.loadStateDict(tensors, { strict: true });
    model.eval();
    const bn = model.get(0) as torch.nn.BatchNorm2d;
    expect(bn.numBatchesTracked?.dtype).toBe('int32');
    expect(bn.numBatchesTracked?.item()).toBe(3);
    const x = torch.tensor(fx.input.values).reshape(fx.input.shape);
    expectClose(torch.noGrad(() => model.forward(x)).data, fx.output.values, 1e-5, 1e-5);
  });

  it('torchlet writes the very bytes PyTorch\'s safetensors wrote (I64 counters first, shape [])', () => {
    const model = poolNet();
    model.loadStateDict(deserialize(raw).tensors, { strict: true });
    const mine = serialize(model.stateDict());
    expect(header(mine)['4.num_batches_tracked']).toEqual(header(raw)['4.num_batches_tracked']);
    expect(mine.equals(raw)).toBe(true);
  });

  it('a torchlet-trained net writes its counter as an 8-byte little-endian int64', () => {
    const model = poolNet();
    for (const s of fx.steps) torch.noGrad(() => model.forward(torch.tensor(s.values).reshape(s.shape)));
    const bytes = serialize(model.stateDict());
    const entry = header(bytes)['0.num_batches_tracked'];
    expect(entry).toEqual({ dtype: 'I64', shape: [], data_offsets: [0, 8] });
    const start = 8 + Number(bytes.readBigUInt64LE(0));
    expect(bytes.readBigInt64LE(start)).toBe(3n);
    const back = deserialize(bytes).tensors;
    expect(back['0.num_batches_tracked'].dtype).toBe('int32');
    expect(back['0.num_batches_tracked'].item()).toBe(3);
    // A copy is plain int32 data again.
    expect(header(serialize({ n: model.stateDict()['0.num_batches_tracked'].clone() })).n.dtype).toBe('I32');
  });
});
