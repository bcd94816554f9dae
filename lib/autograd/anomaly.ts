/**
 * Anomaly detection (PyTorch's `torch.autograd.detect_anomaly`): while it is
 * on, every op's output is checked for NaN / ±Infinity right after its
 * forward, every gradient a backward node returns is checked, and each tape
 * node remembers where (in user code) its forward op was called, so the
 * error points at the line that introduced the bad value.
 *
 * The finiteness scan is a plain loop over `t.data` here rather than a
 * kernel: it is diagnostics, not an op, and runs only in this debugging mode
 * (the Kernels interface has no `countNonFinite`; adding one belongs to the
 * kernels' owner).
 */
import { checkScopedCallback, checkScopedResult } from './scoped-callback';
import * as path from 'node:path';
import type { Num } from '../backend/kernels';
import type { Tensor } from '../tensor';
import type { Node } from './node';
import { fmtShape } from '../shape';

/**
 * @internal The switches ops read: `enabled` (record creation stacks, check
 * gradients) and `forward` (check op outputs: enabled and not inside backward
 * or an exempt scope). One property test on every op when off.
 */
export const anomalyState = { enabled: false, forward: false };

/** Depth of scopes where forward checks are off (the backward pass, library internals). */
let exempt = 0;

function update(): void {
  anomalyState.forward = anomalyState.enabled && exempt === 0;
}

/** True when anomaly detection is on (PyTorch's `torch.is_anomaly_enabled()`). */
export function isAnomalyEnabled(): boolean {
  return anomalyState.enabled;
}

/**
 * Turns anomaly detection on or off globally (PyTorch's
 * `torch.autograd.set_detect_anomaly(mode)`). See `detectAnomaly` for what is
 * checked. It slows every op down (a scan of each output and a stack capture
 * per recorded node): use it to find a NaN, not to train.
 *
 * @param enabled whether to check every op's output for NaN/Inf
 */
export function setDetectAnomaly(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError(`setDetectAnomaly: expected a boolean, got ${typeof enabled}`);
  anomalyState.enabled = enabled;
  update();
}

/**
 * Runs `fn` with anomaly detection on and returns its result (PyTorch's
 * `with torch.autograd.detect_anomaly():`); the previous mode is restored
 * afterwards, also when `fn` throws. The scope is synchronous, like `noGrad`:
 * work after an `await` inside `fn` runs in whatever mode is current then.
 *
 * Inside the scope:
 * - forward: each op's output is scanned right after it is computed. The
 *   first op that produces a NaN or ±Infinity *from finite inputs* throws an
 *   AnomalyError naming the op (e.g. `log (LogBackward)`), its input shapes and
 *   dtypes, and the user-code frames of the call. An op whose inputs already
 *   hold a non-finite value is not blamed (its output is not checked), so the
 *   error names the op that introduced the value, not the ones it flowed
 *   through. In-place ops (`add_`, `fill_`, …) are checked the same way.
 * - backward: every gradient a backward node returns is scanned (PyTorch checks
 *   these only); the first non-finite one throws an AnomalyError naming the
 *   node (e.g. `LogBackward`), the input index, the shapes, and where the
 *   forward op was called. Ops run by backward rules are not checked one by one.
 * - each recorded node captures a stack trace (`new Error().stack`), which
 *   is why the mode is costly; nothing is captured or scanned when it is off.
 *
 * @param fn the code to run with anomaly detection on
 * @returns what `fn` returns
 */
export function detectAnomaly<T>(fn: () => T): T {
  checkScopedCallback(fn, 'detectAnomaly');
  const previous = anomalyState.enabled;
  setDetectAnomaly(true);
  try {
    return checkScopedResult(fn(), 'detectAnomaly');
  } finally {
    setDetectAnomaly(previous);
  }
}

/**
 * @internal Runs `fn` without forward checks (anomaly mode itself stays on):
 * the backward pass, whose node outputs are checked instead, and library code
 * that produces ±Infinity on purpose and clamps it away (e.g. BCE's
 * `clamp(log(x), -100)`).
 */
export function withoutForwardChecks<T>(fn: () => T): T {
  exempt++;
  update();
  try {
    return fn();
  } finally {
    exempt--;
    update();
  }
}

/** Where an anomaly was found: in an op's forward output or in a gradient returned by a backward node. */
export type AnomalyPhase = 'forward' | 'backward';

/** The error anomaly detection throws (PyTorch raises a RuntimeError). */
export class AnomalyError extends Error {
  /** 'forward' (an op's output) or 'backward' (a gradient returned by a node). */
  readonly phase: AnomalyPhase;
  /** The op or backward node, e.g. 'log' / 'LogBackward'. */
  readonly op: string;
  /** Backward: the index of the input whose gradient is non-finite; forward: null. */
  readonly inputIndex: number | null;
  /** The user-code frames of the forward call (torchlet's own frames removed), one per line. */
  readonly creationStack: string;

  /** @internal */
  constructor(message: string, phase: AnomalyPhase, op: string, inputIndex: number | null, creationStack: string) {
    super(message);
    this.name = 'AnomalyError';
    this.phase = phase;
    this.op = op;
    this.inputIndex = inputIndex;
    this.creationStack = creationStack;
  }
}

// ---- scanning ---------------------------------------------------------------------------

/** Flat index of the first NaN or ±Infinity in `data`, or -1 (int32 data is always finite). */
function firstNonFinite(data: Num): number {
  if (data instanceof Int32Array) return -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return i; // NaN - NaN and ∞ - ∞ are NaN
  }
  return -1;
}

/** True when every operand (a tensor or a scalar) is finite throughout. */
export function allFinite(operands: readonly (Tensor | number | null | undefined)[]): boolean {
  for (const x of operands) {
    if (x === null || x === undefined) continue;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return false;
    } else if (firstNonFinite(x.data) >= 0) return false;
  }
  return true;
}

/** "2 of 6 elements non-finite (1 NaN, 1 -Infinity), first at flat index 3" */
function census(data: Num, first: number): string {
  let nan = 0;
  let pos = 0;
  let neg = 0;
  for (let i = first; i < data.length; i++) {
    const v = data[i];
    if (v !== v) nan++;
    else if (v === Infinity) pos++;
    else if (v === -Infinity) neg++;
  }
  const kinds = [nan > 0 ? `${nan} NaN` : '', pos > 0 ? `${pos} +Infinity` : '', neg > 0 ? `${neg} -Infinity` : ''].filter(Boolean).join(', ');
  return `${nan + pos + neg} of ${data.length} elements non-finite (${kinds}), first at flat index ${first}`;
}

/** "NaN" / "Infinity" / "-Infinity", the value at `i`. */
function valueName(data: Num, i: number): string {
  return String(data[i]);
}

function describeOperand(x: Tensor | number, i: number): string {
  return typeof x === 'number' ? `#${i} scalar ${x}` : `#${i} ${fmtShape(x.shape)} ${x.dtype}`;
}

/** 'LogBackward' → 'log', 'MmBackward' → 'mm'; other names unchanged. */
function opNameOf(name: string): string {
  const m = /^(.*?)Backward\d*$/.exec(name);
  if (m === null || m[1] === '') return name;
  return m[1][0].toLowerCase() + m[1].slice(1);
}

function label(name: string): string {
  const op = opNameOf(name);
  return op === name ? name : `${op} (${name})`;
}

// ---- forward checks -------------------------------------------------------------------------

/**
 * @internal Throws an AnomalyError when `out` holds a NaN or ±Infinity and every
 * input was finite. `name` is the node name ('LogBackward') or the op name.
 */
export function checkForward(out: Tensor, name: string, inputs: readonly (Tensor | number)[]): void {
  const bad = firstNonFinite(out.data);
  if (bad < 0 || !allFinite(inputs)) return;
  throwForward(out, name, inputs, bad);
}

/**
 * @internal For in-place ops, whose inputs must be scanned before they are
 * overwritten: throws when `out` holds a non-finite value (the caller has
 * checked the inputs were finite).
 */
export function checkOutputOnly(out: Tensor, name: string, inputs: readonly (Tensor | number)[]): void {
  const bad = firstNonFinite(out.data);
  if (bad >= 0) throwForward(out, name, inputs, bad);
}

function throwForward(out: Tensor, name: string, inputs: readonly (Tensor | number)[], bad: number): never {
  const stack = userFrames(captureTrace(throwForward));
  const ins = inputs.length === 0 ? 'none' : inputs.map(describeOperand).join(', ');
  throw new AnomalyError(
    `Anomaly detected: ${label(name)} produced ${valueName(out.data, bad)} from finite inputs in its forward.\n` +
    `  output: ${fmtShape(out.shape)} ${out.dtype}, ${census(out.data, bad)}\n` +
    `  inputs: ${ins}\n` +
    `  called at:\n${stack}`,
    'forward', name, null, stack);
}

// ---- backward checks -------------------------------------------------------------------------

/**
 * @internal Throws an AnomalyError at the first non-finite gradient `node`
 * returned (PyTorch: "Function 'LogBackward0' returned nan values in its 0th
 * output"), with the stack its forward op was recorded at.
 */
export function checkGradients(node: Node, grads: readonly (Tensor | null | undefined)[], gradOutput: Tensor): void {
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (g === null || g === undefined) continue;
    const bad = firstNonFinite(g.data);
    if (bad < 0) continue;
    const stack = node.trace === null
      ? '    (not recorded: the forward ran while anomaly detection was off; enable it before the forward)'
      : userFrames(node.trace);
    const input = node.inputs[i];
    const inShape = input === undefined ? '?' : `${fmtShape(input.shape)} ${input.dtype}`;
    const upstream = firstNonFinite(gradOutput.data) >= 0 ? ' (the incoming gradient was already non-finite)' : '';
    throw new AnomalyError(
      `Anomaly detected: function '${node.name}' returned ${valueName(g.data, bad)} values in its gradient for input ${i}${upstream}.\n` +
      `  gradient for input ${i}: ${fmtShape(g.shape)} ${g.dtype}, ${census(g.data, bad)}\n` +
      `  input ${i}: ${inShape}; incoming gradient: ${fmtShape(gradOutput.shape)} ${gradOutput.dtype}\n` +
      `  the forward op was called at:\n${stack}`,
      'backward', node.name, i, stack);
  }
}

// ---- stacks ---------------------------------------------------------------------------------

/** torchlet's own source root (lib/ or dist/): frames under it are internal. */
const ROOT = path.resolve(__dirname, '..') + path.sep;

/** How many user frames an error shows. */
const SHOWN_FRAMES = 8;

/**
 * @internal An Error whose stack starts at the caller of `below` (V8 formats
 * the text lazily, only if an anomaly is reported). Deep enough to reach past
 * torchlet's own frames.
 */
export function captureTrace(below?: (...args: never[]) => unknown): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const e = new Error('forward call');
  if (below !== undefined) Error.captureStackTrace(e, below);
  Error.stackTraceLimit = limit;
  return e;
}

/** The file a V8 stack line refers to, or null. */
function fileOf(line: string): string | null {
  const m = /\(?((?:file:\/\/)?[^\s()]+?):\d+:\d+\)?\s*$/.exec(line);
  if (m === null) return null;
  return m[1].startsWith('file://') ? decodeURIComponent(m[1].slice('file://'.length)) : m[1];
}

/** The frames of `trace` outside torchlet and Node's internals, indented, most recent first. */
function userFrames(trace: Error): string {
  const lines = (trace.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  const kept: { line: string; dependency: boolean }[] = [];
  for (const l of lines) {
    const file = fileOf(l);
    // No file: a builtin such as Array.map (<anonymous>); node: frames are Node's internals.
    if (file === null || file.startsWith(ROOT) || file.startsWith('node:')) continue;
    kept.push({ line: `    ${l.trim()}`, dependency: /[/\\]node_modules[/\\]/.test(file) });
  }
  // Frames of installed packages (a test runner, a framework) only when no frame is the user's own.
  const own = kept.filter((f) => !f.dependency);
  const shown = (own.length > 0 ? own : kept).slice(0, SHOWN_FRAMES).map((f) => f.line);
  return shown.length > 0 ? shown.join('\n') : '    (no frames outside torchlet)';
}
