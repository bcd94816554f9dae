/** Records keyed by names from files and messages. */

/**
 * Sets `out[name]` as an own, enumerable property, even for names like
 * "__proto__" (plain assignment would set the prototype instead): tensor and
 * metadata names come from files and other threads.
 */
export function setOwn<T>(out: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}
