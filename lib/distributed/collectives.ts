/**
 * Collectives on the default process group, in place as PyTorch's. Each runs
 * on the group's communication thread, in the order called (every rank must
 * call the same collectives in the same order). Two forms:
 *   - `allReduce(t)` returns a Promise: the event loop keeps running while
 *     MPI works. The tensor's buffer belongs to the collective until the
 *     promise settles: do not read or write it before (PyTorch's async_op
 *     contract, `work.wait()` being the `await`).
 *   - `allReduceSync(t)` blocks the JS thread until done.
 * Float32, float64 and int32 tensors; 'avg' needs a float dtype.
 */
import { Tensor } from '../tensor';
import { fmtShape } from '../shape';
import { type Done, type ReduceOpName, type WorkHandle } from './addon';
import { defaultGroup } from './process-group';
import { defineOptions, rejectUnknownOptions } from '../options';

/** The reductions (PyTorch's `dist.ReduceOp`). */
export const ReduceOp = {
  /** Elementwise sum over ranks. */
  SUM: 'sum',
  /** Elementwise mean over ranks (float tensors only). */
  AVG: 'avg',
  /** Elementwise product over ranks. */
  PRODUCT: 'product',
  /** Elementwise minimum over ranks. */
  MIN: 'min',
  /** Elementwise maximum over ranks. */
  MAX: 'max',
} as const;
export type { ReduceOpName };

/** Options of the reducing collectives. */
export interface ReduceOptions {
  /** The reduction (default 'sum'). */
  op?: ReduceOpName;
}

/** One collective, checked and ready to submit. */
interface Prepared {
  submit(done?: Done): WorkHandle | undefined;
  /** Runs on success (copies out, bumps version counters). */
  finish(): void;
  /** Says which tensor of which rank, for error messages. */
  context: string;
  wait(work: WorkHandle): void;
}

function withContext(err: unknown, context: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = `${e.message} (${context})`;
  return e;
}

function runSync(p: Prepared): void {
  const work = p.submit() as WorkHandle;
  try {
    p.wait(work);
  } catch (err) {
    throw withContext(err, p.context);
  }
  p.finish();
}

function runAsync(prepare: () => Prepared): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = prepare();
    p.submit((err) => {
      if (err !== null) {
        reject(withContext(err, p.context));
        return;
      }
      try {
        p.finish();
        resolve();
      } catch (e) {
        reject(e);
      }
    });
  });
}

function checkTensor(where: string, name: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor (got ${t === null ? 'null' : typeof t})`);
  return t;
}

const REDUCE_OPTIONS = new Map(['allReduce', 'reduceScatter', 'reduceScatterTensor']
  .map((where) => [where, defineOptions<ReduceOptions>(where, { op: true })]));

/** Rejects unknown keys before anything else, so the error is the same with or without a process group. */
function checkReduceOptions(where: string, options: ReduceOptions | undefined): void {
  rejectUnknownOptions(options, REDUCE_OPTIONS.get(where)!);
}

function checkOp(where: string, options: ReduceOptions | undefined, dtype: string): ReduceOpName {
  const op = options?.op ?? 'sum';
  if (!Object.values(ReduceOp).includes(op)) {
    throw new RangeError(`${where}: op must be one of ${Object.values(ReduceOp).map((o) => `'${o}'`).join(', ')} (got ${String(op)})`);
  }
  if (op === 'avg' && dtype === 'int32') throw new TypeError(`${where}: op 'avg' needs a float32 or float64 tensor (got int32)`);
  return op;
}

function describe(rank: number, name: string, t: Tensor): string {
  return `rank ${rank}: ${name} of shape ${fmtShape(t.shape)}, ${t.dtype}`;
}

/** Marks tensors written in place (autograd's version counter). */
function written(...ts: Tensor[]): void {
  for (const t of ts) t._storage.version++;
}

function checkList(where: string, name: string, list: unknown, like: Tensor, worldSize: number): Tensor[] {
  if (!Array.isArray(list) || list.length !== worldSize) {
    throw new RangeError(`${where}: ${name} must be an array of worldSize (${worldSize}) tensors`);
  }
  return list.map((t, i) => {
    const x = checkTensor(where, `${name}[${i}]`, t);
    if (x.dtype !== like.dtype || x.numel() !== like.numel()) {
      throw new RangeError(`${where}: ${name}[${i}] has shape ${fmtShape(x.shape)}, ${x.dtype}; expected ${fmtShape(like.shape)}, ${like.dtype} as the tensor`);
    }
    return x;
  });
}

function prepareAllReduce(tensor: Tensor, options?: ReduceOptions): Prepared {
  checkReduceOptions('allReduce', options);
  const g = defaultGroup('allReduce');
  const t = checkTensor('allReduce', 'tensor', tensor);
  const op = checkOp('allReduce', options, t.dtype);
  return {
    submit: (done) => g.addon.allReduce(g.handle, t.data, op, done),
    finish: () => written(t),
    context: describe(g.rank, 'tensor', t),
    wait: (w) => g.addon.wait(w),
  };
}

function prepareBroadcast(tensor: Tensor, src: number): Prepared {
  const g = defaultGroup('broadcast');
  const t = checkTensor('broadcast', 'tensor', tensor);
  if (!Number.isInteger(src) || src < 0 || src >= g.worldSize) {
    throw new RangeError(`broadcast: src must be a rank in [0, ${g.worldSize - 1}] (got ${String(src)})`);
  }
  return {
    submit: (done) => g.addon.broadcast(g.handle, t.data, src, done),
    finish: () => written(t),
    context: describe(g.rank, 'tensor', t),
    wait: (w) => g.addon.wait(w),
  };
}

function prepareAllGatherIntoTensor(output: Tensor, input: Tensor, where = 'allGatherIntoTensor'): Prepared {
  const g = defaultGroup(where);
  const inp = checkTensor(where, 'input', input);
  const out = checkTensor(where, 'output', output);
  if (out.dtype !== inp.dtype || out.numel() !== inp.numel() * g.worldSize) {
    throw new RangeError(`${where}: output has shape ${fmtShape(out.shape)}, ${out.dtype}; expected worldSize (${g.worldSize}) times the input's ${inp.numel()} elements, ${inp.dtype}`);
  }
  return {
    submit: (done) => g.addon.allGather(g.handle, inp.data, out.data, done),
    finish: () => written(out),
    context: describe(g.rank, 'input', inp),
    wait: (w) => g.addon.wait(w),
  };
}

function prepareAllGather(tensorList: Tensor[], tensor: Tensor): Prepared {
  const g = defaultGroup('allGather');
  const t = checkTensor('allGather', 'tensor', tensor);
  const outs = checkList('allGather', 'tensorList', tensorList, t, g.worldSize);
  const flat = new Tensor(new (t.data.constructor as new (n: number) => typeof t.data)(t.numel() * g.worldSize), [t.numel() * g.worldSize]);
  const p = prepareAllGatherIntoTensor(flat, t, 'allGather');
  return {
    ...p,
    finish: () => {
      const n = t.numel();
      outs.forEach((o, i) => o.data.set(flat.data.subarray(i * n, (i + 1) * n)));
      written(...outs);
    },
  };
}

function prepareReduceScatterTensor(output: Tensor, input: Tensor, options?: ReduceOptions, where = 'reduceScatterTensor'): Prepared {
  checkReduceOptions(where, options);
  const g = defaultGroup(where);
  const out = checkTensor(where, 'output', output);
  const inp = checkTensor(where, 'input', input);
  const op = checkOp(where, options, out.dtype);
  if (out.dtype !== inp.dtype || inp.numel() !== out.numel() * g.worldSize) {
    throw new RangeError(`${where}: input has shape ${fmtShape(inp.shape)}, ${inp.dtype}; expected worldSize (${g.worldSize}) times the output's ${out.numel()} elements, ${out.dtype}`);
  }
  return {
    submit: (done) => g.addon.reduceScatter(g.handle, inp.data, out.data, op, done),
    finish: () => written(out),
    context: describe(g.rank, 'output', out),
    wait: (w) => g.addon.wait(w),
  };
}

function prepareReduceScatter(output: Tensor, inputList: Tensor[], options?: ReduceOptions): Prepared {
  checkReduceOptions('reduceScatter', options);
  const g = defaultGroup('reduceScatter');
  const out = checkTensor('reduceScatter', 'output', output);
  const ins = checkList('reduceScatter', 'inputList', inputList, out, g.worldSize);
  const n = out.numel();
  const flat = new Tensor(new (out.data.constructor as new (k: number) => typeof out.data)(n * g.worldSize), [n * g.worldSize]);
  ins.forEach((x, i) => flat.data.set(x.data, i * n));
  return prepareReduceScatterTensor(out, flat, options, 'reduceScatter');
}

function prepareBarrier(): Prepared {
  const g = defaultGroup('barrier');
  return {
    submit: (done) => g.addon.barrier(g.handle, done),
    finish: () => undefined,
    context: `rank ${g.rank}`,
    wait: (w) => g.addon.wait(w),
  };
}

/**
 * Reduces `tensor` across all ranks in place; every rank gets the result.
 *
 * @param tensor the tensor to reduce in place
 * @param options `op`: 'sum' (default), 'avg', 'product', 'min' or 'max'
 * @returns a promise that settles when the result is in `tensor`
 */
export function allReduce(tensor: Tensor, options?: ReduceOptions): Promise<void> {
  return runAsync(() => prepareAllReduce(tensor, options));
}
/**
 * `allReduce`, blocking until done.
 *
 * @param tensor the tensor to reduce in place
 * @param options `op`: 'sum' (default), 'avg', 'product', 'min' or 'max'
 */
export function allReduceSync(tensor: Tensor, options?: ReduceOptions): void {
  runSync(prepareAllReduce(tensor, options));
}

/**
 * Copies rank `src`'s `tensor` into `tensor` on every other rank.
 *
 * @param tensor the tensor to send (on `src`) or overwrite (elsewhere)
 * @param src the rank that sends
 * @returns a promise that settles when `tensor` holds the data
 */
export function broadcast(tensor: Tensor, src: number): Promise<void> {
  return runAsync(() => prepareBroadcast(tensor, src));
}
/**
 * `broadcast`, blocking until done.
 *
 * @param tensor the tensor to send (on `src`) or overwrite (elsewhere)
 * @param src the rank that sends
 */
export function broadcastSync(tensor: Tensor, src: number): void {
  runSync(prepareBroadcast(tensor, src));
}

/**
 * Fills `tensorList[r]` with rank r's `tensor` (worldSize tensors of its shape and dtype).
 *
 * @param tensorList one tensor per rank, filled in
 * @param tensor this rank's contribution
 * @returns a promise that settles when the list is filled
 */
export function allGather(tensorList: Tensor[], tensor: Tensor): Promise<void> {
  return runAsync(() => prepareAllGather(tensorList, tensor));
}
/**
 * `allGather`, blocking until done.
 *
 * @param tensorList one tensor per rank, filled in
 * @param tensor this rank's contribution
 */
export function allGatherSync(tensorList: Tensor[], tensor: Tensor): void {
  runSync(prepareAllGather(tensorList, tensor));
}

/**
 * Concatenates every rank's `input` into `output` (worldSize × its elements), in rank order.
 *
 * @param output world size × `input`'s size, filled in rank order
 * @param input this rank's contribution
 * @returns a promise that settles when `output` is filled
 */
export function allGatherIntoTensor(output: Tensor, input: Tensor): Promise<void> {
  return runAsync(() => prepareAllGatherIntoTensor(output, input));
}
/**
 * `allGatherIntoTensor`, blocking until done.
 *
 * @param output world size × `input`'s size, filled in rank order
 * @param input this rank's contribution
 */
export function allGatherIntoTensorSync(output: Tensor, input: Tensor): void {
  runSync(prepareAllGatherIntoTensor(output, input));
}

/**
 * Reduces `inputList[r]` across ranks into rank r's `output`.
 *
 * @param output this rank's reduced part
 * @param inputList one tensor per rank
 * @param options `op`: 'sum' (default), 'avg', 'product', 'min' or 'max'
 * @returns a promise that settles when `output` is filled
 */
export function reduceScatter(output: Tensor, inputList: Tensor[], options?: ReduceOptions): Promise<void> {
  return runAsync(() => prepareReduceScatter(output, inputList, options));
}
/**
 * `reduceScatter`, blocking until done.
 *
 * @param output this rank's reduced part
 * @param inputList one tensor per rank
 * @param options `op`: 'sum' (default), 'avg', 'product', 'min' or 'max'
 */
export function reduceScatterSync(output: Tensor, inputList: Tensor[], options?: ReduceOptions): void {
  runSync(prepareReduceScatter(output, inputList, options));
}

/**
 * Reduces `input` (worldSize blocks of `output`'s size) across ranks; rank r gets block r in `output`.
 *
 * @param output this rank's reduced part
 * @param input world size × `output`'s size
 * @param options `op`: 'sum' (default), 'avg', 'product', 'min' or 'max'
 * @returns a promise that settles when `output` is filled
 */
export function reduceScatterTensor(output: Tensor, input: Tensor, options?: ReduceOptions): Promise<void> {
  return runAsync(() => prepareReduceScatterTensor(output, input, options));
}
/**
 * `reduceScatterTensor`, blocking until done.
 *
 * @param output this rank's reduced part
 * @param input world size × `output`'s size
 * @param options `op`: 'sum' (default), 'avg', 'product', 'min' or 'max'
 */
export function reduceScatterTensorSync(output: Tensor, input: Tensor, options?: ReduceOptions): void {
  runSync(prepareReduceScatterTensor(output, input, options));
}

/** Resolves once every rank has called barrier. */
export function barrier(): Promise<void> {
  return runAsync(prepareBarrier);
}
/** `barrier`, blocking until every rank has called it. */
export function barrierSync(): void {
  runSync(prepareBarrier());
}
