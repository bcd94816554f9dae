/**
 * onnx.export of RNN, LSTM and GRU: each exported file runs in
 * onnxruntime-node at batch 1, 3 and 17 and sequence length 1, 5 and 12
 * through one file (dynamic batch and sequence axes), and every graph output
 * (output, hN, and cN for the LSTM) matches torchlet's eval forward within 1e-4.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as torch from '../../lib';
import { declaredDims, maxDiff, tempFiles } from './ort';

const { nn } = torch;
type Tensor = torch.Tensor;
const { fresh, cleanup } = tempFiles();
afterAll(cleanup);

const SIZES = [1, 3, 17].flatMap((batch) => [1, 5, 12].map((seq) => [batch, seq] as const));

/** Every tensor of a (nested) module output, depth first: the order of the graph outputs. */
const flat = (out: unknown): Tensor[] => (Array.isArray(out) ? out.flatMap(flat) : [out as Tensor]);

interface Case {
  /** The forward's arguments at a batch and sequence length. */
  args: (batch: number, seq: number) => (Tensor | Tensor[])[];
  /** Graph input names, one per tensor of `args`, and each one's dynamic axes. */
  inputs: Record<string, Record<number, string>>;
  /** Graph output names, one per tensor the forward returns, and each one's dynamic axes. */
  outputs: Record<string, Record<number, string>>;
}

/** Exports `model` once (sample batch 2, sequence 4) and compares onnxruntime with torchlet at every size in SIZES. */
async function check(model: torch.nn.AnyModule, c: Case): Promise<void> {
  const file = fresh();
  const inputNames = Object.keys(c.inputs);
  const outputNames = Object.keys(c.outputs);
  await torch.onnx.export(model, c.args(2, 4), file, { inputNames, outputNames, dynamicAxes: { ...c.inputs, ...c.outputs } });
  const session = await ort.InferenceSession.create(file);
  try {
    model.eval();
    for (const [batch, seq] of SIZES) {
      const args = c.args(batch, seq);
      const want = flat(torch.noGrad(() => (model as unknown as { forward: (...a: unknown[]) => unknown }).forward(...args)));
      const feeds: Record<string, ort.Tensor> = {};
      args.flat().forEach((t, i) => {
        feeds[inputNames[i]] = t.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(t.data), t.shape) : new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
      });
      const got = await session.run(feeds);
      expect(want.length).toBe(outputNames.length);
      want.forEach((w, i) => {
        const g = got[outputNames[i]];
        expect(g.dims, `${outputNames[i]} at batch ${batch}, seq ${seq}`).toEqual(w.shape);
        expect(maxDiff(g.data as Float32Array, w.data), `${outputNames[i]} at batch ${batch}, seq ${seq}`).toBeLessThan(1e-4);
      });
    }
  } finally {
    await session.release();
  }
  outputNames.forEach((name, i) => {
    for (const [axis, dim] of Object.entries(c.outputs[name])) expect(declaredDims(file, i)[Number(axis)]).toBe(dim);
  });
}

const seqBatch = { 0: 'seq', 1: 'batch' };
const batchSeq = { 0: 'batch', 1: 'seq' };
const stateBatch = { 1: 'batch' };

describe('onnx.export of the recurrent layers', () => {
  it('LSTM, 2 layers, bidirectional, batchFirst, with h0 and c0 as graph inputs', async () => {
    torch.manualSeed(30);
    const lstm = new nn.LSTM(5, 6, { numLayers: 2, bidirectional: true, batchFirst: true, dropout: 0.3 });
    await check(lstm, {
      args: (b, t) => [torch.randn(b, t, 5), [torch.randn(4, b, 6), torch.randn(4, b, 6)]],
      inputs: { input: batchSeq, h0: stateBatch, c0: stateBatch },
      outputs: { output: batchSeq, hN: stateBatch, cN: stateBatch },
    });
  });

  it('LSTM without initial states (zeros) and without bias; GRU, 2 layers, with h0', async () => {
    torch.manualSeed(31);
    await check(new nn.LSTM(3, 4, { bias: false }), { args: (b, t) => [torch.randn(t, b, 3)], inputs: { input: seqBatch }, outputs: { output: seqBatch, hN: stateBatch, cN: stateBatch } });
    await check(new nn.GRU(3, 5, { numLayers: 2 }), {
      args: (b, t) => [torch.randn(t, b, 3), torch.randn(2, b, 5)],
      inputs: { input: seqBatch, h0: stateBatch },
      outputs: { output: seqBatch, hN: stateBatch },
    });
  });

  it('GRU bidirectional batchFirst without bias; RNN relu (2 layers, bidirectional) and RNN tanh', async () => {
    torch.manualSeed(32);
    await check(new nn.GRU(4, 3, { bidirectional: true, batchFirst: true, bias: false }), { args: (b, t) => [torch.randn(b, t, 4)], inputs: { input: batchSeq }, outputs: { output: batchSeq, hN: stateBatch } });
    await check(new nn.RNN(4, 5, { nonlinearity: 'relu', numLayers: 2, bidirectional: true }), {
      args: (b, t) => [torch.randn(t, b, 4), torch.randn(4, b, 5)],
      inputs: { input: seqBatch, h0: stateBatch },
      outputs: { output: seqBatch, hN: stateBatch },
    });
    await check(new nn.RNN(4, 5), { args: (b, t) => [torch.randn(t, b, 4)], inputs: { input: seqBatch }, outputs: { output: seqBatch, hN: stateBatch } });
  });

  it('an unbatched sequence [seq, features] (through Unsqueeze and Squeeze)', async () => {
    torch.manualSeed(33);
    await check(new nn.LSTM(3, 4, { numLayers: 2 }), {
      args: (_b, t) => [torch.randn(t, 3), [torch.randn(2, 4), torch.randn(2, 4)]],
      inputs: { input: { 0: 'seq' }, h0: {}, c0: {} },
      outputs: { output: { 0: 'seq' }, hN: {}, cN: {} },
    });
  });

  class Classifier extends nn.Module<[Tensor], Tensor> {
    emb = new nn.Embedding(20, 6);
    lstm = new nn.LSTM(6, 8, { batchFirst: true });
    fc = new nn.Linear(8, 3);
    forward(tokens: Tensor): Tensor {
      // hN of a one-layer forward LSTM is the last time step's output
      const [, [hN]] = this.lstm.forward(this.emb.forward(tokens));
      return this.fc.forward(hN);
    }
  }

  it('an Embedding + LSTM + Linear classifier on its last hidden state', async () => {
    torch.manualSeed(34);
    const tokens = (b: number, t: number): Tensor => torch.randint(0, 20, [b, t], { dtype: 'int32' });
    await check(new Classifier(), { args: (b, t) => [tokens(b, t)], inputs: { tokens: batchSeq }, outputs: { logits: { 1: 'batch' } } });
  });

  it('the last time step taken by select between modules is an op export does not follow', async () => {
    class LastStep extends nn.Module<[Tensor], Tensor> {
      lstm = new nn.LSTM(3, 4);
      fc = new nn.Linear(4, 2);
      forward(x: Tensor): Tensor {
        return this.fc.forward(this.lstm.forward(x)[0].select(0, -1));
      }
    }
    await expect(torch.onnx.export(new LastStep(), torch.randn(5, 2, 3), fresh())).rejects.toThrow(/Linear at 'fc', called in the forward of the model \(LastStep\), takes the tensor op Slice, which export can't follow/);
  });

  it('a dynamic feature dim is an error naming the layer', async () => {
    await expect(torch.onnx.export(new nn.GRU(3, 4), torch.randn(5, 2, 3), fresh(), { dynamicAxes: { input: { 2: 'features' } } }))
      .rejects.toThrow(/the model \(GRU\) needs an input whose last dim is 3, got \[5, 2, features\] \(a dynamic feature dim/);
  });

  it('an exporter whose result does not match the module\'s output, and a sample argument that is not a tensor or an array of them', async () => {
    class Pair extends nn.Module<[Tensor], Tensor[]> {
      forward(x: Tensor): Tensor[] {
        return [x.relu(), x.tanh()];
      }
    }
    torch.onnx.registerOnnxExporter(Pair, (g, _m, x, path) => g.node('Relu', [x.name], x.shape, path));
    await expect(torch.onnx.export(new Pair(), torch.randn(2, 3), fresh())).rejects.toThrow(/onnx\.export: the model \(Pair\) returned .*, which its exporter's result does not match/);
    const bad = [torch.randn(5, 2, 3), [torch.randn(1, 2, 4), 3]] as unknown as torch.onnx.SampleArgument[];
    await expect(torch.onnx.export(new nn.LSTM(3, 4), bad, fresh())).rejects.toThrow(/sampleInput must be a Tensor or an array of Tensors \(or of arrays of Tensors, such as an LSTM's \[h0, c0\]\), got .* at index 1/);
  });
});
