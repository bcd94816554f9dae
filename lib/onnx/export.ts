/** torch.onnx.export: a torchlet model as an ONNX file onnxruntime (and any ONNX runtime) can run. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor';
import { Module, type AnyModule } from '../nn/module';
import { writeAtomic } from '../io/atomic-write';
import { defineOptions, readable, rejectUnknownOptions } from '../options';
import { OnnxGraph, fmtDims, valueInfo, type Dim, type OnnxTree, type OnnxValue } from './graph';
import { exporterOf } from './registry';
import { trace, outputTensors, type SampleArgument } from './trace';
import { describeModule } from './exporters';
import { encodeModel } from './schema';
import { TAPE_OPS } from './tape-ops';

/** The dynamic dims of one input or output: their indices (auto-named) or index → name. */
export type DynamicAxes = readonly number[] | Readonly<Record<number, string>>;

/** Options of `onnx.export` (PyTorch's keywords in camelCase). */
export interface ExportOptions {
  /** Names of the graph inputs (default 'input', 'input_1', …). */
  inputNames?: readonly string[];
  /** Names of the graph outputs (default 'output', 'output_1', …). */
  outputNames?: readonly string[];
  /** Dims that vary at run time, per input or output name, e.g. `{ input: { 0: 'batch' }, output: { 0: 'batch' } }`. */
  dynamicAxes?: Readonly<Record<string, DynamicAxes>>;
  /** ONNX opset (default 17; 13 to 21). */
  opsetVersion?: number;
  /** Store the weights in the file (default true); false makes them graph inputs. */
  exportParams?: boolean;
}

const EXPORT = defineOptions<ExportOptions>('onnx.export', { inputNames: true, outputNames: true, dynamicAxes: true, opsetVersion: true, exportParams: true });

/** The opset versions export accepts: from 13 (Softmax's per-axis form) to 21. */
export const MIN_OPSET = 13;
/** The newest opset export writes. */
export const MAX_OPSET = 21;

/** ONNX IR version paired with each opset (onnx/helper.py's VERSION_TABLE). */
function irVersion(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function defaultNames(base: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? base : `${base}_${i}`));
}

function checkNames(names: unknown, n: number, what: string): string[] {
  if (!Array.isArray(names) || names.some((s) => typeof s !== 'string' || s === '')) throw new TypeError(`onnx.export: ${what} must be an array of non-empty strings, got ${readable(names)}`);
  if (names.length !== n) throw new RangeError(`onnx.export: ${what} has ${names.length} names for ${n} ${what === 'inputNames' ? 'inputs' : 'outputs'}`);
  if (new Set(names).size !== names.length) throw new RangeError(`onnx.export: ${what} repeats a name: ${readable(names)}`);
  return names as string[];
}

/** Dim index → name for `name`'s dynamic axes, checked against its rank. */
function dynamicDims(axes: DynamicAxes, name: string, rank: number): Map<number, string> {
  const out = new Map<number, string>();
  const entries: [number, string][] = Array.isArray(axes)
    ? (axes as number[]).map((d) => [d, `${name}_dim${d}`])
    : Object.entries(axes as Record<string, string>).map(([d, n]) => [Number(d), n]);
  for (const [d, dimName] of entries) {
    if (!Number.isInteger(d) || d < 0 || d >= rank) throw new RangeError(`onnx.export: dynamicAxes['${name}'] names dim ${d}, but '${name}' has rank ${rank}`);
    if (typeof dimName !== 'string' || dimName === '') throw new TypeError(`onnx.export: dynamicAxes['${name}'][${d}] must be a non-empty name, got ${readable(dimName)}`);
    out.set(d, dimName);
  }
  return out;
}

/** Records which value each tensor of a module's output `out` is: `y`, the exporter's result, has the same structure. */
function bindOutputs(out: unknown, y: OnnxTree, values: Map<Tensor, OnnxValue>, who: string): void {
  if (out instanceof Tensor && y !== null && !Array.isArray(y)) {
    values.set(out, y as OnnxValue);
  } else if (Array.isArray(out) && Array.isArray(y) && out.length === y.length) {
    out.forEach((o, i) => bindOutputs(o, (y as readonly OnnxTree[])[i], values, who));
  } else if (!(out === null && y === null)) {
    throw new TypeError(`onnx.export: ${who} returned ${readable(out)}, which its exporter's result does not match (a value per Tensor, an array per array)`);
  }
}

/** What export writes, before it touches the disk: every check has passed once this returns. */
function buildModel(model: AnyModule, args: SampleArgument[], options: ExportOptions): Uint8Array {
  const inputs = args.flat();
  const { opsetVersion = 17, exportParams = true, dynamicAxes = {} } = options;
  if (!Number.isInteger(opsetVersion) || opsetVersion < MIN_OPSET || opsetVersion > MAX_OPSET) {
    throw new RangeError(`onnx.export: opsetVersion must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${readable(opsetVersion)}`);
  }
  if (typeof exportParams !== 'boolean') throw new TypeError(`onnx.export: exportParams must be a boolean, got ${readable(exportParams)}`);
  if (dynamicAxes === null || typeof dynamicAxes !== 'object') throw new TypeError(`onnx.export: dynamicAxes must be an object such as { input: [0] }, got ${readable(dynamicAxes)}`);
  const inputNames = checkNames(options.inputNames ?? defaultNames('input', inputs.length), inputs.length, 'inputNames');

  const { calls, output, leaves } = trace(model, args);
  const outputs = outputTensors(output, `the forward of ${describeModule(model, '')}`);
  const outputNames = checkNames(options.outputNames ?? defaultNames('output', outputs.length), outputs.length, 'outputNames');
  for (const name of Object.keys(dynamicAxes)) {
    if (!inputNames.includes(name) && !outputNames.includes(name)) throw new RangeError(`onnx.export: dynamicAxes names '${name}', which is neither an input (${inputNames.join(', ')}) nor an output (${outputNames.join(', ')})`);
  }

  const graph = new OnnxGraph(exportParams, opsetVersion);
  const values = new Map<Tensor, OnnxValue>();
  const graphInputs = leaves.map((t, i) => {
    const name = graph.reserve(inputNames[i]);
    const dyn = dynamicDims(dynamicAxes[name] ?? [], name, t.ndim);
    const value: OnnxValue = { name, shape: t.shape.map((d, k): Dim => dyn.get(k) ?? d), dtype: t.dtype === 'int32' ? 'int32' : 'float32' };
    values.set(t, value);
    return value;
  });
  /** The value of `t`: known, or made by tape ops from known values (`where`, `context`: for names and errors). */
  const valueOf = (t: Tensor, where: string, context: string): OnnxValue => {
    const known = values.get(t);
    if (known !== undefined) return known;
    const node = t.gradFn;
    const op = node === null ? undefined : TAPE_OPS[node.name];
    if (node === null || op === undefined || node.inputs.length !== 1) {
      const what = node === null ? 'a tensor that does not depend on the inputs' : `the tensor op ${node.name.replace(/Backward$/, '')}`;
      throw new TypeError(`onnx.export: ${context} takes ${what}, which export can't follow ` +
        `(tensor ops that export: ${Object.keys(TAPE_OPS).map((n) => n.replace(/Backward$/, '')).join(', ')}); use a module instead (nn.Softmax, nn.LeakyReLU, ...) or registerOnnxExporter`);
    }
    const y = op(graph, valueOf(node.inputs[0], where, context), node.inputs[0], t, where);
    values.set(t, y);
    return y;
  };
  for (const { module, path: where, inputs: args, output: out } of calls) {
    if (!(args[0] instanceof Tensor)) throw new TypeError(`onnx.export: ${describeModule(module, where)} is called with ${readable(args[0])} first; export handles a tensor input`);
    const parent = where.includes('.') ? where.slice(0, where.lastIndexOf('.')) : '';
    const owner = parent === '' ? model : model.namedModules().find(([p]) => p === parent)?.[1] ?? model;
    const context = `${describeModule(module, where)}, called in the forward of ${describeModule(owner, parent)},`;
    const treeOf = (a: unknown, at: string): OnnxTree => {
      if (a === null || a === undefined) return null;
      if (a instanceof Tensor) return valueOf(a, parent, context);
      if (Array.isArray(a)) return a.map((b, i) => treeOf(b, `${at}[${i}]`));
      throw new TypeError(`onnx.export: ${context} takes ${readable(a)} as argument ${at}; export handles tensors, null and arrays of them`);
    };
    const value = valueOf(args[0], parent, context);
    const rest = args.slice(1).map((a, i) => treeOf(a, String(i + 1)));
    const exporter = exporterOf(module) as NonNullable<ReturnType<typeof exporterOf>>;
    bindOutputs(out, exporter(graph, module, value, where, rest), values, describeModule(module, where));
  }

  const renamed = new Map<string, string>(); // value name → the output name its node now makes
  const graphOutputs = outputs.map((t, i) => {
    const v = valueOf(t, '', `output ${i} of ${describeModule(model, '')}`);
    const name = outputNames[i];
    const dyn = dynamicDims(dynamicAxes[name] ?? [], name, v.shape.length);
    const shape = v.shape.map((d, k) => {
      const want = dyn.get(k);
      if (want === undefined) return d;
      if (typeof d === 'number') throw new RangeError(`onnx.export: dynamicAxes makes dim ${k} of output '${name}' dynamic, but it is ${d} whatever the inputs' dynamic dims are (output shape ${fmtDims(v.shape)})`);
      return want;
    });
    // the node that makes the value gets the output's name, unless the value is an input or already an output
    const source = renamed.get(v.name);
    const produced = graph.nodes.some((n) => (n.output as string[]).includes(v.name));
    if (source === undefined && produced) {
      graph.rename(v.name, graph.reserve(name));
      renamed.set(v.name, name);
    } else {
      graph.identity(source ?? v.name, graph.reserve(name));
    }
    return { name, shape };
  });

  return encodeModel({
    ir_version: irVersion(opsetVersion),
    producer_name: 'torchlet',
    opset_import: [{ domain: '', version: opsetVersion }],
    graph: {
      name: model.constructor.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [...graphInputs, ...graph.paramInputs].map(valueInfo),
      output: graphOutputs.map(valueInfo),
    },
  });
}

/**
 * Writes `model` as an ONNX file, as PyTorch's `torch.onnx.export`. The model runs once on `sampleInput` (a tensor or an array of them, in eval
 * mode) and the calls into its modules become the graph: Sequential and user
 * modules built from exportable ones export (Linear, the activations,
 * convolutions, pooling, BatchNorm in eval form, LayerNorm, Embedding, RNN,
 * LSTM, GRU, ...; a module returning an array gives one graph output per tensor, depth first;
 * `registerOnnxExporter` adds a layer), with the tensor ops relu, sigmoid,
 * tanh, softplus and the reshapes (view, flatten, ...) between them; a module
 * without an exporter, a configuration ONNX can't express, or another tensor
 * op is an error naming the module and its path. Float32 (int32 index
 * inputs), opset 17 by default. The file is replaced atomically: a failed
 * export leaves no file behind.
 *
 * @param model the module to export (run once, in eval mode)
 * @param sampleInput a float32 tensor, or an array of the forward's arguments (tensors, or arrays of tensors such as an LSTM's `[h0, c0]`); each tensor is a graph input, in order
 * @param file the path of the .onnx file; its folder must exist
 * @param options `inputNames`, `outputNames`, `dynamicAxes`, `opsetVersion` (default 17) and `exportParams` (default true)
 * @returns a promise that resolves once the file is written
 *
 * @example
 * ```ts
 * await torch.onnx.export(model, torch.randn(1, 784), 'mlp.onnx', {
 *   inputNames: ['input'], outputNames: ['logits'],
 *   dynamicAxes: { input: { 0: 'batch' }, logits: { 0: 'batch' } },
 * });
 * ```
 */
export async function exportModel(model: AnyModule, sampleInput: Tensor | readonly SampleArgument[], file: string, options: ExportOptions = {}): Promise<void> {
  rejectUnknownOptions(options, EXPORT);
  if (!(model instanceof Module)) throw new TypeError(`onnx.export: model must be an nn.Module, got ${readable(model)}`);
  const args = Array.isArray(sampleInput) ? [...sampleInput] : [sampleInput];
  const inputs = args.flat();
  args.forEach((a, i) => {
    const ok = a instanceof Tensor || (Array.isArray(a) && a.every((t) => t instanceof Tensor));
    if (!ok) throw new TypeError(`onnx.export: sampleInput must be a Tensor or an array of Tensors (or of arrays of Tensors, such as an LSTM's [h0, c0]), got ${readable(a)}${args.length > 1 ? ` at index ${i}` : ''}`);
  });
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new TypeError(`onnx.export: sample input ${i} is ${t.dtype}; torchlet exports float32 models (and int32 index inputs)`);
  });
  if (typeof file !== 'string' || file === '') throw new TypeError(`onnx.export: path must be a non-empty string, got ${readable(file)}`);
  const dir = path.dirname(path.resolve(file));
  const isDir = await fs.stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new Error(`onnx.export: the folder '${dir}' of '${file}' does not exist`);
  const bytes = buildModel(model, args, options);
  await writeAtomic(file, async (write) => write(bytes));
}
