/** PyTorch-style text for tensors: `tensor([[1.0000, 2.0000]], dtype=float64)`. */
import type { Tensor } from './tensor';

const EDGE = 3;
const SUMMARIZE = 1000;

function fmtNumber(v: number, isInt: boolean, allIntegral: boolean): string {
  if (isInt) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (allIntegral) return `${v}.`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e8)) return v.toExponential(4);
  return v.toFixed(4);
}

/** Formats a tensor for toString() and console.log. Large tensors are summarised with '...'. */
export function formatTensor(t: Tensor): string {
  const data = t.data;
  const isInt = t.dtype === 'int32';
  let allIntegral = true;
  for (let i = 0; i < data.length && allIntegral; i++) allIntegral = Number.isInteger(data[i]);
  const summarize = data.length > SUMMARIZE;
  const cells: string[] = [];
  const shape = t.shape;
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i] = acc; acc *= shape[i]; }
  const pick = (n: number): number[] => {
    if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
    return [0, 1, 2, -1, n - 3, n - 2, n - 1];
  };
  for (const v of data.length <= SUMMARIZE ? data : []) cells.push(fmtNumber(v, isInt, allIntegral));
  const width = summarize ? 0 : Math.max(0, ...cells.map((c) => c.length));
  const render = (dim: number, offset: number, indent: string): string => {
    if (shape.length === 0) return fmtNumber(data[0], isInt, allIntegral);
    const items = pick(shape[dim]).map((i) => {
      if (i < 0) return '...';
      const off = offset + i * strides[dim];
      if (dim === shape.length - 1) {
        const s = fmtNumber(data[off], isInt, allIntegral);
        return s.padStart(width);
      }
      return render(dim + 1, off, `${indent} `);
    });
    const sep = dim === shape.length - 1 ? ', ' : `,${'\n'.repeat(shape.length - 1 - dim)}${indent} `;
    return `[${items.join(sep)}]`;
  };
  const extras: string[] = [];
  if (t.numel() === 0) extras.push(`size=[${shape.join(', ')}]`);
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.gradFn !== null) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  const body = render(0, 0, '       ');
  return `tensor(${body}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}
