/**
 * GEMM for the js backend: c = alpha · op(a) · op(b) + beta · c, row-major,
 * packed (leading dimensions are the matrix widths). Products accumulate in
 * float64, so float32 results are at least as accurate as sgemm's.
 */
import type { Float } from '../kernels';

/** Float64 accumulator row for the i-k-j loops; grown on demand, reused across calls. */
let acc = new Float64Array(256);

export function accRow(n: number): Float64Array {
  if (acc.length < n) acc = new Float64Array(Math.max(n, acc.length * 2));
  return acc;
}

/** Writes c[ci] = alpha·s + beta·c[ci]; beta = 0 never reads c (BLAS semantics). */
function store(c: Float, ci: number, alpha: number, s: number, beta: number): void {
  c[ci] = beta === 0 ? alpha * s : alpha * s + beta * c[ci];
}

/** c = beta · c over m×n (alpha = 0 or k = 0: a and b are not read). */
function scaleC(m: number, n: number, beta: number, c: Float, cOff: number): void {
  const end = cOff + m * n;
  if (beta === 0) c.fill(0, cOff, end);
  else if (beta !== 1) for (let i = cOff; i < end; i++) c[i] *= beta;
}

/**
 * op(a) not transposed: i-k-j so the inner loop walks a row of b and the
 * accumulator contiguously. transA only changes how a[i, p] is addressed.
 */
function gemmRowsB(
  transA: boolean, m: number, n: number, k: number, alpha: number,
  a: Float, aOff: number, b: Float, bOff: number, beta: number, c: Float, cOff: number,
): void {
  const s = accRow(n);
  // a[i, p] sits at i·k + p, or at p·m + i when a is stored k×m.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  for (let i = 0; i < m; i++) {
    s.fill(0, 0, n);
    const ai = aOff + i * aRow;
    for (let p = 0; p < k; p++) {
      const aip = a[ai + p * aCol];
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) s[j] += aip * b[bp + j];
    }
    const ci = cOff + i * n;
    for (let j = 0; j < n; j++) store(c, ci + j, alpha, s[j], beta);
  }
}

/** b transposed (stored n×k): each c[i, j] is a dot of row j of b with op(a)'s row i. */
function gemmDotB(
  transA: boolean, m: number, n: number, k: number, alpha: number,
  a: Float, aOff: number, b: Float, bOff: number, beta: number, c: Float, cOff: number,
): void {
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRow;
    const ci = cOff + i * n;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * k;
      let s = 0;
      if (aCol === 1) for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      else for (let p = 0; p < k; p++) s += a[ai + p * aCol] * b[bj + p];
      store(c, ci + j, alpha, s, beta);
    }
  }
}

/** One unchecked GEMM on matrices starting at the given offsets. */
function gemmAt(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float, aOff: number, b: Float, bOff: number, beta: number, c: Float, cOff: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    scaleC(m, n, beta, c, cOff);
    return;
  }
  if (transB) gemmDotB(transA, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
  else gemmRowsB(transA, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
}

/**
 * c = alpha · op(a) · op(b) + beta · c (see Kernels.gemm). beta = 0 means c is
 * not read; alpha = 0 means a and b are not read, as BLAS specifies.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float, b: Float, beta: number, c: Float,
): void {
  gemmAt(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
}

/**
 * `batch` independent GEMMs; matrix i of a/b/c starts at i·strideA/B/C. A stride
 * of 0 on a or b reuses one matrix; strideC keeps the outputs apart.
 */
export function gemmBatched(
  batch: number, transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float, strideA: number, b: Float, strideB: number,
  beta: number, c: Float, strideC: number,
): void {
  for (let i = 0; i < batch; i++) {
    gemmAt(transA, transB, m, n, k, alpha, a, i * strideA, b, i * strideB, beta, c, i * strideC);
  }
}
