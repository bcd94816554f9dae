/**
 * Tracing for export: runs the model once on the sample input (eval mode,
 * fusion off so Sequential calls each layer) with every module that has an
 * exporter recording its call, and every leaf module without one refusing to
 * run. The calls, linked by tensor identity, are the graph; grad mode is on
 * and the float inputs are fresh leaves that require grad, so a tensor op between
 * modules leaves a tape node to follow (tape-ops.ts).
 */
import { Tensor } from '../tensor';
import { enableGrad } from '../autograd/grad-mode';
import { setFusion } from '../ops/fused-switch';
import type { AnyModule } from '../nn/module';
import { exportableClasses, exporterOf } from './registry';
import { describeModule } from './exporters';

/** One recorded module call: the module, its path, its tensor inputs and output. */
export interface TracedCall {
  readonly module: AnyModule;
  readonly path: string;
  readonly inputs: readonly unknown[];
  readonly output: unknown;
}

/** One argument of the forward export runs: a tensor, or an array of them (an LSTM's `[h0, c0]`). */
export type SampleArgument = Tensor | readonly Tensor[];

/**
 * The calls `model.forward(...args)` made into exportable modules, in order,
 * what it returned, and the leaves (copies of the tensors of `args`, in
 * order) it ran on.
 */
export function trace(model: AnyModule, args: readonly SampleArgument[]): { calls: TracedCall[]; output: unknown; leaves: Tensor[] } {
  const calls: TracedCall[] = [];
  const patched: [AnyModule, unknown, boolean][] = [];
  const training = model.modules().map((m) => [m, m.training] as const);
  const fusion = setFusion(false);
  let depth = 0; // inside an exportable module, its own submodules are its business
  try {
    for (const [path, m] of model.namedModules()) {
      const own = m as unknown as { forward: (...args: unknown[]) => unknown };
      const forward = own.forward;
      const hadOwn = Object.prototype.hasOwnProperty.call(m, 'forward');
      if (exporterOf(m) !== undefined) {
        own.forward = (...args: unknown[]): unknown => {
          if (depth > 0) return forward.apply(m, args);
          depth++;
          try {
            const output = forward.apply(m, args);
            calls.push({ module: m, path, inputs: args, output });
            return output;
          } finally {
            depth--;
          }
        };
      } else if (m.children().length === 0) {
        own.forward = (...args: unknown[]): unknown => {
          if (depth > 0) return forward.apply(m, args);
          throw new TypeError(`onnx.export: ${describeModule(m, path)} has no ONNX exporter (modules that export: ${exportableClasses().join(', ')}, and containers of them)`);
        };
      } else {
        continue;
      }
      patched.push([m, forward, hadOwn]);
    }
    model.eval();
    const leaves: Tensor[] = [];
    const leafOf = (t: Tensor): Tensor => {
      const leaf = t.detach();
      leaf.requiresGrad = t.dtype === 'float32'; // int32 indices take no gradient
      leaves.push(leaf);
      return leaf;
    };
    const leafArgs = args.map((a) => (a instanceof Tensor ? leafOf(a) : a.map(leafOf)));
    const output = enableGrad(() => (model as unknown as { forward: (...a: unknown[]) => unknown }).forward(...leafArgs));
    return { calls, output, leaves };
  } finally {
    for (const [m, forward, hadOwn] of patched) {
      const own = m as unknown as { forward?: unknown };
      if (hadOwn) own.forward = forward;
      else delete own.forward;
    }
    for (const [m, t] of training) m.training = t;
    setFusion(fusion);
  }
}

/**
 * The tensors `output` holds, depth first: a Tensor, or an array of Tensors
 * and arrays (an LSTM's `[output, [hN, cN]]` is three graph outputs).
 */
export function outputTensors(output: unknown, what: string): Tensor[] {
  const list: Tensor[] = [];
  const walk = (t: unknown, at: string): void => {
    if (Array.isArray(t)) t.forEach((u, i) => walk(u, `${at}[${i}]`));
    else if (t instanceof Tensor) list.push(t);
    else throw new TypeError(`onnx.export: ${what} must return a Tensor or a (nested) array of Tensors, got ${t === null ? 'null' : typeof t}${at === '' ? '' : ` at ${at}`}`);
  };
  walk(output, '');
  return list;
}
