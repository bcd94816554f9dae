/**
 * Runs one call on two backends and compares what they did: every buffer
 * argument afterwards (within the kernel's declared tolerance; int32 exactly),
 * the return value, and — when a call throws — the error class and message.
 */
import type { Kernels, Num } from '../kernels';
import { cloneCall, specOf, type KernelName } from './calls';

/** What one call did: its result, or the error it threw. */
export interface Outcome {
  ok: boolean;
  /** The return value, or `ErrorClass: message`. */
  value: unknown;
  args: unknown[];
}

/** Calls kernel `name` of `k` on a copy of `args`. */
export function run(k: Kernels, name: KernelName, args: readonly unknown[]): Outcome {
  const copy = cloneCall(args);
  try {
    const value = (k[name] as (...a: unknown[]) => unknown)(...copy);
    return { ok: true, value, args: copy };
  } catch (err) {
    const e = err as Error;
    return { ok: false, value: `${e?.constructor?.name}: ${e?.message}`, args: copy };
  }
}

/** True when `got` is within `tol` of `want`, relative to max(1, |want|); NaN equals NaN. */
function close(got: number, want: number, tol: number): boolean {
  if (got === want || (got !== got && want !== want)) return true;
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

/**
 * Compares the outcome of `name` on `a` (e.g. native) with `b` (the js
 * reference). Returns null when they agree, else what differs.
 */
export function compareOutcomes(name: KernelName, a: Outcome, b: Outcome): string | null {
  if (a.ok !== b.ok || (!a.ok && a.value !== b.value)) return `${name}: ${describeOutcome(a)} vs ${describeOutcome(b)}`;
  if (!a.ok) return null;
  const tol = specOf(name).tol;
  // A returned number is a double: within the kernel's float64 tolerance (pow differs by an ulp between libms).
  const same = typeof a.value === 'number' && typeof b.value === 'number' ? close(a.value, b.value, tol.f64) : Object.is(a.value, b.value);
  if (!same) return `${name}: returned ${String(a.value)} vs ${String(b.value)}`;
  for (let p = 0; p < a.args.length; p++) {
    const x = a.args[p];
    const y = b.args[p];
    if (!ArrayBuffer.isView(x) || !ArrayBuffer.isView(y)) continue;
    const xs = x as Num;
    const ys = y as Num;
    const t = xs instanceof Float32Array ? tol.f32 : xs instanceof Float64Array ? tol.f64 : 0;
    for (let i = 0; i < xs.length; i++) {
      if (!close(xs[i], ys[i], t)) return `${name}: arg ${p}[${i}] ${xs[i]} vs ${ys[i]} (tolerance ${t})`;
    }
  }
  return null;
}

function describeOutcome(o: Outcome): string {
  return o.ok ? `returned ${String(o.value)}` : `threw ${String(o.value)}`;
}

/** Runs `args` on both backends and compares them (null: they agree). */
export function compareCall(name: KernelName, args: readonly unknown[], a: Kernels, b: Kernels): string | null {
  return compareOutcomes(name, run(a, name, args), run(b, name, args));
}

/** A short, reproducible description of an argument list for failure reports. */
export function describeArgs(args: readonly unknown[]): string {
  return args.map((a) => {
    if (ArrayBuffer.isView(a) && !(a instanceof DataView)) {
      const n = a as Num;
      if (a.buffer.byteLength === 0) return `${a.constructor.name}(detached or empty)`;
      const head = Array.from(n.subarray(0, 8)).join(',');
      return `${a.constructor.name}(${n.length})[${head}${n.length > 8 ? ',…' : ''}]@${a.byteOffset}`;
    }
    return typeof a === 'bigint' ? `${a}n` : typeof a === 'symbol' ? 'Symbol' : JSON.stringify(a) ?? String(a);
  }).join(', ');
}
