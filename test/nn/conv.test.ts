/**
 * Convolutions: PyTorch 1.13's values and gradients (test/fixtures/conv.json,
 * made by make_conv_fixtures.py) in float32 and float64, gradcheck in float64,
 * native == js at the op level, and the errors for bad shapes and options.
 */
import { it, expect, describe } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../lib';
import { functional as F } from '../../lib/nn';
import { getBackend, setBackend } from '../../lib/backend';
import { setFusion } from '../../lib/ops/fused-switch';
import { describeBackends, expectClose, describeGradcheck, leaf, type GradCase } from '../helpers';

type T = torch.Tensor;
type Op = 'conv1d' | 'conv2d' | 'convTranspose2d';
interface Encoded { shape: number[]; data: number[] }
interface Result { output: Encoded; gradInput: Encoded; gradWeight: Encoded; gradBias: Encoded | null }
interface Case {
  name: string; op: Op; options: Record<string, unknown>;
  input: Encoded; weight: Encoded; bias: Encoded | null; gradOutput: Encoded;
  float32: Result; float64: Result;
}

interface ModuleCase { weight: Encoded; bias: Encoded; input: Encoded; output: Encoded }
interface ReprCase { module: 'Conv1d' | 'Conv2d' | 'ConvTranspose2d'; args: [number, number, number | number[]]; options: object; repr: string }
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/conv.json'), 'utf8')) as {
  cases: Case[]; module: ModuleCase; reprs: ReprCase[];
};
const FNS: Record<Op, (x: T, w: T, b: T | null, o: object) => T> = {
  conv1d: F.conv1d, conv2d: F.conv2d, convTranspose2d: F.convTranspose2d,
};

/** The fixture's inputs are float32 values: read them as such, then widen. */
function decode(e: Encoded, dtype: 'float32' | 'float64', requiresGrad = false): T {
  return torch.tensor(e.data).reshape(e.shape).to(dtype).detach().requiresGrad_(requiresGrad);
}

describeBackends('convolutions match PyTorch 1.13', () => {
  it('covers every op', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(FNS)));
  });
  for (const c of fixture.cases) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${c.name} (${dtype})`, () => {
        const x = decode(c.input, dtype, true);
        const w = decode(c.weight, dtype, true);
        const b = c.bias === null ? null : decode(c.bias, dtype, true);
        const y = FNS[c.op](x, w, b, c.options);
        const ref = c[dtype];
        const [rtol, atol] = dtype === 'float32' ? [1e-4, 1e-5] : [1e-10, 1e-12];
        expect(y.shape).toEqual(ref.output.shape);
        expectClose(y.data, ref.output.data, rtol, atol);
        y.backward(decode(c.gradOutput, dtype));
        expectClose(x.grad!.data, ref.gradInput.data, rtol, atol);
        expectClose(w.grad!.data, ref.gradWeight.data, rtol, atol);
        if (b !== null) expectClose(b.grad!.data, ref.gradBias!.data, rtol, atol);
      });
    }
  }
});

/** A float64 leaf with values in (−1, 1). */
const unit = (shape: number[]): T => leaf(shape, -1, 1);

const gradcases: GradCase[] = [
  ['conv2d with bias', () => [(x, w, b) => F.conv2d(x, w, b), [unit([2, 2, 5, 4]), unit([3, 2, 3, 2]), unit([3])]]],
  ['conv2d stride, padding, dilation per dim', () => [(x, w) => F.conv2d(x, w, null, { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }), [unit([1, 2, 6, 6]), unit([2, 2, 3, 2])]]],
  ['conv2d groups', () => [(x, w, b) => F.conv2d(x, w, b, { groups: 2, padding: 1 }), [unit([1, 4, 4, 4]), unit([4, 2, 3, 3]), unit([4])]]],
  ['conv2d same, even kernel', () => [(x, w) => F.conv2d(x, w, null, { padding: 'same' }), [unit([1, 2, 5, 4]), unit([2, 2, 2, 4])]]],
  ['conv2d 1x1', () => [(x, w) => F.conv2d(x, w), [unit([2, 3, 3, 2]), unit([2, 3, 1, 1])]]],
  ['conv1d same, dilation 2, groups 2', () => [(x, w, b) => F.conv1d(x, w, b, { padding: 'same', dilation: 2, groups: 2 }), [unit([2, 2, 7]), unit([4, 1, 4]), unit([4])]]],
  ['conv1d stride 2', () => [(x, w) => F.conv1d(x, w, null, { stride: 2, padding: 1 }), [unit([1, 2, 8]), unit([3, 2, 3])]]],
  ['convTranspose2d outputPadding', () => [(x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [unit([1, 2, 3, 3]), unit([2, 3, 3, 3]), unit([3])]]],
  ['convTranspose2d groups, dilation', () => [(x, w) => F.convTranspose2d(x, w, null, { groups: 2, dilation: [2, 1], stride: [1, 2] }), [unit([2, 4, 3, 2]), unit([4, 1, 2, 3])]]],
];

describeGradcheck('conv gradcheck (float64)', gradcases, 11);

describe('conv ops: native == js', () => {
  const run = (backend: 'native' | 'js', dtype: 'float32' | 'float64'): number[][] => {
    const previous = getBackend();
    setBackend(backend);
    try {
      torch.manualSeed(5);
      const x = torch.randn([3, 4, 9, 8], { dtype }).requiresGrad_();
      const w = torch.randn([6, 2, 3, 3], { dtype }).requiresGrad_();
      const b = torch.randn([6], { dtype }).requiresGrad_();
      const wt = torch.randn([6, 2, 2, 3], { dtype }).requiresGrad_();
      const y = F.conv2d(x, w, b, { groups: 2, stride: [2, 1], padding: 'valid', dilation: [1, 2] });
      const z = F.convTranspose2d(y, wt, null, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
      z.mul(z).sum().backward();
      return [z, x.grad!, w.grad!, b.grad!, wt.grad!].map((t) => Array.from(t.data));
    } finally {
      setBackend(previous);
    }
  };
  for (const dtype of ['float32', 'float64'] as const) {
    it(`conv2d → convTranspose2d forward and gradients agree (${dtype})`, () => {
      const a = run('native', dtype);
      const b = run('js', dtype);
      const rtol = dtype === 'float32' ? 1e-4 : 1e-11;
      a.forEach((v, i) => expectClose(v, b[i], rtol, rtol));
    });
  }
});

describe('conv errors name the op, the shapes and what was expected', () => {
  const x = torch.zeros([2, 3, 8, 8]);
  const w = torch.zeros([4, 3, 3, 3]);
  const cases: [string, () => unknown, RegExp][] = [
    ['wrong channel count', () => F.conv2d(x, torch.zeros([4, 2, 3, 3])),
      /^conv2d: input \[2, 3, 8, 8\] has 3 channels, but weight \[4, 2, 3, 3\] with groups=1 expects 2/],
    ['kernel larger than the padded input', () => F.conv2d(torch.zeros([1, 3, 2, 2]), w),
      /^conv2d: kernel 3×3 is larger than the padded input 2×2 \(input \[1, 3, 2, 2\], weight \[4, 3, 3, 3\]\)/],
    ['dilated kernel larger than the padded input', () => F.conv2d(torch.zeros([1, 3, 4, 4]), w, null, { dilation: 2 }),
      /^conv2d: kernel 3×3 \(dilated 5×5\) is larger than the padded input 4×4/],
    ['zero stride', () => F.conv2d(x, w, null, { stride: 0 }), /^conv2d: stride must be a positive integer or a pair \[h, w\] of them, got 0/],
    ['negative stride', () => F.conv2d(x, w, null, { stride: [1, -2] }), /^conv2d: stride must be a positive integer .*got \[1, -2\]/],
    ['non-integer padding', () => F.conv2d(x, w, null, { padding: 0.5 }), /^conv2d: padding \(or 'valid' \/ 'same'\) must be a non-negative integer .*got 0\.5/],
    ['non-integer dilation', () => F.conv1d(torch.zeros([1, 3, 8]), torch.zeros([2, 3, 3]), null, { dilation: 1.5 }), /^conv1d: dilation must be a positive integer or a 1-element array, got 1\.5/],
    ['3-D input to conv2d', () => F.conv2d(torch.zeros([3, 8, 8]), w),
      /^conv2d: expected a 4-D input \[N, C, H, W\], got \[3, 8, 8\] \(3-D\); add a batch dim with unsqueeze\(0\)/],
    ['groups not dividing the channels', () => F.conv2d(torch.zeros([1, 4, 5, 5]), torch.zeros([3, 2, 3, 3]), null, { groups: 2 }),
      /^conv2d: groups=2 must divide the output channels, but weight \[3, 2, 3, 3\] has 3/],
    ['groups not dividing the input channels', () => F.convTranspose2d(torch.zeros([1, 3, 5, 5]), torch.zeros([3, 2, 3, 3]), null, { groups: 2 }),
      /^convTranspose2d: groups=2 must divide the input channels \(3\)/],
    ["'same' with stride > 1", () => F.conv2d(x, w, null, { padding: 'same', stride: 2 }),
      /^conv2d: padding='same' needs stride 1 \(as in PyTorch\), got stride 2/],
    ['unknown padding string', () => F.conv2d(x, w, null, { padding: 'full' as 'same' }), /^conv2d: padding \(or 'valid' \/ 'same'\) must be .*got 'full'/],
    ['bias of the wrong size', () => F.conv2d(x, w, torch.zeros([3])), /^conv2d: bias must have shape \[4\] \(one per output channel\), got \[3\]/],
    ['dtype mismatch', () => F.conv2d(x, w.to('float64')), /^conv2d: input is float32 but weight is float64/],
    ['outputPadding not below stride or dilation', () => F.convTranspose2d(x, torch.zeros([3, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }),
      /^convTranspose2d: outputPadding 2 must be smaller than either stride or dilation/],
    ['unknown option', () => F.conv2d(x, w, null, { strides: 2 } as object), /^conv2d: unknown option 'strides'; did you mean 'stride'\?/],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(message);
    });
  }
});

describeBackends('conv modules', () => {
  it("a PyTorch Conv2d's state dict loads and gives PyTorch's output", () => {
    const m = new torch.nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 });
    const f = fixture.module;
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias']);
    m.loadStateDict({ weight: decode(f.weight, 'float32'), bias: decode(f.bias, 'float32') }, { strict: true });
    const y = torch.noGrad(() => m.forward(decode(f.input, 'float32')));
    expect(y.shape).toEqual(f.output.shape);
    expectClose(y.data, f.output.data, 1e-5, 1e-6);
  });

  it("prints as PyTorch's repr", () => {
    for (const r of fixture.reprs) {
      const m = new torch.nn[r.module](...r.args, r.options);
      expect(m.toString()).toBe(r.repr);
    }
  });

  it('initialises weight and bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn from weight dim 1', () => {
    torch.manualSeed(3);
    const check = (m: { weight: T; bias: T | null }, shape: number[], fanIn: number): void => {
      const bound = 1 / Math.sqrt(fanIn);
      expect(m.weight.shape).toEqual(shape);
      for (const t of [m.weight, m.bias!]) {
        const a = Array.from(t.data, Math.abs);
        expect(Math.max(...a)).toBeLessThanOrEqual(bound);
      }
      expect(Math.max(...Array.from(m.weight.data, Math.abs))).toBeGreaterThan(0.9 * bound);
    };
    check(new torch.nn.Conv2d(6, 8, [3, 5], { groups: 2 }), [8, 3, 3, 5], 45);
    check(new torch.nn.Conv1d(4, 16, 3), [16, 4, 3], 12);
    check(new torch.nn.ConvTranspose2d(16, 6, 3, { groups: 2 }), [16, 3, 3, 3], 27);
    expect(new torch.nn.Conv2d(2, 2, 1, { bias: false }).bias).toBeNull();
  });

  it('Conv1d and ConvTranspose2d run their functional op with the module options', () => {
    torch.manualSeed(4);
    const c1 = new torch.nn.Conv1d(2, 3, 4, { padding: 'same', dilation: 2 });
    const x1 = torch.randn(2, 2, 9);
    expectClose(c1.forward(x1).data, F.conv1d(x1, c1.weight, c1.bias, { padding: 'same', dilation: 2 }).data, 0, 0);
    const ct = new torch.nn.ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, outputPadding: 1 });
    const x2 = torch.randn(1, 3, 4, 4);
    expect(ct.forward(x2).shape).toEqual([1, 4, 8, 8]);
  });

  it('rejects bad constructor arguments', () => {
    expect(() => new torch.nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/^Conv2d: groups \(2\) must divide inChannels \(3\) and outChannels \(4\)/);
    expect(() => new torch.nn.Conv2d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(/^Conv2d: padding='same' needs stride 1/);
    expect(() => new torch.nn.Conv2d(3, 4, 0)).toThrow(/^Conv2d: kernelSize must be a positive integer or 2 of them, got 0/);
    expect(() => new torch.nn.ConvTranspose2d(3, 4, 3, { padding: 'same' as unknown as number })).toThrow(/^ConvTranspose2d: padding must be/);
  });
});

describeBackends('Sequential fuses a convolution with a following ReLU', () => {
  /** Output and every gradient of a small CNN, with fusion on or off. */
  const run = (fused: boolean, dtype: 'float32' | 'float64'): { name: string; values: number[][] } => {
    const previous = setFusion(fused);
    try {
      torch.manualSeed(9);
      const { nn } = torch;
      const model = new nn.Sequential(
        new nn.Conv2d(2, 4, 3, { padding: 1, dtype }), new nn.ReLU(), new nn.Conv2d(4, 3, 2, { stride: 2, bias: false, dtype }), new nn.ReLU(),
        new nn.ConvTranspose2d(3, 2, 2, { stride: 2, dtype }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(2 * 6 * 6, 3, { dtype }),
      );
      const c1 = new nn.Sequential(new nn.Conv1d(2, 3, 3, { dtype }), new nn.ReLU());
      const x = torch.randn([2, 2, 6, 6], { dtype }).requiresGrad_();
      const x1 = torch.randn([2, 2, 7], { dtype }).requiresGrad_();
      const y = model.forward(x);
      const y1 = c1.forward(x1);
      y.sum().add(y1.mul(y1).sum()).backward();
      const grads = [...model.parameters(), ...c1.parameters(), x, x1].map((p) => Array.from(p.grad!.data));
      const name = new nn.Sequential(new nn.Conv2d(2, 2, 1, { dtype }), new nn.ReLU()).forward(x).gradFn!.name;
      return { name, values: [Array.from(y.data), Array.from(y1.data), ...grads] };
    } finally {
      setFusion(previous);
    }
  };
  for (const dtype of ['float32', 'float64'] as const) {
    it(`one node, the same numbers as conv then ReLU (${dtype})`, () => {
      const fused = run(true, dtype);
      const plain = run(false, dtype);
      expect(fused.name).toBe('ConvolutionReluBackward');
      expect(plain.name).toBe('ReluBackward');
      expect(fused.values).toEqual(plain.values);
    });
  }
  it('passes gradcheck (float64)', () => {
    torch.manualSeed(12);
    const conv = new torch.nn.Conv2d(2, 3, 2, { dtype: 'float64' });
    const model = new torch.nn.Sequential(conv, new torch.nn.ReLU());
    const x = leaf([1, 2, 4, 3]);
    conv.weight.requiresGrad_();
    expect(torch.autograd.gradcheck((a) => model.forward(a), [x], { eps: 1e-6, atol: 1e-7, rtol: 1e-5 })).toBe(true);
    expect(torch.autograd.gradcheck((w, b) => F.relu(F.conv2d(x, w, b)), [conv.weight, conv.bias!], { eps: 1e-6, atol: 1e-7, rtol: 1e-5 })).toBe(true);
  });
});
