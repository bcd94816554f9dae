/**
 * torch.onnx: `export(model, sampleInput, path, options)` writes an ONNX file;
 * `registerOnnxExporter` declares how a module class exports.
 */
import './exporters';
import './conv-exporters';
import './pool-exporters';
import './norm-exporters';
import './activation-exporters';
export { exportModel as export, MIN_OPSET, MAX_OPSET, type ExportOptions, type DynamicAxes } from './export';
export { registerOnnxExporter, type ModuleExporter } from './registry';
export { OnnxGraph, type OnnxValue, type Dim, type AttributeValue } from './graph';
