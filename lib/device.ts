/**
 * Devices, for code ported from PyTorch: torchlet computes on the CPU only, so
 * `torch.device('cpu')`, `.to('cpu')` and `torch.cuda.isAvailable()` work as
 * there, and asking for any other device is an error that says so.
 */
import { checkDType, type DType } from './dtype';
import { readable } from './options';

const DEVICE = /^(cpu|cuda|mps|xpu|meta|hip|xla)(:(\d+))?$/;

/** A device (PyTorch's torch.device); torchlet has one, `cpu`. */
export class Device {
  /** The device type: always 'cpu'. */
  readonly type = 'cpu';
  /** The index, when one was given (`cpu:0`). */
  readonly index: number | null;

  /** @internal Made by `device()`. */
  constructor(index: number | null) {
    this.index = index;
  }

  /** `cpu` or `cpu:N`, as PyTorch prints it. */
  toString(): string {
    return this.index === null ? 'cpu' : `cpu:${this.index}`;
  }
}

/** The CPU, the one device (what `Tensor.device` returns). */
export const CPU = new Device(null);

/** What takes a device: a Device or its name ('cpu'). */
export type DeviceLike = Device | string;

/** True if `v` names a device (any PyTorch device type, supported or not). */
export function isDeviceLike(v: unknown): v is DeviceLike {
  return v instanceof Device || (typeof v === 'string' && DEVICE.test(v));
}

/** Throws unless `v` is the CPU; the message says torchlet has no other device. */
export function checkDevice(v: unknown, where: string): void {
  if (v instanceof Device) return;
  const m = typeof v === 'string' ? DEVICE.exec(v) : null;
  if (m === null) throw new TypeError(`${where}: expected a device such as 'cpu', got ${readable(v)}`);
  if (m[1] !== 'cpu') {
    throw new Error(`${where}: torchlet runs on the CPU only, there is no '${v}' device; use 'cpu' or drop the device argument ` +
      `(torch.cuda.isAvailable() is false, so "cuda if available else cpu" picks 'cpu')`);
  }
}

/**
 * PyTorch's `torch.device('cpu')`; any other device type is an error.
 *
 * @param type 'cpu' (the only device)
 * @param index must be 0 or absent
 * @returns the CPU device
 */
export function device(type: string, index?: number): Device {
  const spec = index === undefined ? type : `${type}:${index}`;
  checkDevice(spec, 'device');
  const m = DEVICE.exec(spec) as RegExpExecArray;
  return new Device(m[3] === undefined ? null : Number(m[3]));
}

/** PyTorch's `torch.cuda`, as seen from a machine without a GPU. */
export const cuda = {
  /** Always false: torchlet runs on the CPU. */
  isAvailable(): boolean {
    return false;
  },
  /** Always 0. */
  deviceCount(): number {
    return 0;
  },
};

/**
 * The dtype a `to(...)` call asks for, or null for none: PyTorch's forms
 * `to(dtype)`, `to(device)`, `to(device, dtype)`; any device but the CPU throws.
 */
export function resolveTo(target: unknown, dtype: unknown, where: string): DType | null {
  if (isDeviceLike(target)) {
    checkDevice(target, where);
    return dtype === undefined ? null : checkDType(dtype, where);
  }
  if (dtype !== undefined) throw new TypeError(`${where}: expected (dtype) or (device, dtype), got (${readable(target)}, ${readable(dtype)})`);
  return checkDType(target, where);
}
