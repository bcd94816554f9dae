/**
 * Module exporters, keyed by module class: the one place a layer's ONNX form
 * is declared. `registerOnnxExporter(nn.Conv2d, (g, m, x, path) => ...)` makes
 * a layer exportable; lib/onnx/exporters.ts holds the built-in entries.
 */
import type { AnyModule } from '../nn/module';
import type { OnnxGraph, OnnxTree, OnnxValue } from './graph';

/**
 * Adds `module`'s computation on `input` to `graph` and returns its output
 * value (or, for a module returning an array such as `[output, hN]`, the
 * same array of values). `path` is the module's dotted name in the model
 * ('' for the model itself): exporters name nodes and weights after it and
 * put it in errors. `rest` holds the values of the forward's further
 * arguments (an initial state; null where absent).
 */
export type ModuleExporter<M> = (graph: OnnxGraph, module: M, input: OnnxValue, path: string, rest: readonly OnnxTree[]) => OnnxTree;

/** A module class: a constructor of any arity (modules take positional arguments). */
type ModuleClass<M> = abstract new (...args: never[]) => M;

const exporters = new Map<unknown, ModuleExporter<never>>();

/**
 * Declares how modules of class `cls` export to ONNX. Only that exact class
 * matches: a subclass may override forward, so it needs its own entry.
 *
 * @param cls the module class, e.g. `nn.Conv2d`
 * @param exporter adds a module's computation to the graph and returns its output value
 */
export function registerOnnxExporter<M extends AnyModule>(cls: ModuleClass<M>, exporter: ModuleExporter<M>): void {
  if (typeof exporter !== 'function') throw new TypeError(`registerOnnxExporter: exporter of ${cls.name} must be a function`);
  exporters.set(cls, exporter as ModuleExporter<never>);
}

/** The exporter of `module`'s class, or undefined. */
export function exporterOf(module: AnyModule): ModuleExporter<AnyModule> | undefined {
  return exporters.get(module.constructor) as ModuleExporter<AnyModule> | undefined;
}

/** Names of the classes that export, for error messages. */
export function exportableClasses(): string[] {
  return [...exporters.keys()].map((c) => (c as { name: string }).name);
}
