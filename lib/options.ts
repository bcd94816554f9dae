/**
 * Options objects carry what PyTorch passes by keyword. JavaScript ignores a
 * key nobody reads, so a PyTorch spelling (`batch_size`) would silently do
 * nothing: every public function that takes options declares its keys here
 * once and rejects any other key, naming the closest valid one.
 */

/** The keys one public function or constructor accepts in its options object. */
export interface OptionSpec {
  /** What the user called, as errors name it (e.g. 'DataLoader', 'zeros'). */
  readonly where: string;
  /** The accepted keys. */
  readonly keys: ReadonlySet<string>;
}

/** Every spec declared so far, by `where` (filled as lib/ loads; what the options test walks). */
const declared = new Map<string, OptionSpec>();

/**
 * Declares the options `where` accepts. `keys` lists every key of the options
 * type `O` (the compiler checks that none is missing or extra).
 */
export function defineOptions<O extends object>(where: string, keys: { readonly [K in keyof Required<O>]: true }): OptionSpec {
  if (declared.has(where)) throw new Error(`defineOptions: options of '${where}' are declared twice`);
  const spec: OptionSpec = { where, keys: new Set(Object.keys(keys)) };
  declared.set(where, spec);
  return spec;
}

/** The declared specs (for the test that walks every options-taking API). @internal */
export function declaredOptions(): ReadonlyMap<string, OptionSpec> {
  return declared;
}

/**
 * Throws a TypeError if `options` is not an object or holds a key `spec` does
 * not accept; undefined passes (the defaults).
 */
export function rejectUnknownOptions(options: unknown, spec: OptionSpec): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${spec.where}: options must be an object such as { ${[...spec.keys][0] ?? ''}: ... }, got ${readable(options)}`);
  }
  for (const key in options) if (!spec.keys.has(key)) throw unknownOption(spec, key);
}

function unknownOption(spec: OptionSpec, key: string): TypeError {
  const valid = [...spec.keys];
  const best = closest(key, valid);
  const hint = best === null ? '' : `; did you mean '${best}'?`;
  const list = valid.length === 0 ? 'it takes no options' : `valid options: ${valid.join(', ')}`;
  return new TypeError(`${spec.where}: unknown option '${key}'${hint} (${list})`);
}

/** The valid key nearest to `key`: equal ignoring case and underscores (snake_case), else within a small edit distance. */
function closest(key: string, valid: readonly string[]): string | null {
  const fold = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const exact = valid.find((v) => fold(v) === fold(key));
  if (exact !== undefined) return exact;
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const v of valid) {
    const d = editDistance(fold(key), fold(v));
    if (d < bestDistance) [best, bestDistance] = [v, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** A value as an error message shows it: `{ dim: 1 }`, `'1'`, `[2, 3]`, `null`, `Tensor`. */
export function readable(v: unknown, depth = 0): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'function') return `a function${v.name === '' ? '' : ` ${v.name}`}`;
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return depth > 1 ? '[...]' : `[${v.slice(0, 6).map((x) => readable(x, depth + 1)).join(', ')}${v.length > 6 ? ', ...' : ''}]`;
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== Object.prototype && proto !== null) return `a ${(v as object).constructor?.name ?? 'object'}`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (depth > 1) return '{ ... }';
  return `{ ${entries.slice(0, 6).map(([k, x]) => `${k}: ${readable(x, depth + 1)}`).join(', ')}${entries.length > 6 ? ', ...' : ''} }`;
}
