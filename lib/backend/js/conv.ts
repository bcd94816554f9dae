/** im2col / col2im: the lowering of a 2-D convolution to GEMM, as plain loops. */
import type { Float } from '../kernels';

/** x [c, h, w] → cols [c·kH·kW, oH·oW]; positions in the padding read 0. */
export function im2col(
  x: Float, c: number, h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number, cols: Float,
): void {
  let p = 0;
  for (let ci = 0; ci < c; ci++) {
    const plane = ci * h * w;
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        for (let y = 0; y < oH; y++) {
          const iy = y * strideH - padTop + i * dilH;
          if (iy < 0 || iy >= h) {
            cols.fill(0, p, p + oW);
            p += oW;
            continue;
          }
          const row = plane + iy * w;
          for (let xo = 0; xo < oW; xo++) {
            const ix = xo * strideW - padLeft + j * dilW;
            cols[p++] = ix >= 0 && ix < w ? x[row + ix] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: out [c, h, w] = Σ of the cols entries that read each position. */
export function col2im(
  cols: Float, c: number, h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number, out: Float,
): void {
  out.fill(0, 0, c * h * w);
  let p = 0;
  for (let ci = 0; ci < c; ci++) {
    const plane = ci * h * w;
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        for (let y = 0; y < oH; y++) {
          const iy = y * strideH - padTop + i * dilH;
          if (iy < 0 || iy >= h) {
            p += oW;
            continue;
          }
          const row = plane + iy * w;
          for (let xo = 0; xo < oW; xo++, p++) {
            const ix = xo * strideW - padLeft + j * dilW;
            if (ix >= 0 && ix < w) out[row + ix] += cols[p];
          }
        }
      }
    }
  }
}
