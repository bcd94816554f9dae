/** Test helpers for onnx.export: run an exported file in onnxruntime-node and compare it with torchlet. */
import { expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as torch from '../../lib';
import { decodeModel } from '../../lib/onnx/schema';

type Tensor = torch.Tensor;

/** A temporary folder for exported files and `fresh()` paths in it; `cleanup()` removes it. */
export function tempFiles(): { dir: string; fresh: () => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-onnx-'));
  let files = 0;
  return { dir, fresh: () => path.join(dir, `m${files++}.onnx`), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Largest |a − b| between onnxruntime's output and torchlet's. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Runs `file` in onnxruntime on `feeds` (float32 or int32 tensors) and returns output `outputName`. */
export async function runOrt(file: string, feeds: Record<string, Tensor>, outputName = 'output'): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(file);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) {
    inputs[k] = t.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(t.data), t.shape) : new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
  }
  const out = await session.run(inputs);
  await session.release();
  return out[outputName];
}

/** The dims `file` declares for graph output `index`: a number, or the name of a dynamic dim. */
export function declaredDims(file: string, index = 0): (number | string)[] {
  type Dim = { dim_value?: number; dim_param?: string };
  const proto = decodeModel(fs.readFileSync(file)) as { graph: { output: { type: { tensor_type: { shape: { dim: Dim[] } } } }[] } };
  return proto.graph.output[index].type.tensor_type.shape.dim.map((d) => d.dim_param ?? d.dim_value ?? 0);
}

/**
 * Exports `model` once with a dynamic batch dim (sample: `input(2)`) and
 * checks onnxruntime against torchlet's eval forward at each batch size:
 * same shape, outputs within `tol`; the file declares the output's static
 * dims as torchlet computes them and a dynamic batch.
 */
export async function checkBatches(model: torch.nn.Module, input: (batch: number) => Tensor, file: string, options: { batches?: number[]; tol?: number; opsetVersion?: number } = {}): Promise<void> {
  const { batches = [1, 3, 64], tol = 1e-4, opsetVersion = 17 } = options;
  await torch.onnx.export(model, input(2), file, {
    inputNames: ['input'], outputNames: ['output'], dynamicAxes: { input: { 0: 'batch' }, output: { 0: 'batch' } }, opsetVersion,
  });
  model.eval();
  for (const batch of batches) {
    const x = input(batch);
    const want = torch.noGrad(() => model.forward(x));
    const got = await runOrt(file, { input: x });
    expect(got.dims).toEqual(want.shape);
    expect(maxDiff(got.data as Float32Array, want.data)).toBeLessThan(tol);
    expect(declaredDims(file)).toEqual(['batch', ...want.shape.slice(1)]);
  }
}
