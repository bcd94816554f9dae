/**
 * Checks of optimizer and scheduler options. Messages repeat PyTorch's
 * ("Invalid learning rate: -1") so a search for the error finds PyTorch's docs,
 * prefixed with the class name so the user knows which constructor complained.
 */

/** Throws a TypeError unless `value` is a number (NaN included: PyTorch's range checks reject it). */
export function checkNumber(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describeValue(value)}`);
  return value;
}

/** Throws PyTorch's `Invalid <label>: <value>` unless 0 ≤ value (NaN fails too). */
export function checkNonNegative(where: string, name: string, label: string, value: unknown): void {
  const v = checkNumber(where, name, value);
  if (!(v >= 0)) throw new RangeError(`${where}: Invalid ${label}: ${v}`);
}

/** Throws a TypeError unless `value` is a boolean. */
export function checkBoolean(where: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${describeValue(value)}`);
}

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInteger(where: string, name: string, value: unknown, min: number): number {
  const v = checkNumber(where, name, value);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
