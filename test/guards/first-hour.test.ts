/**
 * The PyTorch habits that JavaScript would let fail silently (issue "A
 * PyTorch user's first hour"): each one either works as in PyTorch or throws
 * an error saying what to write instead. One check of each, through the
 * public API.
 */
import { describe, it, expect } from 'vitest';
import { inspect } from 'node:util';
import * as torch from '../../lib';

const { nn, optim } = torch;
type Tensor = torch.Tensor;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('modules register what is assigned to their properties (PyTorch\'s __setattr__)', () => {
  it('a Linear assigned in the constructor is trained by a hand-written loop', () => {
    class Net extends nn.Module {
      lin: torch.nn.Linear;
      constructor() {
        super();
        this.lin = new nn.Linear(4, 1);
      }
      forward(x: Tensor): Tensor {
        return this.lin.forward(x);
      }
    }
    torch.manualSeed(0);
    const model = new Net();
    expect(model.namedParameters().map(([n]) => n)).toEqual(['lin.weight', 'lin.bias']);
    const x = torch.randn(16, 4);
    const y = x.sum(1, true);
    const loss = (): number => nn.functional.mseLoss(model.forward(x), y).item();
    const before = loss();
    for (let i = 0; i < 20; i++) {
      nn.functional.mseLoss(model.forward(x), y).backward();
      torch.noGrad(() => {
        for (const p of model.parameters()) p.sub_((p.grad as Tensor).mul(0.1));
      });
      model.zeroGrad();
    }
    expect(loss()).toBeLessThan(before / 10);
  });

  it('Parameters and modules from class fields, the constructor and later assignment, in assignment order', () => {
    class Block extends nn.Module {
      scale = nn.Parameter(torch.ones(1));
      fc1 = new nn.Linear(2, 3);
      act: torch.nn.ReLU;
      declare fc2: torch.nn.Linear;
      constructor() {
        super();
        this.act = new nn.ReLU();
        this.registerModule('fc2', new nn.Linear(3, 1));
      }
      forward(x: Tensor): Tensor {
        return this.fc2.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
      }
    }
    const m = new Block();
    // registerModule set the property too (PyTorch's __getattr__ finds it).
    expect(m.fc2).toBeInstanceOf(nn.Linear);
    expect(Object.keys(m.stateDict())).toEqual(['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(m.children().length).toBe(3);

    const replacement = new nn.Linear(2, 3, { bias: false });
    m.fc1 = replacement;
    (m as unknown as { extra: torch.nn.Module }).extra = new nn.Tanh();
    expect(m.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'fc2', 'extra']);
    expect(m.namedModules()[1][1]).toBe(replacement);
    expect(Object.keys(m.stateDict())).toEqual(['scale', 'fc1.weight', 'fc2.weight', 'fc2.bias']);
    expect(m.toString()).toContain('(extra): Tanh()');
  });

  it('a plain tensor in a property stays a plain attribute, a buffer stays explicit', () => {
    class M extends nn.Module {
      cache = torch.zeros(2);
      constructor() {
        super();
        this.registerBuffer('runningMean', torch.zeros(3));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new M();
    expect(m.parameters()).toEqual([]);
    expect(Object.keys(m.stateDict())).toEqual(['runningMean']);
    expect((m as unknown as { runningMean: Tensor }).runningMean.shape).toEqual([3]);
    expect(() => {
      (m as unknown as { runningMean: unknown }).runningMean = 5;
      m.stateDict();
    }).toThrow(/M: cannot assign number 5 to buffer 'runningMean'/);
  });
});

describe('options in PyTorch\'s spelling are errors naming the JS key', () => {
  it.each([
    ['DataLoader', () => new torch.data.DataLoader(new torch.data.TensorDataset(torch.zeros(4)), { batch_size: 2 } as never), /^DataLoader: unknown option 'batch_size'; did you mean 'batchSize'\?/],
    ['zeros', () => torch.zeros(10, { requires_grad: true } as never), /^zeros: unknown option 'requires_grad'; did you mean 'requiresGrad'\?/],
    ['SGD', () => new optim.SGD([torch.zeros(1, { requiresGrad: true })], { lr: 0.1, weight_decay: 1e-4 } as never), /^SGD: unknown option 'weight_decay'; did you mean 'weightDecay'\?/],
    ['SGD param group', () => new optim.SGD([{ params: [torch.zeros(1, { requiresGrad: true })], weight_decay: 1 }] as never, { lr: 0.1 }), /^SGD param group: unknown option 'weight_decay'; did you mean 'weightDecay'\?/],
  ])('%s', (_name, fn, message) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(message);
  });
});

describe('JavaScript arithmetic on a tensor is an error; strings still work', () => {
  const t = torch.tensor([1, 2]);
  it.each([
    ['t / 2', () => (t as unknown as number) / 2],
    ['t + t', () => (t as unknown as string) + (t as unknown as string)],
    ['t > 0', () => (t as unknown as number) > 0],
    ['Number(t)', () => Number(t)],
  ])('%s', (_name, fn) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/t\.add\(u\).*t\.div\(u\).*t\.item\(\)/);
  });

  it('template literals, String() and console.log print it', () => {
    expect(`${t}`).toBe(t.toString());
    expect(String(t)).toBe(t.toString());
    expect(inspect(t)).toBe(t.toString());
    expect(t.toString()).toMatch(/^tensor\(\[1\.?0*, 2\.?0*\]\)$/);
  });
});

describe('one zeroGrad form on modules and optimizers', () => {
  function setup(): [torch.nn.Linear, torch.optim.SGD] {
    const lin = new nn.Linear(2, 1);
    lin.forward(torch.ones(1, 2)).sum().backward();
    return [lin, new optim.SGD(lin.parameters(), { lr: 0.1 })];
  }
  const grads = (lin: torch.nn.Linear): unknown[] => lin.parameters().map((p) => (p.grad === null ? null : (p.grad.toArray())));

  it.each([
    ['Module', (lin: torch.nn.Linear, _o: torch.optim.SGD, arg?: never) => lin.zeroGrad(arg)],
    ['Optimizer', (_l: torch.nn.Linear, opt: torch.optim.SGD, arg?: never) => opt.zeroGrad(arg)],
  ])('%s.zeroGrad: (), ({ setToNone }), (bool) alike; other forms throw', (_name, zero) => {
    let [lin, opt] = setup();
    zero(lin, opt, { setToNone: false } as never);
    expect(grads(lin)).toEqual([[[0, 0]], [0]]);
    [lin, opt] = setup();
    zero(lin, opt, false as never);
    expect(grads(lin)).toEqual([[[0, 0]], [0]]);
    zero(lin, opt);
    expect(grads(lin)).toEqual([null, null]);
    expect(() => zero(lin, opt, { set_to_none: false } as never)).toThrow(/zeroGrad: unknown option 'set_to_none'; did you mean 'setToNone'\?/);
    expect(() => zero(lin, opt, 'no' as never)).toThrow(/zeroGrad: options must be an object/);
  });
});

describe('errors name the op called and print the argument', () => {
  it('torch.argmax(t, { dim: 1 })', () => {
    const e = thrown(() => torch.argmax(torch.zeros(2, 3), { dim: 1 } as never));
    expect(e.message).toMatch(/^argmax: dim must be an integer, got \{ dim: 1 \}/);
  });
});

describe('device calls from ported code', () => {
  it('cpu is a no-op, cuda is unavailable, other devices say torchlet runs on the CPU', () => {
    const t = torch.ones(2);
    expect(t.to('cpu')).toBe(t);
    expect(t.to('cpu', 'float64').dtype).toBe('float64');
    expect(t.cpu()).toBe(t);
    expect(String(t.device)).toBe('cpu');
    const model = new nn.Linear(2, 2);
    expect(model.to('cpu')).toBe(model);
    expect(String(torch.device('cpu'))).toBe('cpu');
    expect(torch.cuda.isAvailable()).toBe(false);
    const dev = torch.device(torch.cuda.isAvailable() ? 'cuda' : 'cpu');
    expect(t.to(dev)).toBe(t);
    expect(torch.zeros(2, { device: 'cpu' }).shape).toEqual([2]);
    for (const fn of [() => t.to('cuda'), () => model.to('cuda:0'), () => torch.device('cuda'), () => torch.zeros(2, { device: 'cuda' })]) {
      expect(fn).toThrow(/torchlet runs on the CPU only, there is no 'cuda(:0)?' device/);
    }
  });
});

describe('modes scoped to a callback refuse async callbacks', () => {
  it.each([
    ['noGrad', torch.noGrad],
    ['enableGrad', torch.enableGrad],
    ['detectAnomaly', torch.detectAnomaly],
  ] as const)('%s', (name, scope) => {
    expect(() => scope(async () => 1)).toThrow(new RegExp(`^${name}: the callback is async .* ends at the callback's first await`));
    // A plain function returning a promise is caught after it ran; the mode is restored either way.
    expect(() => scope(() => Promise.resolve(1))).toThrow(/callback is async/);
    expect(torch.isGradEnabled()).toBe(true);
    expect(torch.isAnomalyEnabled()).toBe(false);
  });
});

describe('datasets.mnist order', () => {
  it('is grouped by digit by default; { shuffle, seed } mixes it the same way every run', () => {
    const grouped = torch.data.datasets.mnist().labels;
    expect(grouped.narrow(0, 0, 100).toArray()).toEqual(new Array(100).fill(0));
    const a = torch.data.datasets.mnist({ shuffle: true, seed: 0 });
    const b = torch.data.datasets.mnist({ shuffle: true, seed: 0 });
    expect(a.labels.toArray()).toEqual(b.labels.toArray());
    const first = new Set(a.labels.narrow(0, 0, 500).toArray() as number[]);
    expect(first.size).toBe(10);
    const counts = (t: Tensor): number[] => (t.toArray() as number[]).reduce((c, d) => (c[d]++, c), new Array<number>(10).fill(0));
    expect(counts(a.labels)).toEqual(counts(grouped));
    expect(() => torch.data.datasets.mnist({ shufle: true } as never)).toThrow(/^mnist: unknown option 'shufle'; did you mean 'shuffle'\?/);
  });
});
