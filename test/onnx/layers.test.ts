/**
 * onnx.export of the layers beyond the MLP (convolutions, pooling, batch and
 * layer norm, embedding, GELU/SiLU/ELU/Softplus): each exported file runs in
 * onnxruntime-node at several batch sizes through one dynamic batch axis and
 * matches torchlet's eval forward within 1e-4; configurations ONNX can't
 * express are errors naming the module, its path and why.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as torch from '../../lib';
import { checkBatches, declaredDims, maxDiff, runOrt, tempFiles } from './ort';

const { nn } = torch;
type Tensor = torch.Tensor;
const { fresh, cleanup } = tempFiles();
afterAll(cleanup);

const images = (c: number, h: number, w: number) => (n: number): Tensor => torch.randn(n, c, h, w);

describe('onnx.export of convolution, pooling, normalization and embedding layers', () => {
  it('LeNet-5 at batch 1, 3 and 64 through one file, within 1e-4', async () => {
    torch.manualSeed(10);
    const lenet = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
    );
    await checkBatches(lenet, images(1, 28, 28), fresh());
  });

  it('a CNN with BatchNorm2d/1d trained a few steps (exported in eval form), AvgPool2d, AdaptiveAvgPool2d, SiLU', async () => {
    torch.manualSeed(11);
    const model = new nn.Sequential(
      new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.AvgPool2d(2),
      new nn.Conv2d(8, 8, 4, { padding: 'same', bias: false }), new nn.BatchNorm2d(8, { affine: false }), new nn.SiLU(),
      new nn.AdaptiveAvgPool2d([2, 3]), new nn.Flatten(), new nn.Linear(48, 10), new nn.BatchNorm1d(10), new nn.Linear(10, 4),
    );
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const y = model.forward(torch.randn(8, 3, 12, 18));
      y.mul(y).mean().backward();
      opt.step();
    }
    const bn = model.get(1) as torch.nn.BatchNorm2d;
    expect(Array.from((bn.runningMean as Tensor).data).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(model.training).toBe(true);
    await checkBatches(model, images(3, 12, 18), fresh());
    model.train();
    await torch.onnx.export(model, torch.randn(2, 3, 12, 18), fresh());
    expect(model.modules().every((m) => m.training)).toBe(true);
  });

  it('ConvTranspose2d with outputPadding, groups, dilation and no bias; GlobalAveragePool', async () => {
    torch.manualSeed(12);
    const model = new nn.Sequential(
      new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), new nn.ReLU(),
      new nn.ConvTranspose2d(6, 3, [2, 3], { stride: [2, 1], dilation: [1, 2], bias: false }),
    );
    await checkBatches(model, images(4, 5, 7), fresh());
    await checkBatches(new nn.Sequential(new nn.Conv2d(2, 4, 3, { stride: 2, dilation: 2, groups: 2 }), new nn.AdaptiveAvgPool2d(1)), images(2, 9, 11), fresh());
  });

  it('Conv1d, BatchNorm1d on [N, C, L], MaxPool1d and AvgPool1d (ceilMode, padding, dilation) with a dynamic batch and length', async () => {
    torch.manualSeed(13);
    const model = new nn.Sequential(
      new nn.Conv1d(3, 4, 5, { padding: 'same', dilation: 2 }), new nn.BatchNorm1d(4, { eps: 0.1 }), new nn.ELU({ alpha: 0.5 }),
      new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }),
      new nn.AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      new nn.Conv1d(4, 2, 3, { stride: 2, groups: 2 }),
    );
    const file = fresh();
    await torch.onnx.export(model, torch.randn(2, 3, 40), file, { dynamicAxes: { input: { 0: 'batch', 2: 'length' }, output: { 0: 'batch', 2: 'outLength' } } });
    model.eval();
    for (const [n, len] of [[1, 40], [3, 29], [5, 64]]) {
      const x = torch.randn(n, 3, len);
      const want = torch.noGrad(() => model.forward(x));
      const got = await runOrt(file, { input: x });
      expect(got.dims).toEqual(want.shape);
      expect(maxDiff(got.data as Float32Array, want.data)).toBeLessThan(1e-4);
    }
    expect(declaredDims(file)).toEqual(['batch', 2, 'outLength']);
  });

  it('MaxPool2d and AvgPool2d: ceilMode, padding, countIncludePad, divisorOverride', async () => {
    torch.manualSeed(14);
    for (const pool of [
      new nn.MaxPool2d([3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], ceilMode: true }),
      new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
      // on 9 columns the last ceil-mode window would start in the end padding: PyTorch drops it
      new nn.MaxPool2d(2, { padding: 1, ceilMode: true }),
      new nn.AvgPool2d(2, { padding: 1, ceilMode: true }),
      new nn.AvgPool2d(2, { padding: 1, ceilMode: true, countIncludePad: false }),
      new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      new nn.AvgPool2d([2, 3], { stride: 1, padding: 1, divisorOverride: 5 }),
      new nn.AvgPool2d([2, 3], { stride: 2, padding: 1, countIncludePad: false, divisorOverride: 4 }),
    ]) {
      await checkBatches(new nn.Sequential(pool), images(2, 8, 9), fresh(), { batches: [1, 3] });
    }
  });

  it('pools on unbatched inputs ([C, L], [C, H, W]) through Unsqueeze and Squeeze', async () => {
    torch.manualSeed(18);
    for (const [pool, shape] of [
      [new nn.MaxPool1d(2), [3, 8]], [new nn.AvgPool1d(3, { padding: 1 }), [3, 8]],
      [new nn.MaxPool2d(2, { ceilMode: true }), [2, 5, 7]], [new nn.AvgPool2d(2), [2, 6, 4]], [new nn.AdaptiveAvgPool2d([3, 2]), [2, 6, 4]],
    ] as const) {
      const file = fresh();
      await torch.onnx.export(new nn.Sequential(pool), torch.randn(...shape), file);
      const x = torch.randn(...shape);
      const want = torch.noGrad(() => pool.forward(x));
      const got = await runOrt(file, { input: x });
      expect(got.dims).toEqual(want.shape);
      expect(declaredDims(file)).toEqual(want.shape);
      expect(maxDiff(got.data as Float32Array, want.data)).toBeLessThan(1e-6);
    }
  });

  it('Embedding (int32 indices) + LayerNorm + GELU (erf and tanh), as formulas in opset 17 and as Gelu in opset 20', async () => {
    torch.manualSeed(15);
    const model = new nn.Sequential(
      new nn.Embedding(50, 16), new nn.LayerNorm(16), new nn.GELU(), new nn.Linear(16, 8),
      new nn.GELU({ approximate: 'tanh' }), new nn.LayerNorm([5, 8], { elementwiseAffine: false, eps: 1e-3 }),
    );
    const ln = model.get(1) as torch.nn.LayerNorm;
    torch.noGrad(() => {
      (ln.weight as Tensor).copy_(torch.rand(16).add(0.5));
      (ln.bias as Tensor).copy_(torch.randn(16));
    });
    const tokens = (n: number): Tensor => torch.randint(50, [n, 5]);
    await checkBatches(model, tokens, fresh());
    await checkBatches(model, tokens, fresh(), { opsetVersion: 20, batches: [1, 3] });
  });

  it('F.gelu (both formulas) and F.silu written between modules, in opset 17 and 20', async () => {
    const F = torch.nn.functional;
    class Mixer extends nn.Module {
      fc1 = new nn.Linear(8, 8);
      fc2 = new nn.Linear(8, 3);
      forward(x: Tensor): Tensor {
        return F.gelu(this.fc2.forward(F.silu(F.gelu(this.fc1.forward(x), { approximate: 'tanh' }))));
      }
    }
    torch.manualSeed(17);
    const model = new Mixer();
    await checkBatches(model, (n) => torch.randn(n, 8).mul(4), fresh(), { batches: [1, 3] });
    await checkBatches(model, (n) => torch.randn(n, 8).mul(4), fresh(), { batches: [1, 3], opsetVersion: 20 });
  });

  it('SiLU, ELU and Softplus (default, and beta/threshold as a formula, large inputs too)', async () => {
    torch.manualSeed(16);
    const model = new nn.Sequential(
      new nn.Linear(6, 6), new nn.SiLU(), new nn.ELU({ alpha: 0.7 }), new nn.Linear(6, 6), new nn.Softplus({ beta: 2, threshold: 1 }),
      new nn.Linear(6, 6), new nn.Softplus(),
    );
    await checkBatches(model, (n) => torch.randn(n, 6).mul(60), fresh());
  });
});

describe('onnx.export errors for layer configurations ONNX cannot express', () => {
  /** Expects export of `model` on `x` to reject with `message`. */
  const fails = (model: torch.nn.Module, x: Tensor, message: RegExp, options: torch.onnx.ExportOptions = {}): Promise<void> =>
    expect(torch.onnx.export(model, x, fresh(), options)).rejects.toThrow(message);

  it('AdaptiveAvgPool2d whose output size does not divide the input size names the module, its path and the shapes', async () => {
    await fails(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.AdaptiveAvgPool2d([3, 2])), torch.randn(1, 1, 9, 10),
      /onnx\.export: AdaptiveAvgPool2d at '1' pools \[1, 2, 7, 8\] to \[3, 2\]: ONNX expresses adaptive pooling only as GlobalAveragePool/);
    await fails(new nn.Sequential(new nn.AdaptiveAvgPool2d(2)), torch.randn(1, 1, 4, 4), /AdaptiveAvgPool2d at '0' pools \[1, 1, h, 4\] to \[2, 2\]/, { dynamicAxes: { input: { 2: 'h' } } });
  });

  it('BatchNorm without running statistics, LayerNorm before opset 17, divisorOverride with ceilMode, a dynamic channel dim', async () => {
    await fails(new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4, { trackRunningStats: false })), torch.randn(2, 3),
      /BatchNorm1d at '1' keeps no running statistics \(trackRunningStats: false\)/);
    await fails(new nn.Sequential(new nn.LayerNorm(3)), torch.randn(2, 3), /LayerNorm at '0' exports as LayerNormalization, which needs opsetVersion 17 or newer \(got 16\)/, { opsetVersion: 16 });
    await fails(new nn.Sequential(new nn.LayerNorm([2, 3])), torch.randn(4, 2, 3), /LayerNorm at '0' normalizes over \[2, 3\], so its input must end in those static dims, got \[4, rows, 3\]/, { dynamicAxes: { input: { 1: 'rows' } } });
    await fails(new nn.Sequential(new nn.AvgPool2d(2, { ceilMode: true, divisorOverride: 3 })), torch.randn(1, 1, 5, 5), /AvgPool2d at '0' has divisorOverride 3 with ceilMode/);
    await fails(new nn.Sequential(new nn.Conv2d(3, 2, 1)), torch.randn(1, 3, 2, 2), /Conv2d at '0' needs 3 input channels \(dim 1\), got \[1, ch, 2, 2\] \(a dynamic channel dim/, { dynamicAxes: { input: { 1: 'ch' } } });
    await fails(new nn.Sequential(new nn.BatchNorm2d(3)), torch.randn(1, 3, 2, 2), /BatchNorm2d at '0' needs 3 input channels \(dim 1\), got \[1, ch, 2, 2\]/, { dynamicAxes: { input: { 1: 'ch' } } });
  });

  it('a softplus with beta or threshold between modules is an op export does not follow (the module nn.Softplus exports)', async () => {
    class Scaled extends nn.Module {
      fc = new nn.Linear(2, 2);
      head = new nn.Linear(2, 2);
      forward(x: Tensor): Tensor {
        return this.head.forward(torch.nn.functional.softplus(this.fc.forward(x), { beta: 2 }));
      }
    }
    await fails(new Scaled(), torch.randn(1, 2), /Linear at 'head', called in the forward of the model \(Scaled\), takes the tensor op SoftplusScaled, which export can't follow/);
  });

  it('a dynamic spatial dim that reaches a Linear is caught by the shape checks', async () => {
    await fails(new nn.Sequential(new nn.Conv1d(1, 2, 3), new nn.Flatten(), new nn.Linear(12, 2)), torch.randn(2, 1, 8),
      /Linear at '2' needs an input whose last dim is 12, got \[batch, 2\*floor\(\(len-3\)\/1\)\+1\]/, { dynamicAxes: { input: { 0: 'batch', 2: 'len' } } });
  });
});
