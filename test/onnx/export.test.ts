/**
 * onnx.export: exported files run in onnxruntime-node at several batch sizes
 * through one file (dynamic batch axis) and match torchlet's forward; bad
 * models, shapes and paths are clear errors that leave no file behind.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as torch from '../../lib';
import { decodeModel } from '../../lib/onnx/schema';
import { checkBatches as checkAtBatches, maxDiff, runOrt, tempFiles } from './ort';

const { nn } = torch;
type Tensor = torch.Tensor;
const { dir, fresh, cleanup } = tempFiles();
afterAll(cleanup);

/** Exports `model` with a dynamic batch dim and compares onnxruntime with torchlet at batch 1, 3 and 64. */
const checkBatches = (model: torch.nn.Module, featureShape: number[]): Promise<void> => checkAtBatches(model, (n) => torch.randn(n, ...featureShape), fresh());

class Net extends nn.Module {
  fc1 = new nn.Linear(20, 16);
  act = new nn.LeakyReLU(0.2);
  drop = new nn.Dropout(0.3);
  fc2 = new nn.Linear(16, 5, { bias: false });
  out = new nn.LogSoftmax(-1);
  forward(x: Tensor): Tensor {
    return this.out.forward(this.fc2.forward(this.drop.forward(this.act.forward(this.fc1.forward(x)))));
  }
}

describe('onnx.export runs in onnxruntime', () => {
  it('MLP 784-128-10 at batch 1, 3 and 64 through one file, within 1e-4', async () => {
    torch.manualSeed(0);
    await checkBatches(new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10)), [784]);
  });

  it('Flatten, Tanh, Sigmoid, Dropout and Softmax over an image-shaped input', async () => {
    torch.manualSeed(1);
    await checkBatches(new nn.Sequential(
      new nn.Flatten(), new nn.Linear(2 * 5 * 5, 32), new nn.Tanh(), new nn.Dropout(0.5),
      new nn.Linear(32, 16), new nn.Sigmoid(), new nn.Identity(), new nn.Linear(16, 4), new nn.Softmax(1),
    ), [2, 5, 5]);
  });

  it('a user module (LeakyReLU, eval-form Dropout, Linear without bias, LogSoftmax) and nested Sequentials', async () => {
    torch.manualSeed(2);
    await checkBatches(new Net(), [20]);
    await checkBatches(new nn.Sequential(new nn.Sequential(new nn.Linear(6, 6), new nn.ReLU()), new nn.Linear(6, 3)), [6]);
  });

  it('Linear on a 3-D input (MatMul form) with a dynamic batch, and Flatten(0, 1) as a Reshape', async () => {
    torch.manualSeed(3);
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Flatten(0, 1));
    const file = fresh();
    await torch.onnx.export(model, torch.randn(2, 5, 4), file, { dynamicAxes: { input: [0] } });
    for (const batch of [1, 7]) {
      const x = torch.randn(batch, 5, 4);
      const got = await runOrt(file, { input: x });
      const want = torch.noGrad(() => model.forward(x));
      expect(got.dims).toEqual(want.shape);
      expect(maxDiff(got.data as Float32Array, want.data)).toBeLessThan(1e-5);
    }
  });

  it('two outputs, one of them the same value twice, and an output that is the input', async () => {
    class Two extends nn.Module<[Tensor], Tensor[]> {
      fc = new nn.Linear(3, 2);
      act = new nn.Tanh();
      forward(x: Tensor): Tensor[] {
        const h = this.fc.forward(x);
        return [h, this.act.forward(h), h];
      }
    }
    const model = new Two();
    const file = fresh();
    await torch.onnx.export(model, torch.randn(1, 3), file, { outputNames: ['h', 't', 'h2'] });
    const x = torch.randn(1, 3);
    const want = torch.noGrad(() => model.forward(x));
    const session = await ort.InferenceSession.create(file);
    const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [1, 3]) });
    ['h', 't', 'h2'].forEach((name, i) => expect(maxDiff(out[name].data as Float32Array, want[i].data)).toBeLessThan(1e-6));
    const same = fresh();
    await torch.onnx.export(new nn.Dropout(), torch.randn(2, 3), same);
    const x2 = torch.randn(2, 3);
    expect(maxDiff((await runOrt(same, { input: x2 })).data as Float32Array, x2.data)).toBe(0);
  });

  it('tensor ops between modules: view, flatten, relu, sigmoid, tanh, softplus (MNIST-style forward)', async () => {
    class Mnist extends nn.Module {
      fc1 = new nn.Linear(784, 32);
      fc2 = new nn.Linear(32, 16);
      fc3 = new nn.Linear(16, 10);
      forward(x: Tensor): Tensor {
        const h = this.fc1.forward(x.view(-1, 784)).relu();
        return this.fc3.forward(this.fc2.forward(h).sigmoid().tanh().softplus()).flatten(1).unsqueeze(1).squeeze(1);
      }
    }
    torch.manualSeed(5);
    await checkBatches(new Mnist(), [1, 28, 28]);
  });

  it('exportParams: false makes the weights graph inputs', async () => {
    torch.manualSeed(4);
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid());
    const file = fresh();
    await torch.onnx.export(model, torch.randn(1, 3), file, { exportParams: false });
    const proto = decodeModel(fs.readFileSync(file)) as { graph: { initializer?: unknown[]; input: { name: string }[] } };
    expect(proto.graph.initializer ?? []).toEqual([]);
    expect(proto.graph.input.map((i) => i.name)).toEqual(['input', '0.weight', '0.bias']);
    const x = torch.randn(1, 3);
    const lin = model.get(0) as torch.nn.Linear;
    const got = await runOrt(file, { input: x, '0.weight': lin.weight, '0.bias': lin.bias as Tensor });
    expect(maxDiff(got.data as Float32Array, torch.noGrad(() => model.forward(x)).data)).toBeLessThan(1e-6);
  });

  it('writes opset 17 by default with state-dict names for the weights, and the opset asked for', async () => {
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU());
    const file = fresh();
    await torch.onnx.export(model, torch.randn(1, 3), file);
    const proto = decodeModel(fs.readFileSync(file)) as { ir_version: number; opset_import: { version: number }[]; graph: { initializer: { name: string }[]; node: { op_type: string }[] } };
    expect(proto.opset_import[0].version).toBe(17);
    expect(proto.ir_version).toBe(8);
    expect(proto.graph.initializer.map((i) => i.name)).toEqual(['0.weight', '0.bias']);
    expect(proto.graph.node.map((n) => n.op_type)).toEqual(['Gemm', 'Relu']);
    const f13 = fresh();
    await torch.onnx.export(model, torch.randn(1, 3), f13, { opsetVersion: 13 });
    expect((decodeModel(fs.readFileSync(f13)) as { opset_import: { version: number }[] }).opset_import[0].version).toBe(13);
    expect((await runOrt(f13, { input: torch.ones(1, 3) })).dims).toEqual([1, 2]);
  });

  it('registerOnnxExporter makes a user layer exportable with one entry', async () => {
    class Scale extends nn.Module {
      s = nn.Parameter(torch.tensor([2, 3, 4]));
      forward(x: Tensor): Tensor {
        return x.mul(this.s);
      }
    }
    torch.onnx.registerOnnxExporter(Scale, (g, m, x, where) => g.node('Mul', [x.name, g.parameter(`${where}.s`, m.s)], x.shape, where));
    const model = new nn.Sequential(new nn.Linear(2, 3), new Scale(), new nn.ReLU());
    const file = fresh();
    await torch.onnx.export(model, torch.randn(4, 2), file, { dynamicAxes: { input: [0], output: [0] } });
    const x = torch.randn(9, 2);
    expect(maxDiff((await runOrt(file, { input: x })).data as Float32Array, torch.noGrad(() => model.forward(x)).data)).toBeLessThan(1e-6);
  });

  it('restores the training mode and the modules after export', async () => {
    const model = new Net();
    await torch.onnx.export(model, torch.randn(1, 20), fresh());
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(model.fc1, 'forward')).toBe(false);
  });
});

describe('onnx.export errors', () => {
  class Scale extends nn.Module {
    s = nn.Parameter(torch.ones(1));
    forward(x: Tensor): Tensor {
      return x.mul(this.s);
    }
  }
  class OpBetween extends nn.Module {
    fc = new nn.Linear(4, 4);
    head = new nn.Linear(4, 2);
    forward(x: Tensor): Tensor {
      return this.head.forward(this.fc.forward(x).exp());
    }
  }

  /** Expects export to reject with `message` and to leave nothing in the folder. */
  async function fails(model: torch.nn.Module, x: Tensor | Tensor[], message: RegExp, options: torch.onnx.ExportOptions = {}, file = fresh()): Promise<void> {
    const before = fs.readdirSync(path.dirname(file)).length;
    await expect(torch.onnx.export(model, x, file, options)).rejects.toThrow(message);
    expect(fs.existsSync(file)).toBe(false);
    if (fs.existsSync(path.dirname(file))) expect(fs.readdirSync(path.dirname(file)).length).toBe(before);
  }

  it('an unsupported module is named with its path', async () => {
    await fails(new nn.Sequential(new nn.Linear(4, 4), new nn.Sequential(new nn.ReLU(), new Scale())), torch.randn(1, 4),
      /onnx\.export: Scale at '1\.1' has no ONNX exporter \(modules that export: Linear, .*ReLU/);
  });

  it('a tensor op between modules names the module it feeds and the forward it is in', async () => {
    await fails(new nn.Sequential(new OpBetween()), torch.randn(1, 4), /Linear at '0\.head', called in the forward of OpBetween at '0', takes the tensor op Exp, which export can't follow \(tensor ops that export: Relu, Sigmoid, Tanh, Softplus, Gelu, GeluTanh, Silu, View\)/);
    class Constant extends nn.Module {
      fc = new nn.Linear(2, 2);
      forward(): Tensor {
        return this.fc.forward(torch.ones(1, 2));
      }
    }
    await fails(new Constant(), torch.randn(1, 2), /Linear at 'fc', called in the forward of the model \(Constant\), takes a tensor that does not depend on the inputs/);
    await fails(new Scale(), torch.randn(1, 4), /the model \(Scale\) has no ONNX exporter/);
  });

  it('a dynamic shape ONNX cannot express', async () => {
    await fails(new nn.Linear(4, 2), torch.randn(2, 4), /the model \(Linear\) needs an input whose last dim is 4, got \[2, feat\] \(a dynamic last dim/, { dynamicAxes: { input: { 1: 'feat' } } });
    await fails(new nn.Sequential(new nn.Flatten(0, 1)), torch.randn(2, 3, 4), /Flatten at '0' flattens dims 0\.\.1 of \[2, 3, input_dim2\] but the dynamic dim 'input_dim2' follows them/, { dynamicAxes: { input: [2] } });
    class Moves extends nn.Module {
      fc = new nn.Linear(2, 2);
      forward(x: Tensor): Tensor {
        return this.fc.forward(x.view(4, -1));
      }
    }
    await fails(new Moves(), torch.randn(2, 4), /a reshape of \[batch, 4\] to \[4, 2\] in the model moves the dynamic dim 'batch': ONNX's Reshape can't express that shape/, { dynamicAxes: { input: { 0: 'batch' } } });
    await fails(new nn.Linear(4, 2), torch.randn(2, 4), /dynamicAxes makes dim 1 of output 'output' dynamic, but it is 2/, { dynamicAxes: { output: [1] } });
  });

  it('a folder that does not exist, and bad options', async () => {
    const missing = path.join(dir, 'no-such-folder', 'm.onnx');
    await expect(torch.onnx.export(new nn.Linear(2, 2), torch.randn(1, 2), missing)).rejects.toThrow(/onnx\.export: the folder '.*no-such-folder' of '.*m\.onnx' does not exist/);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
    await fails(new nn.Linear(2, 2), torch.randn(1, 2), /opsetVersion must be an integer from 13 to 21, got 9/, { opsetVersion: 9 });
    await fails(new nn.Linear(2, 2), torch.randn(1, 2), /dynamicAxes names 'x', which is neither an input \(input\) nor an output \(output\)/, { dynamicAxes: { x: [0] } });
    await fails(new nn.Linear(2, 2), torch.randn(1, 2, { dtype: 'float64' }), /sample input 0 is float64; torchlet exports float32 models/);
    await fails(new nn.Linear(2, 2), torch.randn(1, 2), /unknown option 'opset_version'; did you mean 'opsetVersion'/, { opset_version: 17 } as object);
  });

  it('a failed export leaves an existing file untouched', async () => {
    const file = fresh();
    await torch.onnx.export(new nn.Linear(2, 2), torch.randn(1, 2), file);
    const bytes = fs.readFileSync(file);
    await expect(torch.onnx.export(new Scale(), torch.randn(1, 2), file)).rejects.toThrow(/no ONNX exporter/);
    expect(fs.readFileSync(file)).toEqual(bytes);
  });
});
