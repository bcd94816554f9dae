/**
 * OnnxGraph: what a module exporter adds nodes and weights to. Values are
 * named strings with a symbolic shape (a number, or a string naming a dynamic
 * dim such as the batch), which exporters use to check what ONNX can express.
 */
import type { Tensor } from '../tensor';

/** One dim of a symbolic shape: its size, or the name of a dynamic dim. */
export type Dim = number | string;

/** A value of the graph: its name, symbolic shape and element type (float32 unless said). */
export interface OnnxValue {
  /** The value's name in the graph (unique). */
  readonly name: string;
  /** Its shape: sizes, or names of dynamic dims. */
  readonly shape: readonly Dim[];
  /** 'int32' for index inputs (Embedding's); float32 when absent. */
  readonly dtype?: 'float32' | 'int32';
}

/**
 * What a module takes or returns beyond one tensor: a value, null (an
 * absent optional state) or an array of them (the recurrent layers' `[output, hN]`).
 */
export type OnnxTree = OnnxValue | null | readonly OnnxTree[];

/**
 * An attribute value of a node: an int, a list of ints, a string, a list of strings, or a float
 * as `{ float: x }` (JS numbers don't say whether 1 is an int or a float).
 */
export type AttributeValue = number | string | readonly number[] | readonly string[] | {
  /** The float's value. */
  readonly float: number;
};

/** TensorProto.DataType codes the exporter writes. */
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;

/** Formats a symbolic shape as errors show it: [batch, 784]. */
export function fmtDims(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`;
}

/** The ValueInfoProto of a tensor value. */
export function valueInfo(value: OnnxValue): Record<string, unknown> {
  const dim = value.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: value.name, type: { tensor_type: { elem_type: value.dtype === 'int32' ? INT32 : FLOAT, shape: { dim } } } };
}

function attribute(name: string, v: AttributeValue): Record<string, unknown> {
  if (typeof v === 'string') return { name, type: 3, s: Buffer.from(v, 'utf8') };
  if (typeof v === 'number') return { name, type: 2, i: v };
  if ('float' in v) return { name, type: 1, f: v.float };
  if (v.length > 0 && typeof v[0] === 'string') return { name, type: 8, strings: (v as readonly string[]).map((x) => Buffer.from(x, 'utf8')) };
  return { name, type: 7, ints: [...v] };
}

/** Nodes, initializers and parameter inputs of the graph being exported. */
export class OnnxGraph {
  /** NodeProtos in topological order (the order they were added). */
  readonly nodes: Record<string, unknown>[] = [];
  /** TensorProtos of the weights (and constants). */
  readonly initializers: Record<string, unknown>[] = [];
  /** Weights given as graph inputs instead (export with `exportParams: false`). */
  readonly paramInputs: OnnxValue[] = [];
  private readonly used = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private readonly params = new Map<Tensor, string>();

  /**
   * @param exportParams store weights as initializers (else graph inputs)
   * @param opset the opset being written: exporters pick operators by it
   */
  constructor(private readonly exportParams: boolean, readonly opset = 17) {}

  /**
   * `base`, or `base_1`, `base_2`, … : a name no other value has.
   * @param base the name wanted
   * @returns the name claimed
   */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /**
   * Adds a node `opType(inputs)` with `attributes`; its one output has
   * `shape`. `where` (the module path) names the node.
   * @param opType the ONNX operator (Conv, Relu, ...)
   * @param inputs the names of its input values
   * @param shape the symbolic shape of its output
   * @param where the module path the node belongs to
   * @param attributes the node's attributes
   * @returns the output value
   */
  node(opType: string, inputs: readonly string[], shape: readonly Dim[], where: string, attributes: Record<string, AttributeValue> = {}): OnnxValue {
    return this.nodeOutputs(opType, inputs, [shape], where, attributes)[0];
  }

  /**
   * Adds a node with one output per entry of `shapes` (LSTM's Y, Y_h, Y_c).
   * @param opType the ONNX operator
   * @param inputs the names of its input values ('' for an absent optional one)
   * @param shapes the symbolic shape of each output
   * @param where the module path the node belongs to
   * @param attributes the node's attributes
   * @returns the output values, in order
   */
  nodeOutputs(opType: string, inputs: readonly string[], shapes: readonly (readonly Dim[])[], where: string, attributes: Record<string, AttributeValue> = {}): OnnxValue[] {
    const prefix = where === '' ? opType : `${where}/${opType}`;
    const outputs = shapes.map((shape, i) => ({ name: this.uniqueName(`/${prefix}_output_${i}`), shape }));
    let nodeName = `/${prefix}`;
    for (let i = 1; this.nodeNames.has(nodeName); i++) nodeName = `/${prefix}_${i}`;
    this.nodeNames.add(nodeName);
    this.nodes.push({
      name: nodeName,
      op_type: opType,
      input: [...inputs],
      output: outputs.map((o) => o.name),
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /**
   * A float32 weight under its state-dict name `name` (an initializer, or a
   * graph input without `exportParams`); a tensor seen before keeps its first name.
   * @param name the state-dict name (made unique)
   * @param t the float32 tensor
   * @returns the weight's value name
   */
  parameter(name: string, t: Tensor): string {
    const known = this.params.get(t);
    if (known !== undefined) return known;
    if (t.dtype !== 'float32') throw new TypeError(`onnx.export: parameter '${name}' is ${t.dtype}; torchlet exports float32 models (convert with model.float())`);
    const unique = this.uniqueName(name);
    this.params.set(t, unique);
    if (this.exportParams) {
      const data = t.data as Float32Array;
      this.initializers.push({ name: unique, data_type: FLOAT, dims: [...t.shape], raw_data: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    } else {
      this.paramInputs.push({ name: unique, shape: [...t.shape] });
    }
    return unique;
  }

  /**
   * An int64 constant (e.g. a Reshape's target shape) named after `base`.
   * @param base the name to start from (made unique)
   * @param values its elements (a 1-D constant)
   * @returns the constant's value name
   */
  int64Constant(base: string, values: readonly number[]): string {
    const name = this.uniqueName(base);
    const raw = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
    this.initializers.push({ name, data_type: INT64, dims: [values.length], raw_data: raw });
    return name;
  }

  /**
   * A float32 constant (e.g. a formula's coefficient) named after `base`.
   * @param base the name to start from (made unique)
   * @param values its elements, row-major
   * @param dims its shape (`[]`, the default: a scalar)
   * @returns the constant's value name
   */
  floatConstant(base: string, values: readonly number[], dims: readonly number[] = []): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, data_type: FLOAT, dims: [...dims], raw_data: new Uint8Array(Float32Array.from(values).buffer) });
    return name;
  }

  /**
   * Claims `name` exactly (a graph input or output name); an error if a value already has it.
   * @param name the name to claim
   * @returns `name`
   */
  reserve(name: string): string {
    if (this.used.has(name)) throw new RangeError(`onnx.export: the name '${name}' is already used in the graph (input, output or weight names must differ)`);
    this.used.add(name);
    return name;
  }

  /**
   * An Identity node from value `from` to a new value named exactly `to` (already reserved).
   * @param from the value copied
   * @param to the new value's name
   */
  identity(from: string, to: string): void {
    this.nodes.push({ name: `/Identity_${to}`, op_type: 'Identity', input: [from], output: [to], attribute: [] });
  }

  /**
   * Renames value `from` to `to` wherever a node uses or makes it.
   * @param from the old name
   * @param to the new name
   */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      for (const key of ['input', 'output'] as const) n[key] = (n[key] as string[]).map((v) => (v === from ? to : v));
    }
  }
}

