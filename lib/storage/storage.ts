/** The record a tensor and its reshaped views share: buffer, version counter, creation order. */
import type { Num } from '../backend/kernels';

/** The buffer and version counter shared by a tensor and its reshaped views. */
export interface Storage {
  data: Num;
  /** Bumped by every in-place write; saved tensors compare it at backward. */
  version: number;
  /** Creation order of the buffer (see storageSerial); views share their base's. */
  serial: number;
}

let lastSerial = 0;

/** @internal Serial of the newest storage: anything created later has a larger one. */
export function storageSerial(): number {
  return lastSerial;
}

/** @internal A new storage record for a freshly allocated buffer. */
export function newStorage(data: Num): Storage {
  return { data, version: 0, serial: ++lastSerial };
}
