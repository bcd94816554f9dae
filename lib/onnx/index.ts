/**
 * torch.onnx: `export(model, sampleInput, path, options)` writes an ONNX file;
 * `registerOnnxExporter` declares how a module class exports.
 */
import './exporters';
import './conv-exporters';
import './pool-exporters';
import './norm-exporters';
import './activation-exporters';
import './rnn-exporters';
export { exportModel as export, MIN_OPSET, MAX_OPSET, type ExportOptions, type DynamicAxes } from './export';
export type { SampleArgument } from './trace';
export { registerOnnxExporter, type ModuleExporter } from './registry';
export { OnnxGraph, type OnnxValue, type OnnxTree, type Dim, type AttributeValue } from './graph';
