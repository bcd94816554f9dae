/** im2col / col2im: the lowering of a 2-D convolution to GEMM, as plain loops. */
import type { Float } from '../kernels';

/** The grid columns [lo, hi) whose image column x·stride + off lies in [0, w). */
function validRange(off: number, stride: number, w: number, oW: number): [number, number] {
  if (stride === 0) return off >= 0 && off < w ? [0, oW] : [0, 0];
  const first = off >= 0 ? 0 : Math.ceil(-off / stride);
  const last = w - 1 - off < 0 ? -1 : Math.floor((w - 1 - off) / stride);
  const lo = Math.min(first, oW);
  return [lo, Math.max(lo, Math.min(last + 1, oW))];
}

/**
 * Calls row(p, at, lo, hi) for every row of cols [c·kH·kW, oH·oW]: p is the
 * row's offset, [lo, hi) the grid columns that read inside the image (empty
 * when the row's image row is padding), at + x·strideW the image index that
 * column x reads.
 */
function eachColsRow(
  c: number, h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number,
  row: (p: number, at: number, lo: number, hi: number) => void,
): void {
  let p = 0;
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const offX = j * dilW - padLeft;
        const [lo, hi] = validRange(offX, strideW, w, oW);
        for (let y = 0; y < oH; y++, p += oW) {
          const iy = y * strideH - padTop + i * dilH;
          const inside = iy >= 0 && iy < h;
          if (inside) row(p, (ci * h + iy) * w + offX, lo, hi);
          else row(p, 0, 0, 0);
        }
      }
    }
  }
}

/** x [c, h, w] → cols [c·kH·kW, oH·oW]; positions in the padding read 0. */
export function im2col(
  x: Float, c: number, h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number, cols: Float,
): void {
  eachColsRow(c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, (p, at, lo, hi) => {
    cols.fill(0, p, p + lo);
    for (let xo = lo; xo < hi; xo++) cols[p + xo] = x[at + xo * strideW];
    cols.fill(0, p + hi, p + oW);
  });
}

/** The adjoint of im2col: out [c, h, w] = Σ of the cols entries that read each position. */
export function col2im(
  cols: Float, c: number, h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number, out: Float,
): void {
  out.fill(0, 0, c * h * w);
  eachColsRow(c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, (p, at, lo, hi) => {
    for (let xo = lo; xo < hi; xo++) out[at + xo * strideW] += cols[p + xo];
  });
}
