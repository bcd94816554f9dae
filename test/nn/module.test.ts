/** Module API: registration, naming, traversal, modes, gradients, dtype, state dict, repr. */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import * as nn from '../../lib/nn';

type T = torch.Tensor;

/** A module with its own parameter, a buffer and two children, like a PyTorch user module. */
class Net extends nn.Module<[T], T> {
  scale = this.registerParameter('scale', torch.ones(1));
  fc1 = this.registerModule('fc1', new nn.Linear(2, 3));
  act = this.registerModule('act', new nn.ReLU());
  fc2 = this.registerModule('fc2', new nn.Linear(3, 1));
  constructor() {
    super();
    this.registerBuffer('steps', torch.zeros(1));
    this.registerBuffer('cache', torch.zeros(2), { persistent: false });
  }
  forward(x: T): T {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
  }
}

function nested(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(2, 4), new nn.Sequential(new nn.Tanh(), new nn.Linear(4, 3)), new nn.Linear(3, 1, { bias: false }));
}

describe('naming and traversal', () => {
  it('namedParameters follows PyTorch: own first, then children, Sequential children 0, 1, …', () => {
    expect(nested().namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.1.weight', '1.1.bias', '2.weight']);
    expect(new Net().namedParameters().map(([n]) => n)).toEqual(['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  });

  it('parameters() are leaves that require grad, in namedParameters order', () => {
    const m = nested();
    const ps = m.parameters();
    expect(ps).toEqual(m.namedParameters().map(([, p]) => p));
    for (const p of ps) {
      expect(p.isLeaf).toBe(true);
      expect(p.requiresGrad).toBe(true);
      expect(nn.isParameter(p)).toBe(true);
    }
    expect(m.parameters({ recurse: false })).toEqual([]);
    expect(m.namedParameters({ prefix: 'model' })[0][0]).toBe('model.0.weight');
  });

  it('lists a shared (tied) parameter once', () => {
    const a = new nn.Linear(3, 3);
    const b = new nn.Linear(3, 3);
    b.weight = a.weight;
    const m = new nn.Sequential(a, b);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.bias']);
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('children, namedChildren, modules, namedModules', () => {
    const m = nested();
    expect(m.namedChildren().map(([n, c]) => [n, c.constructor.name])).toEqual([['0', 'Linear'], ['1', 'Sequential'], ['2', 'Linear']]);
    expect(m.children()).toHaveLength(3);
    expect(m.modules().map((c) => c.constructor.name)).toEqual(['Sequential', 'Linear', 'Sequential', 'Tanh', 'Linear', 'Linear']);
    expect(m.namedModules().map(([n]) => n)).toEqual(['', '0', '1', '1.0', '1.1', '2']);
  });

  it('apply visits children before the parent', () => {
    const seen: string[] = [];
    nested().apply((mod) => seen.push(mod.constructor.name));
    expect(seen).toEqual(['Linear', 'Tanh', 'Linear', 'Sequential', 'Linear', 'Sequential']);
  });

  it('buffers are listed and persistent ones saved', () => {
    const net = new Net();
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['steps', 'cache']);
    expect(Object.keys(net.stateDict())).toEqual(['scale', 'steps', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  });
});

describe('registration', () => {
  class Bare extends nn.Module {
    forward(x: T): T { return x; }
  }

  it('turns a raw leaf into a parameter in place', () => {
    const m = new Bare();
    const w = torch.randn(3);
    expect(m.registerParameter('w', w)).toBe(w);
    expect(w.requiresGrad).toBe(true);
    expect(m.parameters()[0]).toBe(w);
  });

  it('keeps a frozen Parameter frozen and shares storage with its data', () => {
    const data = torch.randn(2);
    const p = nn.Parameter(data, false);
    expect(p.data).toBe(data.data);
    const m = new Bare();
    m.registerParameter('p', p);
    expect(p.requiresGrad).toBe(false);
    expect(m.parameters()).toEqual([p]);
  });

  it('rejects bad names, clashes, non-leaves and int parameters', () => {
    const m = new Bare();
    expect(() => m.registerParameter('a.b', torch.ones(1))).toThrow(/can't contain '\.'/);
    expect(() => m.registerParameter('', torch.ones(1))).toThrow(/empty/);
    m.registerModule('sub', new Bare());
    expect(() => m.registerParameter('sub', torch.ones(1))).toThrow(/already exists as a module/);
    const leaf = torch.ones(2, { requiresGrad: true });
    expect(() => m.registerParameter('y', leaf.mul(2))).toThrow(/non-leaf/);
    expect(() => m.registerParameter('i', torch.ones(2, { dtype: 'int32' }))).toThrow(/float/);
    expect(() => m.registerModule('x', {} as unknown as nn.AnyModule)).toThrow(TypeError);
  });

  it('null registers an absent parameter that is skipped everywhere', () => {
    const lin = new nn.Linear(2, 2, { bias: false });
    expect(lin.bias).toBeNull();
    expect(lin.parameters()).toHaveLength(1);
    expect(Object.keys(lin.stateDict())).toEqual(['weight']);
  });
});

describe('modes and gradients', () => {
  it('train()/eval() set training on every submodule', () => {
    const m = nested();
    expect(m.modules().every((c) => c.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().every((c) => !c.training)).toBe(true);
    m.train();
    expect(m.modules().every((c) => c.training)).toBe(true);
    m.train(false);
    expect(m.get(1).training).toBe(false);
  });

  it('zeroGrad sets grads to null (PyTorch 2), or zero-fills with setToNone = false', () => {
    const m = nested();
    m.forward(torch.randn(5, 2)).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad(false);
    for (const p of m.parameters()) expect(Array.from((p.grad as T).data).every((v) => v === 0)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('requiresGrad_(false) freezes every parameter', () => {
    const m = nested().requiresGrad_(false);
    expect(m.parameters().some((p) => p.requiresGrad)).toBe(false);
  });
});

describe('to(dtype)', () => {
  it('converts parameters, buffers and grads; parameters() and fields reflect the new tensors', () => {
    const net = new Net();
    net.forward(torch.randn(4, 2)).sum().backward();
    const before = net.fc1.weight.toArray();
    expect(net.to('float64')).toBe(net);
    for (const p of net.parameters()) {
      expect(p.dtype).toBe('float64');
      expect(p.requiresGrad).toBe(true);
      expect(p.isLeaf).toBe(true);
      expect(p.grad?.dtype).toBe('float64');
    }
    expect(net.buffers().every((b) => b.dtype === 'float64')).toBe(true);
    expect(net.scale).toBe(net.parameters()[0]);
    expect(net.fc1.weight.dtype).toBe('float64');
    expect(net.fc1.weight.toArray()).toEqual(before);
    expect(net.forward(torch.randn(4, 2, { dtype: 'float64' })).dtype).toBe('float64');
    net.float();
    expect(net.parameters().every((p) => p.dtype === 'float32')).toBe(true);
  });

  it('keeps tied parameters tied and rejects int dtypes', () => {
    const a = new nn.Linear(2, 2);
    const b = new nn.Linear(2, 2);
    b.weight = a.weight;
    const m = new nn.Sequential(a, b).double();
    expect(a.weight).toBe(b.weight);
    expect(() => m.to('int32')).toThrow(/float/);
  });
});

describe('stateDict / loadStateDict', () => {
  it('keys like PyTorch, values detached and sharing storage', () => {
    const m = nested();
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['0.weight', '0.bias', '1.1.weight', '1.1.bias', '2.weight']);
    const w = (m.get(0) as nn.Linear).weight;
    expect(sd['0.weight'].requiresGrad).toBe(false);
    expect(sd['0.weight'].data).toBe(w.data);
    expect(sd['0.weight'].shape).toEqual([4, 2]);
  });

  it('loads values into the existing parameters, keeping their dtype and identity', () => {
    const src = nested();
    const dst = nested();
    const w = (dst.get(0) as nn.Linear).weight;
    const sd64: nn.StateDict = {};
    for (const [k, v] of Object.entries(src.stateDict())) sd64[k] = v.double();
    expect(dst.loadStateDict(sd64)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect((dst.get(0) as nn.Linear).weight).toBe(w);
    expect(w.dtype).toBe('float32');
    expect(w.requiresGrad).toBe(true);
    for (const [k, v] of Object.entries(dst.stateDict())) expect(v.toArray()).toEqual(src.stateDict()[k].toArray());
    const x = torch.randn(3, 2);
    expect(dst.forward(x).toArray()).toEqual(src.forward(x).toArray());
  });

  it('accepts a Map', () => {
    const src = new nn.Linear(2, 2);
    const dst = new nn.Linear(2, 2);
    dst.loadStateDict(new Map(Object.entries(src.stateDict())));
    expect(dst.weight.toArray()).toEqual(src.weight.toArray());
  });

  it('strict mode lists missing and unexpected keys in PyTorch words and copies nothing', () => {
    const m = new nn.Sequential(new nn.Linear(2, 3));
    const before = (m.get(0) as nn.Linear).weight.toArray();
    const sd = { '0.weight': torch.zeros(3, 2), foo: torch.zeros(1) };
    expect(() => m.loadStateDict(sd)).toThrow('Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.bias".\n\tUnexpected key(s) in state_dict: "foo".');
    expect((m.get(0) as nn.Linear).weight.toArray()).toEqual(before);
  });

  it('non-strict mode returns missing and unexpected keys and loads the rest', () => {
    const m = new nn.Sequential(new nn.Linear(2, 3));
    const res = m.loadStateDict({ '0.weight': torch.zeros(3, 2), foo: torch.zeros(1) }, { strict: false });
    expect(res).toEqual({ missingKeys: ['0.bias'], unexpectedKeys: ['foo'] });
    expect(torch.tensor((m.get(0) as nn.Linear).weight.toArray() as number[][]).abs().sum().item()).toBe(0);
  });

  it('a shape mismatch is an error naming the key and both shapes, even non-strict', () => {
    const m = new nn.Sequential(new nn.Linear(2, 3));
    for (const strict of [true, false]) {
      expect(() => m.loadStateDict({ '0.weight': torch.zeros(4, 2), '0.bias': torch.zeros(3) }, { strict }))
        .toThrow('size mismatch for 0.weight: copying a param with shape [4, 2] from checkpoint, the shape in current model is [3, 2].');
    }
    expect(() => m.loadStateDict({ '0.weight': [1, 2] as unknown as T })).toThrow(/"0\.weight".*Tensor/);
  });

  it('round-trips buffers and skips non-persistent ones', () => {
    const a = new Net();
    a.buffers()[0].fill_(7);
    const b = new Net();
    b.loadStateDict(a.stateDict());
    expect(b.buffers()[0].item()).toBe(7);
    expect(() => b.loadStateDict({ ...a.stateDict(), cache: torch.zeros(2) })).toThrow(/Unexpected key\(s\) in state_dict: "cache"/);
  });
});

describe('repr', () => {
  it('prints like PyTorch', () => {
    const m = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1), new nn.Sigmoid());
    expect(m.toString()).toBe('Sequential(\n  (0): Linear(in_features=2, out_features=8, bias=True)\n  (1): Sigmoid()\n  (2): Linear(in_features=8, out_features=1, bias=True)\n  (3): Sigmoid()\n)');
    // The same modules printed by PyTorch 1.13.
    const all = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Dropout(), new nn.LeakyReLU(), new nn.Flatten(),
      new nn.Softmax(1), new nn.Identity(), new nn.Sequential(new nn.Tanh()), new nn.CrossEntropyLoss() as unknown as nn.Layer,
      new nn.Linear(2, 3, { bias: false }));
    expect(String(all)).toBe(`Sequential(
  (0): Linear(in_features=2, out_features=8, bias=True)
  (1): Sigmoid()
  (2): Dropout(p=0.5, inplace=False)
  (3): LeakyReLU(negative_slope=0.01)
  (4): Flatten(start_dim=1, end_dim=-1)
  (5): Softmax(dim=1)
  (6): Identity()
  (7): Sequential(
    (0): Tanh()
  )
  (8): CrossEntropyLoss()
  (9): Linear(in_features=2, out_features=3, bias=False)
)`);
    expect(new nn.Dropout(0.25).toString()).toBe('Dropout(p=0.25, inplace=False)');
    expect(new nn.LeakyReLU(1).toString()).toBe('LeakyReLU(negative_slope=1.0)');
    expect(new nn.LogSoftmax(-1).toString()).toBe('LogSoftmax(dim=-1)');
    expect(new Net().toString()).toBe('Net(\n  (fc1): Linear(in_features=2, out_features=3, bias=True)\n  (act): ReLU()\n  (fc2): Linear(in_features=3, out_features=1, bias=True)\n)');
  });
});

describe('training end to end', () => {
  it('an MLP learns XOR with BCELoss and a hand-written update', () => {
    torch.manualSeed(0);
    const x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = torch.tensor([[0], [1], [1], [0]]);
    const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Sigmoid());
    const lossFn = new nn.BCELoss();
    let loss = Infinity;
    for (let step = 0; step < 1500; step++) {
      model.zeroGrad();
      const l = lossFn.forward(model.forward(x), y);
      l.backward();
      torch.noGrad(() => { for (const p of model.parameters()) p.sub_(p.grad as T, 0.5); });
      loss = l.item();
    }
    expect(loss).toBeLessThan(0.05);
    const pred = torch.noGrad(() => model.forward(x)).gt(0.5).toArray();
    expect(pred).toEqual([[0], [1], [1], [0]]);
  });
});
