/**
 * The one argument form of `zeroGrad`, shared by modules and optimizers:
 * `zeroGrad()`, `zeroGrad({ setToNone })` or PyTorch's positional
 * `zeroGrad(setToNone)`. Anything else is an error, never a silent default.
 */
import { defineOptions, readable, rejectUnknownOptions, type OptionSpec } from '../options';

/** Options of `zeroGrad`. */
export interface ZeroGradOptions {
  /** true (default, PyTorch 2's): set grads to null; false: fill them with zeros in place. */
  setToNone?: boolean;
}

/** What `zeroGrad` takes: its options, or `setToNone` itself as PyTorch's positional argument. */
export type ZeroGradArg = ZeroGradOptions | boolean;

const SPECS: Record<string, OptionSpec> = {
  'Module.zeroGrad': defineOptions<ZeroGradOptions>('Module.zeroGrad', { setToNone: true }),
  'Optimizer.zeroGrad': defineOptions<ZeroGradOptions>('Optimizer.zeroGrad', { setToNone: true }),
};

/** The `setToNone` that `arg` asks for. */
export function zeroGradMode(arg: unknown, where: 'Module.zeroGrad' | 'Optimizer.zeroGrad'): boolean {
  if (typeof arg === 'boolean') return arg;
  rejectUnknownOptions(arg, SPECS[where]);
  const setToNone = (arg as ZeroGradOptions | undefined)?.setToNone ?? true;
  if (typeof setToNone !== 'boolean') throw new TypeError(`${where}: setToNone must be a boolean, got ${readable(setToNone)}`);
  return setToNone;
}
