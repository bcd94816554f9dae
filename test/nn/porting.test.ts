/**
 * nn.ModuleList, nn.ModuleDict, nn.utils.clipGradNorm_ and clipGradValue_
 * against PyTorch 1.13 (test/fixtures/porting.json, made by
 * make_porting_fixtures.py), and their bad input.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as torch from '../../lib';
import { describeBackends, expectClose } from '../helpers';

const { nn } = torch;

interface SavedTensor { shape: number[]; values: number[] }
interface Fixture {
  containers: {
    moduleList: { keys: string[]; names: string[]; types: string[]; len: number; last: string };
    nested: string[];
    moduleDict: { keys: string[]; dictKeys: string[]; len: number };
  };
  clip: {
    grads: torch.NestedArray[];
    norm: { normType: number | 'Infinity'; maxNorm: number; total: number; grads: SavedTensor[] }[];
    value: { clipValue: number; grads: SavedTensor[] }[];
  };
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'porting.json'), 'utf8')) as Fixture;

describe('nn.ModuleList', () => {
  it('append, extend and insert register and renumber as PyTorch', () => {
    const want = fixture.containers.moduleList;
    const list = new nn.ModuleList<torch.nn.Module>([new nn.Linear(2, 3)]);
    list.append(new nn.Linear(3, 4));
    list.extend([new nn.ReLU(), new nn.Linear(4, 1, { bias: false })]);
    list.insert(1, new nn.Linear(3, 3));
    list.insert(4, new nn.Tanh());
    expect(Object.keys(list.stateDict())).toEqual(want.keys);
    expect(list.namedChildren().map(([n]) => n)).toEqual(want.names);
    expect([...list].map((m) => m.constructor.name)).toEqual(want.types);
    expect(list.length).toBe(want.len);
    expect(list.get(-1).constructor.name).toBe(want.last);
    expect(list.get(-1)).toBe(list.get(5));
  });
  it('nests inside other containers with PyTorch\'s keys', () => {
    const nested = new nn.ModuleList<torch.nn.Module>([new nn.Sequential(new nn.Linear(1, 2)), new nn.ModuleList([new nn.Linear(2, 2)])]);
    expect(Object.keys(nested.stateDict())).toEqual(fixture.containers.nested);
  });
  it('negative insert (as Python\'s list.insert), set and pop renumber; parameters() follows', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => new nn.Linear(n, 1));
    const list = new nn.ModuleList([a, b, c]);
    list.insert(-1, d); // before the last: a, b, d, c
    expect([...list]).toEqual([a, b, d, c]);
    expect(list.pop(0)).toBe(a);
    expect([...list]).toEqual([b, d, c]);
    expect(list.namedChildren().map(([n, m]) => [n, m])).toEqual([['0', b], ['1', d], ['2', c]]);
    list.set(-1, a);
    expect(list.parameters()).toEqual([b.weight, b.bias, d.weight, d.bias, a.weight, a.bias]);
    expect(Object.keys(list.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']);
    expect(list.pop()).toBe(a);
    expect(list.length).toBe(2);
    expect((list as unknown as Record<string, unknown>)['2']).toBeUndefined();
  });
  it('a model holding one trains its layers through an optimizer and round-trips its state dict', () => {
    class Net extends nn.Module {
      layers = new nn.ModuleList([new nn.Linear(2, 4), new nn.Linear(4, 1)]);
      forward(x: torch.Tensor): torch.Tensor {
        for (const l of this.layers) x = l.forward(x);
        return x;
      }
    }
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
    const other = new Net();
    other.loadStateDict(net.stateDict());
    const x = torch.randn(3, 2);
    expect(other.forward(x).toArray()).toEqual(net.forward(x).toArray());
  });
  it('rejects what is not a module, bad indices and forward()', () => {
    const list = new nn.ModuleList([new nn.ReLU()]);
    expect(() => list.append(3 as never)).toThrow('ModuleList.append: expected a Module, got');
    expect(() => list.get(1)).toThrow('ModuleList.get: index 1 is out of range for a ModuleList of length 1');
    expect(() => list.get(-2)).toThrow(/index -2 is out of range/);
    expect(() => list.insert(3, new nn.ReLU())).toThrow(/ModuleList.insert: index 3 is out of range/);
    expect(() => list.forward()).toThrow(/ModuleList has no forward/);
    expect(() => new nn.ModuleList(5 as never)).toThrow(/ModuleList.extend: expected an iterable of Modules/);
  });
});

describe('nn.ModuleDict', () => {
  it('set, replace, delete and update keep insertion order and PyTorch\'s keys', () => {
    const want = fixture.containers.moduleDict;
    const d = new nn.ModuleDict<torch.nn.Module>({ encoder: new nn.Linear(2, 3), act: new nn.ReLU() });
    d.set('decoder', new nn.Linear(3, 2));
    d.set('z', new nn.Linear(2, 1));
    const encoder = new nn.Linear(2, 5);
    d.set('encoder', encoder);
    expect(d.delete('act')).toBe(true);
    expect(d.delete('act')).toBe(false);
    d.update(new Map([['head', new nn.Linear(1, 1)]]));
    expect(Object.keys(d.stateDict())).toEqual(want.keys);
    expect(d.keys()).toEqual(want.dictKeys);
    expect([...d]).toEqual(want.dictKeys);
    expect(d.length).toBe(want.len);
    expect(d.get('encoder')).toBe(encoder);
    expect(d.has('z')).toBe(true);
    expect(d.values()[0]).toBe(encoder);
    expect(d.entries().map(([k]) => k)).toEqual(want.dictKeys);
  });
  it('is typed by its module type', () => {
    const heads = new nn.ModuleDict({ a: new nn.Linear(2, 1), b: new nn.Linear(2, 3) });
    const y: torch.Tensor = heads.get('b').forward(torch.ones(4, 2));
    expect(y.shape).toEqual([4, 3]);
    expect(heads.get('a').outFeatures).toBe(1);
  });
  it('pop, clear and copies from another ModuleDict', () => {
    const d = new nn.ModuleDict({ a: new nn.ReLU(), b: new nn.Tanh() });
    const copy = new nn.ModuleDict(d);
    expect(copy.keys()).toEqual(['a', 'b']);
    expect(d.pop('a')).toBe(copy.get('a'));
    expect(d.keys()).toEqual(['b']);
    d.clear();
    expect(d.length).toBe(0);
    expect(d.namedChildren()).toEqual([]);
  });
  it('rejects missing keys, keys that shadow its own members and non-modules', () => {
    const d = new nn.ModuleDict({ a: new nn.ReLU() });
    expect(() => d.get('b')).toThrow(`ModuleDict.get: no module named 'b' (keys: a)`);
    expect(() => d.set('forward', new nn.ReLU())).toThrow(`ModuleDict.set: attribute 'forward' already exists`);
    expect(() => d.set('x.y', new nn.ReLU())).toThrow(/can't contain '\.'/);
    expect(() => d.set('c', {} as never)).toThrow(`ModuleDict.set: expected a Module for 'c', got`);
    expect(() => d.pop('zz')).toThrow(/no module named 'zz'/);
    expect(() => d.forward()).toThrow(/ModuleDict has no forward/);
  });
});

function paramsWithGrads(dtype: torch.DType): torch.Tensor[] {
  return fixture.clip.grads.map((g) => {
    const grad = torch.tensor(g as number[], { dtype });
    const p = torch.zerosLike(grad).requiresGrad_(true);
    p.grad = grad;
    return p;
  });
}

describeBackends('nn.utils.clipGradNorm_ and clipGradValue_ match PyTorch 1.13', () => {
  for (const c of fixture.clip.norm) {
    it(`normType ${c.normType}, maxNorm ${c.maxNorm}`, () => {
      const params = paramsWithGrads('float64');
      const normType = c.normType === 'Infinity' ? Infinity : c.normType;
      const total = nn.utils.clipGradNorm_(params, c.maxNorm, { normType });
      expect(total.dtype).toBe('float64');
      expect(total.shape).toEqual([]);
      expectClose([total.item()], [c.total], 1e-14, 0);
      params.forEach((p, i) => expectClose((p.grad as torch.Tensor).toArray(), c.grads[i].values, 1e-14, 1e-16));
    });
  }
  it('float32 gradients agree with the float64 result to float32 precision', () => {
    const c = fixture.clip.norm[0];
    const params = paramsWithGrads('float32');
    const total = nn.utils.clipGradNorm_(params, c.maxNorm);
    expect(total.dtype).toBe('float32');
    expectClose([total.item()], [c.total], 1e-6, 0);
    params.forEach((p, i) => expectClose((p.grad as torch.Tensor).toArray(), c.grads[i].values, 1e-6, 1e-7));
  });
  for (const c of fixture.clip.value) {
    it(`clipGradValue_ ${c.clipValue}`, () => {
      const params = fixture.clip.grads.map((g) => {
        const grad = torch.tensor((g as number[]).flat(3) as number[], { dtype: 'float64' });
        const p = torch.zerosLike(grad).requiresGrad_(true);
        p.grad = grad;
        return p;
      });
      nn.utils.clipGradValue_(params, c.clipValue);
      params.forEach((p, i) => expect((p.grad as torch.Tensor).toArray()).toEqual(c.grads[i].values));
    });
  }
});

describe('nn.utils.clipGradNorm_ edge cases', () => {
  it('skips parameters without grad; with none returns tensor(0); accepts one tensor', () => {
    const a = torch.zeros(2, { requiresGrad: true });
    expect(nn.utils.clipGradNorm_([a], 1).item()).toBe(0);
    a.grad = torch.tensor([3, 4]);
    const b = torch.zeros(2, { requiresGrad: true });
    expect(nn.utils.clipGradNorm_([a, b], 1).item()).toBeCloseTo(5, 6);
    expect(b.grad).toBeNull();
    a.grad = torch.tensor([3, 4]);
    expect(nn.utils.clipGradNorm_(a, 10, { foreach: true }).item()).toBeCloseTo(5, 6);
    expect(a.grad.toArray()).toEqual([3, 4]);
  });
  it('errorIfNonfinite throws on a NaN or infinite norm; otherwise the grads are scaled by it', () => {
    const a = torch.zeros(2, { requiresGrad: true });
    a.grad = torch.tensor([Infinity, 1]);
    expect(() => nn.utils.clipGradNorm_([a], 1, { errorIfNonfinite: true })).toThrow(/total norm of order 2 .* is non-finite/);
    expect(a.grad.toArray()).toEqual([Infinity, 1]);
    const total = nn.utils.clipGradNorm_([a], 1);
    expect(total.item()).toBe(Infinity);
    expect(a.grad.toArray()).toEqual([Number.NaN, 0]);
  });
  it('rejects bad arguments with clear errors', () => {
    const a = torch.zeros(2, { requiresGrad: true });
    a.grad = torch.ones(2);
    expect(() => nn.utils.clipGradNorm_([a], 1, { normType: 0 })).toThrow('clipGradNorm_: normType must be a positive number or Infinity, got');
    expect(() => nn.utils.clipGradNorm_([a], Number.NaN)).toThrow('clipGradNorm_: maxNorm must be a number');
    expect(() => nn.utils.clipGradNorm_([a, 3] as never, 1)).toThrow('clipGradNorm_: parameters must be a Tensor or an iterable of Tensors, but element 1 is');
    expect(() => nn.utils.clipGradNorm_([a], 1, { norm_type: 1 } as never)).toThrow(/norm_type/);
    expect(() => nn.utils.clipGradValue_([a], 'x' as never)).toThrow('clipGradValue_: clipValue must be a number');
  });
});
