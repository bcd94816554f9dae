/** Optimizer bookkeeping: param groups, validation, zeroGrad, step, state dicts. */
import { it, expect } from 'vitest';
import * as torch from '../../lib';
import * as optim from '../../lib/optim';
import { describeBackends } from '../helpers';

/** A small problem: loss = sum((w·x − 1)²) with a grad on w only. */
function problem(dtype: 'float32' | 'float64' = 'float32') {
  const w = torch.tensor([0.5, -1, 2], { dtype, requiresGrad: true });
  const b = torch.tensor([0.25], { dtype, requiresGrad: true });
  const x = torch.tensor([1, 2, 3], { dtype });
  const loss = (): torch.Tensor => w.mul(x).sum().add(b.sum()).sub(1).pow(2);
  return { w, b, loss };
}

describeBackends('Optimizer', () => {
  it('SGD requires lr, in the options or in every group', () => {
    const { w } = problem();
    expect(() => new optim.SGD([w], undefined as unknown as optim.SGDOptions)).toThrow(/required optimization parameter lr/);
    expect(() => new optim.SGD([w], {} as optim.SGDOptions)).toThrow(/required optimization parameter lr/);
    expect(() => new optim.SGD([{ params: [w] }])).toThrow(/required optimization parameter lr/);
    const opt = new optim.SGD([{ params: [w], lr: 0.5 }]);
    expect(opt.paramGroups[0].lr).toBe(0.5);
  });

  it('rejects invalid options with PyTorch\'s messages', () => {
    const { w } = problem();
    expect(() => new optim.SGD([w], { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new optim.SGD([w], { lr: NaN })).toThrow('Invalid learning rate: NaN');
    expect(() => new optim.SGD([w], { lr: 0.1, momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new optim.SGD([w], { lr: 0.1, weightDecay: -1 })).toThrow('Invalid weight_decay value: -1');
    expect(() => new optim.SGD([w], { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new optim.SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new optim.SGD([w], { lr: '0.1' as unknown as number })).toThrow(TypeError);
    for (const Cls of [optim.Adam, optim.AdamW]) {
      expect(() => new Cls([w], { lr: -1e-3 })).toThrow('Invalid learning rate: -0.001');
      expect(() => new Cls([w], { eps: -1 })).toThrow('Invalid epsilon value: -1');
      expect(() => new Cls([w], { betas: [1, 0.999] })).toThrow('Invalid beta parameter at index 0: 1');
      expect(() => new Cls([w], { betas: [-0.1, 0.999] })).toThrow('Invalid beta parameter at index 0: -0.1');
      expect(() => new Cls([w], { betas: [0.9, 1] })).toThrow('Invalid beta parameter at index 1: 1');
      expect(() => new Cls([w], { betas: [0.9] as unknown as [number, number] })).toThrow(/two numbers/);
      expect(() => new Cls([w], { weightDecay: -0.1 })).toThrow('Invalid weight_decay value: -0.1');
      expect(() => new Cls([w], { amsgrad: 1 as unknown as boolean })).toThrow(TypeError);
    }
    // Group overrides are checked too (PyTorch checks only the defaults).
    expect(() => new optim.Adam([{ params: [w], lr: -1 }])).toThrow('Invalid learning rate: -1');
    // Each names itself, in its defaults and in a group added later.
    expect(() => new optim.AdamW([w], { eps: -1 })).toThrow(/^AdamW: /);
    expect(() => new optim.Adam([w]).addParamGroup({ params: [torch.zeros([1], { requiresGrad: true })], eps: -1 })).toThrow(/^Adam: /);
  });

  it('checks the params it is given', () => {
    const { w, b } = problem();
    expect(() => new optim.SGD(w as unknown as torch.Tensor[], { lr: 1 })).toThrow(/iterable of Tensors or param groups, but got a Tensor/);
    expect(() => new optim.SGD([], { lr: 1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new optim.SGD([1 as unknown as torch.Tensor], { lr: 1 })).toThrow(/optimizer can only optimize Tensors/);
    expect(() => new optim.SGD([w.mul(2)], { lr: 1 })).toThrow(/can't optimize a non-leaf Tensor/);
    expect(() => new optim.SGD([torch.tensor([1], { dtype: 'int32' })], { lr: 1 })).toThrow(/float tensors/);
    expect(() => new optim.SGD([w, w], { lr: 1 })).toThrow(/more than once/);
    expect(() => new optim.SGD([{ params: [w] }, { params: [w, b] }], { lr: 1 })).toThrow('some parameters appear in more than one parameter group');
    // Any iterable works: a generator, as model.parameters() may be, and a single tensor per group.
    function* gen(): Generator<torch.Tensor> { yield w; yield b; }
    expect(new optim.SGD(gen(), { lr: 1 }).paramGroups[0].params).toEqual([w, b]);
    expect(new optim.SGD([{ params: w }], { lr: 1 }).paramGroups[0].params).toEqual([w]);
  });

  it('fills groups from the defaults; groups do not share arrays', () => {
    const { w, b } = problem();
    const opt = new optim.Adam([{ params: [w] }, { params: [b], lr: 0.5, betas: [0.5, 0.6] }], { lr: 0.1, betas: [0.8, 0.9] });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    expect(opt.paramGroups[0]).toMatchObject({ betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(opt.paramGroups[1].betas).toEqual([0.5, 0.6]);
    expect(new optim.AdamW([w]).paramGroups[0]).toMatchObject({ lr: 1e-3, weightDecay: 1e-2 });
    const sgd = new optim.SGD([{ params: [w], lr: undefined }], { lr: 0.3 });
    expect(sgd.paramGroups[0]).toMatchObject({ lr: 0.3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    opt.addParamGroup({ params: [torch.zeros(2, { requiresGrad: true })], amsgrad: true });
    expect(opt.paramGroups[2]).toMatchObject({ lr: 0.1, amsgrad: true });
    expect(opt.paramGroups[2].betas).not.toBe(opt.paramGroups[0].betas);
  });

  it('step() updates params in place, keeps them leaves, skips params without grad', () => {
    const { w, b, loss } = problem();
    const opt = new optim.SGD([w, b], { lr: 0.01 });
    const data = w.data;
    w.grad = torch.tensor([1, 2, 3]);
    opt.step();
    expect(Array.from(w.data)).toEqual([0.5 - 0.01, -1 - 0.02, 2 - 0.03].map(Math.fround));
    expect(w.data).toBe(data);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
    expect(b.toArray()).toEqual([0.25]);
    expect(opt.state.has(b)).toBe(false);
    // Autograd still works on the updated param.
    opt.zeroGrad();
    loss().backward();
    expect(w.grad).not.toBeNull();
  });

  it('zeroGrad() sets grads to null; { setToNone: false } zeroes them in place', () => {
    const { w, b, loss } = problem();
    const opt = new optim.SGD([w, b], { lr: 0.1 });
    loss().backward();
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    expect(b.grad).toBeNull();
    loss().backward();
    const g = w.grad as torch.Tensor;
    opt.zeroGrad({ setToNone: false });
    expect(w.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0, 0]);
    loss().backward(); // accumulates into the zeroed grad
    expect((w.grad as torch.Tensor).toArray()).not.toEqual([0, 0, 0]);
  });

  it('paramGroups options are writable and used by the next step', () => {
    const { w } = problem();
    const opt = new optim.SGD([w], { lr: 1 });
    opt.paramGroups[0].lr = 0.5;
    w.grad = torch.ones(3);
    opt.step();
    expect(w.toArray()).toEqual([0, -1.5, 1.5]);
  });

  it('step(closure) runs the closure with grad enabled and returns its loss', () => {
    const { w, b, loss } = problem('float64');
    const opt = new optim.SGD([w, b], { lr: 0.01 });
    const before = loss().item();
    const result = torch.noGrad(() => opt.step(() => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      return l;
    }));
    expect(result?.item()).toBeCloseTo(before, 12);
    expect(loss().item()).toBeLessThan(before);
    expect(opt.step()).toBeUndefined();
  });

  it('refuses a grad whose shape or dtype differs from its parameter', () => {
    const { w } = problem();
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.grad = torch.ones(2);
    expect(() => opt.step()).toThrow(/grad of shape \[2\] does not match its parameter's shape \[3\]/);
    w.grad = torch.ones(3, { dtype: 'float64' });
    expect(() => opt.step()).toThrow(/dtype float64/);
  });

  it('stateDict() has PyTorch\'s layout and is a snapshot', () => {
    const { w, b, loss } = problem();
    const opt = new optim.Adam([{ params: [w] }, { params: [b], lr: 0.5 }], { lr: 0.1, amsgrad: true });
    loss().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups).toEqual([
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [0] },
      { lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [1] },
    ]);
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(sd.state[0].step).toBe(1);
    expect(Object.keys(sd.state[0]).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    const m = sd.state[0].expAvg.toArray();
    opt.zeroGrad();
    loss().backward();
    opt.step();
    expect(sd.state[0].expAvg.toArray()).toEqual(m);
    sd.paramGroups[0].betas = [0, 0];
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
  });

  const makers: ((p: torch.Tensor[]) => optim.Optimizer<optim.BaseOptions, object>)[] = [
    (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }),
    (p) => new optim.Adam(p, { lr: 0.05, amsgrad: true }),
    (p) => new optim.AdamW(p, { lr: 0.05 }),
  ];
  for (const make of makers) {
    it(`loadStateDict() resumes ${make([torch.zeros(1, { requiresGrad: true })]).constructor.name} exactly`, () => {
      const a = problem('float64');
      const optA = make([a.w, a.b]);
      const train = (opt: optim.Optimizer<optim.BaseOptions, object>, loss: () => torch.Tensor, n: number): void => {
        for (let i = 0; i < n; i++) {
          opt.zeroGrad();
          loss().backward();
          opt.step();
        }
      };
      train(optA, a.loss, 3);
      const sd = optA.stateDict();
      const c = problem('float64');
      torch.noGrad(() => { c.w.copy_(a.w); c.b.copy_(a.b); });
      const optC = make([c.w, c.b]);
      optC.paramGroups[0].lr = 123; // overwritten by the load
      optC.loadStateDict(sd);
      expect(optC.paramGroups[0].lr).toBe(0.05);
      expect(optC.paramGroups[0].params[0]).toBe(c.w);
      train(optA, a.loss, 3);
      train(optC, c.loss, 3);
      expect(c.w.toArray()).toEqual(a.w.toArray());
      expect(c.b.toArray()).toEqual(a.b.toArray());
    });
  }

  it('loadStateDict() validates the layout and converts state to the param dtype', () => {
    const { w, b, loss } = problem();
    const opt = new optim.SGD([w, b], { lr: 0.1, momentum: 0.9 });
    loss().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(() => new optim.SGD([{ params: [w] }, { params: [b] }], { lr: 0.1 }).loadStateDict(sd)).toThrow(/different number of parameter groups/);
    expect(() => new optim.SGD([w], { lr: 0.1 }).loadStateDict(sd)).toThrow(/doesn't match the size of optimizer's group/);
    const other = new optim.SGD([torch.zeros(4, { requiresGrad: true }), b], { lr: 0.1 });
    expect(() => other.loadStateDict(sd)).toThrow(/momentumBuffer has shape \[3\] but its parameter has shape \[4\]/);
    expect(other.paramGroups[0].momentum).toBe(0); // nothing changed by the failed load
    expect(() => opt.loadStateDict({ state: {}, paramGroups: null } as unknown as typeof sd)).toThrow(TypeError);
    expect(() => opt.loadStateDict({ ...sd, state: { 7: { momentumBuffer: null } } })).toThrow(/parameter index 7/);
    expect(() => opt.loadStateDict({ ...sd, paramGroups: [{ ...sd.paramGroups[0], lr: -1 }] })).toThrow('Invalid learning rate: -1');
    const w64 = torch.tensor([0, 0, 0], { dtype: 'float64', requiresGrad: true });
    const opt64 = new optim.SGD([w64, torch.zeros(1, { dtype: 'float64', requiresGrad: true })], { lr: 0.1 });
    opt64.loadStateDict(sd);
    expect(opt64.state.get(w64)?.momentumBuffer?.dtype).toBe('float64');
  });
});
