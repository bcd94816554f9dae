/** Options shared by Adam and AdamW, and their checks (PyTorch's messages). */
import { checkBoolean, checkNonNegative, checkNumber, describeValue } from './validate';
import { defineOptions, rejectUnknownOptions, type OptionSpec } from '../options';

/** Options of Adam and AdamW (PyTorch's keyword arguments in camelCase). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates [β1, β2] of the moment averages (default [0.9, 0.999]), each in [0, 1). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Use the running max of the second moment (AMSGrad). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
}

/** The complete options of an Adam / AdamW param group. */
export type AdamGroupOptions = Required<AdamOptions>;

const KEYS = { lr: true, betas: true, eps: true, weightDecay: true, amsgrad: true, maximize: true } as const;
const SPECS: Record<string, OptionSpec> = { Adam: defineOptions<AdamOptions>('Adam', KEYS), AdamW: defineOptions<AdamOptions>('AdamW', KEYS) };

/** Fills the defaults of Adam (weightDecay 0) or AdamW (weightDecay 1e-2). */
export function adamDefaults(where: 'Adam' | 'AdamW', options: AdamOptions, weightDecay: number): AdamGroupOptions {
  rejectUnknownOptions(options, SPECS[where]);
  return {
    lr: options.lr ?? 1e-3,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
}

/** Throws PyTorch's errors for invalid Adam / AdamW options. */
export function checkAdamOptions(where: string, o: Partial<AdamGroupOptions>): void {
  if (o.lr !== undefined) checkNonNegative(where, 'lr', 'learning rate', o.lr);
  if (o.eps !== undefined) checkNonNegative(where, 'eps', 'epsilon value', o.eps);
  if (o.betas !== undefined) {
    const b: unknown = o.betas;
    if (!Array.isArray(b) || b.length !== 2) throw new TypeError(`${where}: betas must be an array of two numbers, got ${describeValue(b)}`);
    b.forEach((beta: unknown, i) => {
      checkNumber(where, `betas[${i}]`, beta);
      if (!((beta as number) >= 0 && (beta as number) < 1)) throw new RangeError(`${where}: Invalid beta parameter at index ${i}: ${String(beta)}`);
    });
  }
  if (o.weightDecay !== undefined) checkNonNegative(where, 'weightDecay', 'weight_decay value', o.weightDecay);
  if (o.amsgrad !== undefined) checkBoolean(where, 'amsgrad', o.amsgrad);
  if (o.maximize !== undefined) checkBoolean(where, 'maximize', o.maximize);
}
