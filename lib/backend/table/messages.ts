/**
 * Argument-error texts, word for word those of the native addon
 * (native/args.cc), so that switching backends changes no error. Every
 * message starts with the kernel name; wrong kinds are TypeErrors, bad sizes,
 * lengths, overlaps and indices RangeErrors.
 */

/** A RangeError "<kernel>: <msg>". */
export function rangeError(kernel: string, msg: string): RangeError {
  return new RangeError(`${kernel}: ${msg}`);
}

/** A TypeError "<kernel>: <msg>". */
export function typeError(kernel: string, msg: string): TypeError {
  return new TypeError(`${kernel}: ${msg}`);
}

const article = (name: string): string => (/^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`);

/** How the addon names a value it did not expect ("a number", "an Int32Array", "null"). */
export function describe(v: unknown): string {
  if (ArrayBuffer.isView(v)) return v instanceof DataView ? 'a DataView' : article(v.constructor.name);
  if (v === null) return 'null';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'boolean': return 'a boolean';
    case 'number': return 'a number';
    case 'string': return 'a string';
    case 'symbol': return 'a symbol';
    case 'bigint': return 'a bigint';
    case 'function': return 'a function';
    default:
      if (Array.isArray(v)) return 'an Array';
      if (v instanceof ArrayBuffer) return 'an ArrayBuffer';
      return 'an object';
  }
}

/** The accepted types of a dtype class, with article, as the addon lists them. */
export const ALLOWED_TEXT = {
  float: 'a Float32Array or Float64Array',
  num: 'a Float32Array, Float64Array, or Int32Array',
  any: 'a Float32Array, Float64Array, or Int32Array',
  int32: 'an Int32Array',
} as const;

/** printf's %.17g, which the addon uses for numbers in messages. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expText] = v.toExponential(16).split('e');
  const exp = Number(expText);
  const digits = mant.replace('-', '').replace('.', '').replace(/0+$/, '');
  const sign = v < 0 ? '-' : '';
  if (exp < -4 || exp >= 17) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return frac.length > 0 ? `${sign}${int}.${frac}` : `${sign}${int}`;
}

/** C++'s std::to_string(double) (printf %f), which some addon messages use. */
export function fixedText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toFixed(6);
}

/** "out has 3 elements but m*n = 4 are needed". */
export function shortText(arg: string, length: number, what: string, need: number | bigint): string {
  return `${arg} has ${length} elements but ${what} = ${need} are needed`;
}

/** "output overlaps an input (out shares memory with x)". */
export function overlapText(out: string, input: string): string {
  return `output overlaps an input (${out} shares memory with ${input})`;
}

/** Native's checked 64-bit size arithmetic: products beyond int64 are an error. */
export const OVERFLOW_TEXT = 'sizes overflow 64-bit arithmetic';
/** Largest int64 as a double (2^63): anything at or beyond it overflowed. */
export const INT64_LIMIT = 9223372036854775807;
