/**
 * Replays PyTorch reference cases (test/fixtures/ops.json, made by
 * test/fixtures/make_fixtures.py with PyTorch 1.13 — `npm run fixtures`) on both
 * backends through torchlet's public API, checking forward values, gradients
 * (from `out.backward(upstream)` with a random upstream), dtypes, shapes and
 * indices (exact).
 *
 * Tolerances, |actual − expected| ≤ atol + rtol·|expected|:
 * - float32: rtol 1e-5, atol 1e-6. torchlet and PyTorch may round differently
 *   (the JS backend computes in double and rounds once; PyTorch's float32
 *   kernels vectorise and sum in another order): a few ulps (~1e-7 relative).
 * - float64: rtol 1e-12, atol 1e-12 — again only rounding-order differences.
 * Indices, comparisons and anything integer: exact.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../lib';
import { linear } from '../../lib/ops/matmul';
import { describeBackends } from '../helpers';

type FixtureDType = 'float32' | 'float64' | 'int64' | 'bool';

interface FixtureTensor {
  dtype: FixtureDType;
  shape: number[];
  values: number[];
  requires_grad?: boolean;
}

/** Every argument the op vocabulary of make_fixtures.py uses (all optional). */
interface OpArgs {
  dim?: number | number[];
  keepdim?: boolean;
  alpha?: number;
  exponent?: number;
  other?: number;
  min?: number;
  max?: number;
  negative_slope?: number;
  dim0?: number;
  dim1?: number;
  dims?: number[];
  shape?: number[];
  size?: number[];
  start_dim?: number;
  end_dim?: number;
}

interface Case {
  name: string;
  op: { op: string; args: OpArgs };
  inputs: FixtureTensor[];
  outputs: FixtureTensor[];
  upstream: FixtureTensor | null;
  grads: (FixtureTensor | null)[];
}

interface Fixture {
  torch_version: string;
  seed: number;
  cases: Case[];
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'ops.json'), 'utf8')) as Fixture;

const TOL: Record<'float32' | 'float64', { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-12, atol: 1e-12 },
};

/** Rebuilds the nested arrays of a row-major flat list. */
function nest(values: readonly number[], shape: readonly number[]): torch.NestedArray {
  if (shape.length === 0) return values[0];
  const [n, ...rest] = shape;
  const inner = rest.reduce((a, b) => a * b, 1);
  const out: torch.NestedArray[] = [];
  for (let i = 0; i < n; i++) out.push(nest(values.slice(i * inner, (i + 1) * inner), rest));
  return out;
}

/** A leaf tensor from a fixture tensor; int64 indices become torchlet's int32. */
function fromFixture(t: FixtureTensor): torch.Tensor {
  const dtype = t.dtype === 'float64' ? 'float64' : t.dtype === 'float32' ? 'float32' : 'int32';
  const x = torch.tensor(nest(t.values, t.shape), { dtype, requiresGrad: t.requires_grad === true });
  expect(x.shape).toEqual(t.shape);
  return x;
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`fixture is missing ${what}`);
  return v;
}

/** Runs one op of the vocabulary; ops with two results return both. */
function run(op: string, a: OpArgs, xs: torch.Tensor[]): torch.Tensor | [torch.Tensor, torch.Tensor] {
  const [x, y] = xs;
  const dim = (): number => need(a.dim, 'dim') as number;
  switch (op) {
    case 'add': return x.add(y, a.alpha ?? 1);
    case 'sub': return x.sub(y, a.alpha ?? 1);
    case 'mul': return x.mul(y);
    case 'div': return x.div(y);
    case 'pow': return a.exponent !== undefined ? x.pow(a.exponent) : x.pow(y);
    case 'maximum': return x.maximum(y);
    case 'minimum': return x.minimum(y);
    case 'eq': return x.eq(a.other !== undefined ? a.other : y);
    case 'gt': return x.gt(a.other !== undefined ? a.other : y);
    case 'leaky_relu': return x.leakyRelu(need(a.negative_slope, 'negative_slope'));
    case 'clamp': return x.clamp(a.min ?? null, a.max ?? null);
    case 'softmax': return x.softmax(dim());
    case 'log_softmax': return x.logSoftmax(dim());
    case 'sum': return a.dim === undefined ? x.sum() : x.sum(a.dim, a.keepdim ?? false);
    case 'mean': return a.dim === undefined ? x.mean() : x.mean(a.dim, a.keepdim ?? false);
    case 'max_dim': return x.max(dim(), a.keepdim ?? false);
    case 'min_dim': return x.min(dim(), a.keepdim ?? false);
    case 'max_all': return x.max();
    case 'min_all': return x.min();
    case 'argmax': return a.dim === undefined ? x.argmax() : x.argmax(dim(), a.keepdim ?? false);
    case 'matmul': return x.matmul(y);
    case 'linear': return linear(x, y, xs[2] ?? null);
    case 'transpose': return x.transpose(need(a.dim0, 'dim0'), need(a.dim1, 'dim1'));
    case 'permute': return x.permute(need(a.dims, 'dims'));
    case 'reshape': return x.reshape(need(a.shape, 'shape'));
    case 'flatten': return x.flatten(a.start_dim ?? 0, a.end_dim ?? -1);
    case 'squeeze': return a.dim === undefined ? x.squeeze() : x.squeeze(dim());
    case 'unsqueeze': return x.unsqueeze(dim());
    case 'expand': return x.expand(need(a.size, 'size'));
    case 'cat': return torch.cat(xs, dim());
    case 'stack': return torch.stack(xs, dim());
    case 'index_select': return x.indexSelect(dim(), y);
    case 'gather': return x.gather(dim(), y);
    case 'mlp_bce': {
      // Same expression as make_fixtures.py's mlp_bce, op for op.
      const [input, w1, b1, w2, b2, target] = xs;
      const h = input.matmul(w1.t()).add(b1).tanh();
      const p = h.matmul(w2.t()).add(b2).sigmoid();
      return target.mul(p.log()).add(torch.sub(1, target).mul(torch.sub(1, p).log())).neg().mean();
    }
    default: {
      // An elementwise op without arguments: the Tensor method of the same name (relu, exp, softplus, ...).
      const method = (x as unknown as Record<string, unknown>)[op];
      if (xs.length === 1 && Object.keys(a).length === 0 && typeof method === 'function') return method.call(x) as torch.Tensor;
      throw new Error(`unknown op ${op} in the fixture`);
    }
  }
}

/**
 * Compares a result with a fixture tensor (dtype, shape, values); returns the
 * problems found, so one test reports its output and every gradient at once.
 */
function check(label: string, actual: torch.Tensor, expected: FixtureTensor, inputDType: string): string[] {
  const problems: string[] = [];
  const wantDType = expected.dtype === 'int64' ? 'int32'
    // torchlet has no bool dtype: comparisons give 1/0 in the (promoted) input dtype.
    : expected.dtype === 'bool' ? inputDType : expected.dtype;
  if (actual.dtype !== wantDType) problems.push(`${label}: dtype ${actual.dtype}, expected ${wantDType}`);
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) {
    problems.push(`${label}: shape ${JSON.stringify(actual.shape)}, expected ${JSON.stringify(expected.shape)}`);
    return problems;
  }
  const got = Array.from(actual.data as ArrayLike<number>);
  if (expected.dtype === 'int64' || expected.dtype === 'bool') {
    if (JSON.stringify(got) !== JSON.stringify(expected.values)) {
      problems.push(`${label}: got ${JSON.stringify(got)}, expected exactly ${JSON.stringify(expected.values)}`);
    }
    return problems;
  }
  const { rtol, atol } = TOL[expected.dtype];
  const want = expected.dtype === 'float32' ? expected.values.map(Math.fround) : expected.values;
  const bad: string[] = [];
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const bound = atol + rtol * Math.abs(want[i]);
    if (!(err <= bound)) {
      worst = Math.max(worst, err / bound);
      bad.push(`[${i}] got ${got[i]}, expected ${want[i]} (|diff| ${err.toExponential(3)})`);
    }
  }
  if (bad.length > 0) {
    problems.push(`${label}: ${bad.length} of ${want.length} elements off (rtol ${rtol}, atol ${atol}; ` +
      `worst ${worst.toFixed(1)}x the bound):\n    ${bad.slice(0, 8).join('\n    ')}`);
  }
  return problems;
}

describe('PyTorch reference fixture', () => {
  it('is present, names are unique, covers both float dtypes', () => {
    expect(fixture.torch_version).toMatch(/^1\.13/);
    expect(fixture.cases.length).toBeGreaterThan(200);
    expect(new Set(fixture.cases.map((c) => c.name)).size).toBe(fixture.cases.length);
    const dtypes = new Set(fixture.cases.flatMap((c) => c.inputs.map((t) => t.dtype)));
    expect([...dtypes].sort()).toEqual(['float32', 'float64', 'int64']);
  });
});

describeBackends(`PyTorch ${fixture.torch_version} reference`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const xs = c.inputs.map(fromFixture);
      const result = run(c.op.op, c.op.args, xs);
      const outs = Array.isArray(result) ? result : [result];
      expect(outs.length, 'number of outputs').toBe(c.outputs.length);
      const inputDType = c.inputs[0].dtype;
      const problems = outs.flatMap((o, i) => check(`output ${i}`, o, c.outputs[i], inputDType));
      if (c.upstream !== null) outs[0].backward(fromFixture(c.upstream));
      xs.forEach((x, i) => {
        const g = c.grads[i];
        if (g === null) {
          if (x.grad !== null) problems.push(`grad of input ${i}: expected none (it does not require grad), got one`);
        } else if (x.grad === null) {
          problems.push(`grad of input ${i}: expected a gradient, got null`);
        } else {
          problems.push(...check(`grad of input ${i}`, x.grad, g, inputDType));
        }
      });
      if (problems.length > 0) throw new Error(`${c.name} disagrees with PyTorch:\n  ${problems.join('\n  ')}`);
    });
  }
});
