import type { Num } from './backend/kernels';

/** Element types of a tensor. `int32` holds indices and class labels. */
export type DType = 'float32' | 'float64' | 'int32';

/** The TypedArray that stores each dtype. */
export interface StorageOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

const RANK: Record<DType, number> = { int32: 0, float32: 1, float64: 2 };

/** Checks a dtype name coming from user code and returns it. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'int32') return dtype;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(dtype)}; expected 'float32', 'float64' or 'int32'`);
}

/** The dtype a TypedArray stores, or null for any other value. */
export function dtypeOfArray(data: unknown): DType | null {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return null;
}

/** PyTorch's promotion for our three types: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** True for float32 and float64. */
export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}
