/**
 * The convolution kernels convForward / convBackwardInput /
 * convBackwardWeight as plain loops: im2col / col2im (the lowering to GEMM)
 * and one GEMM per sample and group.
 */
import { gemm } from './gemm';
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
function im2col(
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
function col2im(
  cols: Float, c: number, h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number, out: Float,
): void {
  out.fill(0, 0, c * h * w);
  eachColsRow(c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, (p, at, lo, hi) => {
    for (let xo = lo; xo < hi; xo++) out[at + xo * strideW] += cols[p + xo];
  });
}

/** The sizes of one sample-group: image, grid and weight elements, the GEMM's inner size and the grid's cells. */
function batchSizes(c: number, h: number, w: number, oc: number, kH: number, kW: number, oH: number, oW: number) {
  const kk = c * kH * kW;
  const cells = oH * oW;
  return { image: c * h * w, grid: oc * cells, weight: oc * kk, kk, cells };
}

/** True when im2col would copy the image unchanged: the GEMMs read it in place. */
function pointwise(h: number, w: number, kH: number, kW: number, strideH: number, strideW: number,
  padTop: number, padLeft: number, oH: number, oW: number): boolean {
  return kH === 1 && kW === 1 && strideH === 1 && strideW === 1 && padTop === 0 && padLeft === 0 && oH === h && oW === w;
}

/** grid [n, groups, oc, oH, oW] = weight [groups, oc, c·kH·kW] · im2col(image [n, groups, c, h, w]) per sample and group. */
export function convForward(
  image: Float, weight: Float, n: number, groups: number, oc: number, c: number, h: number, w: number, kH: number, kW: number,
  strideH: number, strideW: number, padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number,
  grid: Float,
): void {
  const s = batchSizes(c, h, w, oc, kH, kW, oH, oW);
  const direct = pointwise(h, w, kH, kW, strideH, strideW, padTop, padLeft, oH, oW);
  const cols = direct ? null : new (image.constructor as Float32ArrayConstructor)(s.kk * s.cells) as Float;
  for (let i = 0; i < n * groups; i++) {
    const img = image.subarray(i * s.image);
    if (cols !== null) im2col(img, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, cols);
    gemm(false, false, oc, s.cells, s.kk, 1, weight.subarray((i % groups) * s.weight), cols ?? img, 0, grid.subarray(i * s.grid));
  }
}

/** image [n, groups, c, h, w] = col2im(weight [groups, oc, c·kH·kW]ᵀ · grid [n, groups, oc, oH, oW]) per sample and group. */
export function convBackwardInput(
  grid: Float, weight: Float, n: number, groups: number, oc: number, c: number, h: number, w: number, kH: number, kW: number,
  strideH: number, strideW: number, padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number,
  image: Float,
): void {
  const s = batchSizes(c, h, w, oc, kH, kW, oH, oW);
  if (s.image === 0) return;
  const direct = pointwise(h, w, kH, kW, strideH, strideW, padTop, padLeft, oH, oW);
  const cols = direct ? null : new (image.constructor as Float32ArrayConstructor)(s.kk * s.cells) as Float;
  for (let i = 0; i < n * groups; i++) {
    const img = image.subarray(i * s.image);
    gemm(true, false, s.kk, s.cells, oc, 1, weight.subarray((i % groups) * s.weight), grid.subarray(i * s.grid), 0, cols ?? img);
    if (cols !== null) col2im(cols, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, img);
  }
}

/** weight [groups, oc, c·kH·kW] = Σ over samples of grid [n, groups, oc, oH·oW] · im2col(image [n, groups, c, h, w])ᵀ (overwritten). */
export function convBackwardWeight(
  image: Float, grid: Float, n: number, groups: number, oc: number, c: number, h: number, w: number, kH: number, kW: number,
  strideH: number, strideW: number, padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number,
  weight: Float,
): void {
  const s = batchSizes(c, h, w, oc, kH, kW, oH, oW);
  if (n === 0) weight.fill(0, 0, groups * s.weight);
  const direct = pointwise(h, w, kH, kW, strideH, strideW, padTop, padLeft, oH, oW);
  const cols = direct ? null : new (image.constructor as Float32ArrayConstructor)(s.kk * s.cells) as Float;
  for (let i = 0; i < n * groups; i++) {
    const img = image.subarray(i * s.image);
    if (cols !== null) im2col(img, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, cols);
    gemm(false, true, oc, s.kk, s.cells, 1, grid.subarray(i * s.grid), cols ?? img, i < groups ? 0 : 1, weight.subarray((i % groups) * s.weight));
  }
}
