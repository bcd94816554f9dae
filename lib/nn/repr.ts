/** PyTorch's module repr text: Python's float/bool spelling and child indentation. */

/** A number as Python's repr of a float prints it: `0.5`, `1.0`, `1e-05`, `inf`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  // Python switches to exponent notation outside [1e-4, 1e16); JS's thresholds differ.
  if (ax >= 1e-4 && ax < 1e16) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** `True` / `False`. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Indents every line but the first by `spaces` (PyTorch's _addindent). */
export function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}
