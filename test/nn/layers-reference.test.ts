/**
 * GELU, SiLU, ELU, Softplus, Embedding and LayerNorm: PyTorch 1.13's values
 * and gradients (test/fixtures/layers.json, made by make_layers_fixtures.py),
 * gradcheck in float64, a PyTorch state dict loaded into an Embedding →
 * LayerNorm model, the modules' defaults and reprs, and bad input.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../lib';
import * as nn from '../../lib/nn';
import { describeBackends, expectClose, describeGradcheck, leaf, type GradCase } from '../helpers';

type T = torch.Tensor;
const F = nn.functional;

interface Encoded { shape: number[]; dtype: 'float32' | 'float64' | 'int32'; data: number[] }
type Dtype = 'float32' | 'float64';
interface ActivationCase { fn: string; options: Record<string, number | string>; dtype: Dtype; input: Encoded; gradOutput: Encoded; output: Encoded; gradInput: Encoded }
interface EmbeddingCase { dtype: Dtype; paddingIdx: number | null; indices: Encoded; weight: Encoded; gradOutput: Encoded; output: Encoded; gradWeight: Encoded }
interface LayerNormCase {
  dtype: Dtype; normalizedShape: number[]; eps: number; input: Encoded; gradOutput: Encoded; output: Encoded; gradInput: Encoded;
  weight?: Encoded; gradWeight?: Encoded; bias?: Encoded; gradBias?: Encoded;
}
interface Fixture {
  activations: ActivationCase[]; embeddings: EmbeddingCase[]; layerNorms: LayerNormCase[]; reprs: Record<string, string>;
  model: { stateDict: Record<string, Encoded>; indices: Encoded; output: Encoded };
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/layers.json'), 'utf8')) as Fixture;

function decode(e: Encoded): T {
  return torch.tensor(e.data, { dtype: e.dtype }).reshape(e.shape);
}

/** Tolerances against PyTorch: float32 to a few ulps, float64 to near machine precision. */
function tol(dtype: Dtype): [number, number] {
  return dtype === 'float32' ? [1e-5, 1e-6] : [1e-12, 1e-14];
}

const ACTIVATIONS: Record<string, (x: T, options: object) => T> = {
  gelu: F.gelu, silu: (x) => F.silu(x), elu: F.elu, softplus: F.softplus,
};

describeBackends('layers match PyTorch 1.13', () => {
  for (const c of fixture.activations) {
    it(`${c.fn} ${JSON.stringify(c.options)} ${c.dtype}: values and input gradient`, () => {
      const x = decode(c.input).requiresGrad_();
      const y = ACTIVATIONS[c.fn](x, c.options);
      expect(y.dtype).toBe(c.dtype);
      const [rtol, atol] = tol(c.dtype);
      expectClose(y.data, c.output.data, rtol, atol);
      y.backward(decode(c.gradOutput));
      expectClose((x.grad as T).data, c.gradInput.data, rtol, atol);
    });
  }

  for (const c of fixture.embeddings) {
    it(`embedding paddingIdx ${c.paddingIdx} ${c.dtype}: rows, and a weight gradient that adds repeated indices`, () => {
      const w = decode(c.weight).requiresGrad_();
      const y = F.embedding(decode(c.indices), w, { paddingIdx: c.paddingIdx });
      expect(y.shape).toEqual(c.output.shape);
      expect(Array.from(y.data)).toEqual(Array.from(decode(c.output).data)); // a lookup is exact
      y.backward(decode(c.gradOutput));
      const [rtol, atol] = tol(c.dtype);
      expectClose((w.grad as T).data, c.gradWeight.data, rtol, atol);
    });
  }

  for (const c of fixture.layerNorms) {
    const what = `${c.weight ? 'weight' : 'no weight'}, ${c.bias ? 'bias' : 'no bias'}`;
    it(`layerNorm over ${JSON.stringify(c.normalizedShape)} of ${JSON.stringify(c.input.shape)} (${what}, eps ${c.eps}) ${c.dtype}`, () => {
      const x = decode(c.input).requiresGrad_();
      const weight = c.weight ? decode(c.weight).requiresGrad_() : null;
      const bias = c.bias ? decode(c.bias).requiresGrad_() : null;
      const y = F.layerNorm(x, c.normalizedShape, { weight, bias, eps: c.eps });
      const [rtol, atol] = c.dtype === 'float32' ? [1e-5, 1e-5] : [1e-11, 1e-13];
      expectClose(y.data, c.output.data, rtol, atol);
      y.backward(decode(c.gradOutput));
      expectClose((x.grad as T).data, c.gradInput.data, rtol, atol);
      if (weight !== null) expectClose((weight.grad as T).data, (c.gradWeight as Encoded).data, rtol, atol);
      if (bias !== null) expectClose((bias.grad as T).data, (c.gradBias as Encoded).data, rtol, atol);
    });
  }

  it('an Embedding → LayerNorm model loads a PyTorch state dict and gives its outputs', () => {
    const model = new nn.Sequential(new nn.Embedding(10, 4, { paddingIdx: 0, dtype: 'float64' }), new nn.LayerNorm(4, { dtype: 'float64' }));
    const state = Object.fromEntries(Object.entries(fixture.model.stateDict).map(([k, v]) => [k, decode(v)]));
    expect(Object.keys(model.stateDict()).sort()).toEqual(Object.keys(state).sort());
    model.loadStateDict(state);
    const y = model.forward(decode(fixture.model.indices));
    expect(y.shape).toEqual(fixture.model.output.shape);
    expectClose(y.data, fixture.model.output.data, 1e-12, 1e-14);
  });
});

const f64 = { dtype: 'float64' as const };
const wide = (shape: number[]): T => leaf(shape, -3, 3);
const idx = (v: number[][]): T => torch.tensor(v, { dtype: 'int32' });

const gradcheckCases: GradCase[] = [
  ['gelu', () => [(a) => F.gelu(a), [wide([2, 5])]]],
  ['gelu tanh', () => [(a) => F.gelu(a, { approximate: 'tanh' }), [wide([2, 5])]]],
  ['silu', () => [(a) => F.silu(a), [wide([2, 5])]]],
  ['elu alpha 0.7', () => [(a) => F.elu(a, { alpha: 0.7 }), [wide([2, 5])]]],
  ['softplus beta 2 threshold 4', () => [(a) => F.softplus(a, { beta: 2, threshold: 4 }), [torch.tensor([-2, -0.5, 0.4, 1.5, 1.9, 2.2, 3], { ...f64, requiresGrad: true })]]],
  // A padding row gets no gradient by design, so gradcheck runs without one (the fixtures cover it).
  ['embedding with repeated indices', () => [(w) => F.embedding(idx([[0, 2, 2], [3, 0, 2]]), w), [wide([4, 3])]]],
  ['layerNorm with weight and bias', () => [(x, w, b) => F.layerNorm(x, [4], { weight: w, bias: b }), [wide([3, 4]), wide([4]), wide([4])]]],
  ['layerNorm over two dims, no affine', () => [(x) => F.layerNorm(x, [2, 3], { eps: 1e-3 }), [wide([2, 2, 3])]]],
];

describeGradcheck('gradcheck of the layers', gradcheckCases, 11);

describe('layer modules', () => {
  const MAKE: Record<string, () => nn.Module> = {
    'GELU()': () => new nn.GELU(),
    "GELU({ approximate: 'tanh' })": () => new nn.GELU({ approximate: 'tanh' }),
    'SiLU()': () => new nn.SiLU(),
    'ELU()': () => new nn.ELU(),
    'ELU({ alpha: 0.5 })': () => new nn.ELU({ alpha: 0.5 }),
    'Softplus()': () => new nn.Softplus(),
    'Softplus({ beta: 2, threshold: 3 })': () => new nn.Softplus({ beta: 2, threshold: 3 }),
    'Embedding(10, 4)': () => new nn.Embedding(10, 4),
    'Embedding(10, 4, { paddingIdx: -1 })': () => new nn.Embedding(10, 4, { paddingIdx: -1 }),
    'LayerNorm(4)': () => new nn.LayerNorm(4),
    'LayerNorm([3, 4], { eps: 0.001, elementwiseAffine: false })': () => new nn.LayerNorm([3, 4], { eps: 0.001, elementwiseAffine: false }),
  };

  it("print as PyTorch's", () => {
    expect(Object.keys(MAKE).sort()).toEqual(Object.keys(fixture.reprs).sort());
    for (const [call, text] of Object.entries(fixture.reprs)) expect(MAKE[call]().toString(), call).toBe(text);
  });

  it('activation modules apply their functional form', () => {
    const x = torch.tensor([-2, -0.3, 0.5, 4]);
    expect(new nn.GELU({ approximate: 'tanh' }).forward(x).toArray()).toEqual(F.gelu(x, { approximate: 'tanh' }).toArray());
    expect(new nn.SiLU().forward(x).toArray()).toEqual(F.silu(x).toArray());
    expect(new nn.ELU({ alpha: 0.3 }).forward(x).toArray()).toEqual(F.elu(x, { alpha: 0.3 }).toArray());
    expect(new nn.Softplus({ beta: 3, threshold: 2 }).forward(x).toArray()).toEqual(F.softplus(x, { beta: 3, threshold: 2 }).toArray());
  });

  it('Embedding: weight from N(0, 1), the padding row zero, output shape indices.shape + [dim]', () => {
    torch.manualSeed(3);
    const e = new nn.Embedding(2000, 8, { paddingIdx: 5 });
    const w = Array.from(e.weight.data);
    const rest = w.filter((_, i) => Math.floor(i / 8) !== 5);
    const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
    const std = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
    expect(w.slice(40, 48)).toEqual(new Array(8).fill(0));
    expect(e.weight.requiresGrad).toBe(true);
    expect([...e.namedParameters()].map(([n]) => n)).toEqual(['weight']);
    expect(e.forward(torch.zeros([2, 3, 4], { dtype: 'int32' })).shape).toEqual([2, 3, 4, 8]);
  });

  it('Embedding.fromPretrained shares the tensor, frozen unless freeze is false; _weight is used as given', () => {
    const table = torch.tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = nn.Embedding.fromPretrained(table);
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.forward(idx([[2, 0]])).toArray()).toEqual([[[5, 6], [1, 2]]]);
    const trained = nn.Embedding.fromPretrained(table, { freeze: false, paddingIdx: 1 });
    expect(trained.weight.requiresGrad).toBe(true);
    expect(trained.weight.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]); // the padding row is not zeroed
    trained.forward(idx([[1, 2, 1]])).sum().backward();
    expect((trained.weight.grad as T).toArray()).toEqual([[0, 0], [0, 0], [1, 1]]);
    expect(new nn.Embedding(3, 2, { _weight: table }).weight.toArray()).toEqual(table.toArray());
  });

  it('LayerNorm: weight ones and bias zeros of normalizedShape, none without elementwiseAffine, no bias with bias: false', () => {
    const ln = new nn.LayerNorm([2, 3]);
    expect([...ln.namedParameters()].map(([n, p]) => [n, p.shape])).toEqual([['weight', [2, 3]], ['bias', [2, 3]]]);
    expect(Array.from((ln.weight as T).data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from((ln.bias as T).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...new nn.LayerNorm(3, { elementwiseAffine: false }).namedParameters()]).toEqual([]);
    expect([...new nn.LayerNorm(3, { bias: false }).namedParameters()].map(([n]) => n)).toEqual(['weight']);
    const y = ln.forward(torch.tensor([[[1, 2, 3], [4, 5, 6]]]));
    expectClose(y.data, [-1.4638475, -0.8783085, -0.2927695, 0.2927695, 0.8783085, 1.4638475], 1e-5, 1e-6);
  });
});

describe('layers reject bad input with a clear error', () => {
  const w = torch.randn([5, 3]);
  it('embedding: float indices, an index out of range (never read), a weight that is not a 2-D float table, a bad paddingIdx', () => {
    expect(() => F.embedding(torch.tensor([1, 2]), w)).toThrow(/^embedding: indices must be an int32 tensor, got dtype float32/);
    expect(() => F.embedding(idx([[0, 5]]), w)).toThrow(/^embedding: index 5 \(at flat position 1 of indices \[1, 2\]\) is out of range for a table of 5 embeddings \(weight \[5, 3\]\)/);
    expect(() => F.embedding(idx([[-1]]), w)).toThrow(RangeError);
    expect(() => F.embedding(idx([[0]]), torch.randn([5]))).toThrow(/^embedding: weight must be a 2-D float tensor/);
    expect(() => F.embedding(idx([[0]]), torch.zeros([5, 3], { dtype: 'int32' }))).toThrow(TypeError);
    expect(() => F.embedding(idx([[0]]), w, { paddingIdx: 5 })).toThrow(/^embedding: paddingIdx must be an integer in \[-5, 5\)/);
    expect(() => new nn.Embedding(5, 3, { _weight: torch.zeros([3, 5]) })).toThrow(/^Embedding: _weight must have shape \[5, 3\]/);
    expect(() => new nn.Embedding(-1, 3)).toThrow(/^Embedding: numEmbeddings must be a non-negative integer/);
  });

  it('layerNorm: an input that does not end with normalizedShape, weight or bias of the wrong shape or dtype, an int input', () => {
    const x = torch.randn([2, 3]);
    expect(() => F.layerNorm(x, [4])).toThrow(/^layerNorm: input \[2, 3\] does not end with normalizedShape \[4\]/);
    expect(() => F.layerNorm(x, [2, 3, 1])).toThrow(RangeError);
    expect(() => F.layerNorm(x, [3], { weight: torch.ones([2]) })).toThrow(/^layerNorm: weight must be float32 \[3\]/);
    expect(() => F.layerNorm(x, [3], { bias: torch.ones([3], { dtype: 'float64' }) })).toThrow(/^layerNorm: bias must be float32 \[3\]/);
    expect(() => F.layerNorm(torch.zeros([2, 3], { dtype: 'int32' }), [3])).toThrow(/^layerNorm: input must be a float tensor/);
    expect(() => F.layerNorm(x, [-1] as number[])).toThrow(/^layerNorm: normalizedShape must be/);
    expect(() => new nn.LayerNorm(4).forward(x)).toThrow(/^layerNorm: input \[2, 3\] does not end with normalizedShape \[4\]/);
  });

  it('activations: a bad approximate or a non-number parameter', () => {
    const x = torch.randn([3]);
    expect(() => F.gelu(x, { approximate: 'erf' as 'none' })).toThrow(/^gelu: approximate must be 'none' or 'tanh', got 'erf'/);
    expect(() => new nn.GELU({ approximate: 'exact' as 'none' })).toThrow(/^GELU: approximate must be/);
    expect(() => F.elu(x, { alpha: '1' as unknown as number })).toThrow(/^elu: alpha must be a number/);
    expect(() => F.softplus(x, { beta: '2' as unknown as number })).toThrow(/^softplus: beta must be a number/);
    expect(() => F.silu(1 as unknown as T)).toThrow(/^silu: expected input to be a Tensor/);
  });
});
