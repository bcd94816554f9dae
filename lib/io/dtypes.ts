/**
 * The safetensors dtype names, their sizes, and how each maps to a torchlet
 * dtype. Reading: F32, F64, I32 exactly; the other integer types (I64, U64,
 * U32, I16, U16, I8, U8, BOOL) become int32 (64/32-bit unsigned ones only
 * when every value fits, BOOL only for bytes 0/1); the float types torchlet
 * lacks (F16, BF16, F8_*, F4, F6_*, C64) are valid format but not supported.
 */
import type { DType } from '../dtype';

/** Every dtype the safetensors format defines, with its size in bits. */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<string, number>> = Object.freeze({
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64,
});

/** The safetensors dtypes torchlet writes and reads without conversion. */
export type NativeSafetensorsDType = 'F32' | 'F64' | 'I32';

/** What torchlet writes: its own dtypes, and I64 for int32 tensors marked as int64 (lib/io/int64.ts). */
export type WrittenDType = NativeSafetensorsDType | 'I64';

/** Integer safetensors dtypes read into int32 tensors. */
export type IntegerSafetensorsDType = 'I64' | 'U64' | 'U32' | 'I16' | 'U16' | 'I8' | 'U8' | 'BOOL';

const TO_TORCHLET: Record<NativeSafetensorsDType, DType> = { F32: 'float32', F64: 'float64', I32: 'int32' };
const FROM_TORCHLET: Record<DType, NativeSafetensorsDType> = { float32: 'F32', float64: 'F64', int32: 'I32' };
const INTEGER: ReadonlySet<string> = new Set<IntegerSafetensorsDType>(['I64', 'U64', 'U32', 'I16', 'U16', 'I8', 'U8', 'BOOL']);

/** The text of the error for a defined dtype torchlet cannot read. */
export const SUPPORTED_TEXT = 'supported: F32, F64, I32; I64, U64, U32, I16, U16, I8, U8 and BOOL are read as int32';

/** True for a dtype name the format defines. */
export function isKnownDType(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPE_BITS, name);
}

/** The safetensors name of a torchlet dtype. */
export function safetensorsDType(dtype: DType): NativeSafetensorsDType {
  return FROM_TORCHLET[dtype];
}

/** The torchlet dtype a safetensors dtype is read as, or null if torchlet cannot hold it. */
export function torchletDType(name: string): DType | null {
  if (name === 'F32' || name === 'F64' || name === 'I32') return TO_TORCHLET[name];
  return INTEGER.has(name) ? 'int32' : null;
}

/** Rank used to order tensors when writing: safetensors' Dtype enum order, written descending (I64, F64, F32, I32). */
export function writeRank(name: WrittenDType): number {
  return name === 'I64' ? 3 : name === 'F64' ? 2 : name === 'F32' ? 1 : 0;
}
