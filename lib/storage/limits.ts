/**
 * Resource limits: the largest tensor torchlet allocates. Every allocation
 * goes through `allocate()` (storage/allocate.ts) and every shape through
 * `checkShape()` / `numelChecked()` (lib/shape.ts); both compare against the
 * cap kept here, before any memory is reserved.
 *
 * The cap starts at `TORCHLET_MAX_ELEMENTS` when that environment variable is
 * set, else at 2^31 − 1 — the hard limit: the longest TypedArray V8 allocates,
 * and the largest size BLAS (32-bit integer sizes) and the kernels (int32
 * shapes and strides) accept. The cap can be lowered, never raised above it.
 */

/** The hard limit: elements of one tensor, sizes of one dim, and every size handed to BLAS. */
export const HARD_MAX_ELEMENTS = 2 ** 31 - 1;

/** Checks a cap value; `where` names the setter or the environment variable. */
function checkCap(n: unknown, where: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`${where}: expected an integer number of elements, got ${typeof n === 'number' ? String(n) : typeof n}`);
  }
  if (n < 1 || n > HARD_MAX_ELEMENTS) {
    throw new RangeError(`${where}: the element cap must be between 1 and ${HARD_MAX_ELEMENTS} (2^31 - 1), got ${n}`);
  }
  return n;
}

/** The cap from TORCHLET_MAX_ELEMENTS (an integer such as 1000000 or 1e6), or the hard limit. */
function fromEnvironment(): number {
  const raw = process.env.TORCHLET_MAX_ELEMENTS;
  if (raw === undefined || raw.trim() === '') return HARD_MAX_ELEMENTS;
  return checkCap(Number(raw.trim()), `TORCHLET_MAX_ELEMENTS=${JSON.stringify(raw)}`);
}

let maxElements = fromEnvironment();

/** The largest number of elements a new tensor may have (default 2^31 − 1). */
export function getMaxElements(): number {
  return maxElements;
}

/**
 * Sets the largest number of elements a new tensor may have: creating a bigger
 * one (by a creator such as `zeros`, or as the result of an op such as a
 * broadcasting `add`, `matmul`, `expand` or `cat`) throws a RangeError naming
 * the op and the shape before anything is allocated. `n` is an integer in
 * [1, 2^31 − 1]; the cap can only be lowered below the TypedArray / BLAS limit.
 * Views that allocate nothing (`reshape`, `view`, `detach`) are not capped.
 * Returns the previous cap, so a scope can restore it. The environment
 * variable `TORCHLET_MAX_ELEMENTS` sets the initial value.
 *
 * @param n the largest element count a new tensor may have
 */
export function setMaxElements(n: number): number {
  const next = checkCap(n, 'setMaxElements');
  const previous = maxElements;
  maxElements = next;
  return previous;
}

/** The cap for error messages: its value and where it comes from. */
export function describeCap(cap: number): string {
  return cap === HARD_MAX_ELEMENTS
    ? `${cap} (2^31 - 1, the largest TypedArray and BLAS size)`
    : `${cap} (the cap set by setMaxElements or TORCHLET_MAX_ELEMENTS)`;
}

/**
 * Throws a RangeError unless every size handed to a BLAS call (m, n, k, batch
 * counts and their products used as strides) fits BLAS's 32-bit integers.
 * The native binding checks too; this names the op first.
 */
export function checkBlasSizes(op: string, sizes: Readonly<Record<string, number>>): void {
  for (const key in sizes) {
    const v = sizes[key];
    if (!(v >= 0 && v <= HARD_MAX_ELEMENTS)) {
      const all = Object.entries(sizes).map(([k, x]) => `${k}=${x}`).join(', ');
      throw new RangeError(`${op}: BLAS size ${key}=${v} is outside [0, ${HARD_MAX_ELEMENTS}] (${all})`);
    }
  }
}
