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

/** One convolution's geometry (the kernels' arguments c … oW). */
interface Geometry {
  c: number; h: number; w: number; kH: number; kW: number; strideH: number; strideW: number;
  padTop: number; padLeft: number; dilH: number; dilW: number; oH: number; oW: number;
}

/**
 * Calls body(i, cols) for every sample-group i (sample·groups + group) of n
 * samples, cols an im2col scratch of the type of `like`, or null when im2col
 * would copy the image unchanged (1×1 kernel, stride 1, no padding: the GEMMs
 * read it in place).
 */
function eachSlice(n: number, groups: number, g: Geometry, like: Float, body: (i: number, cols: Float | null) => void): void {
  const pointwise = g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 &&
    g.oH === g.h && g.oW === g.w;
  const cols = pointwise ? null : new (like.constructor as Float32ArrayConstructor)(g.c * g.kH * g.kW * g.oH * g.oW) as Float;
  for (let i = 0; i < n * groups; i++) body(i, cols);
}

/** The columns of image slice img: img itself when cols is null, else im2col into cols. */
function unfold(img: Float, g: Geometry, cols: Float | null): Float {
  if (cols === null) return img;
  im2col(img, g.c, g.h, g.w, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilH, g.dilW, g.oH, g.oW, cols);
  return cols;
}

/** The elements of one sample-group's image, grid and weight, the GEMMs' inner size and the grid's cells. */
function slice(oc: number, g: Geometry): { image: number; grid: number; weight: number; kk: number; cells: number } {
  const kk = g.c * g.kH * g.kW;
  const cells = g.oH * g.oW;
  return { image: g.c * g.h * g.w, grid: oc * cells, weight: oc * kk, kk, cells };
}

type Slice = ReturnType<typeof slice>;

/**
 * A kernel of the table's signature (a, b, n, groups, oc, c, h, w, kH, kW,
 * strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, out) running
 * body(a, b, n, groups, oc, geometry, slice sizes, out).
 */
function batchKernel(body: (a: Float, b: Float, n: number, groups: number, oc: number, g: Geometry, s: Slice, out: Float) => void) {
  return (
    a: Float, b: Float, n: number, groups: number, oc: number, c: number, h: number, w: number, kH: number, kW: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, dilH: number, dilW: number, oH: number, oW: number,
    out: Float,
  ): void => {
    const g = { c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW };
    body(a, b, n, groups, oc, g, slice(oc, g), out);
  };
}

/** grid [n, groups, oc, oH, oW] = weight [groups, oc, c·kH·kW] · im2col(image [n, groups, c, h, w]) per sample and group. */
export const convForward = batchKernel((image, weight, n, groups, oc, g, s, grid) => {
  if (n * groups * s.grid === 0) return;
  eachSlice(n, groups, g, image, (i, cols) => {
    gemm(false, false, oc, s.cells, s.kk, 1, weight.subarray((i % groups) * s.weight), unfold(image.subarray(i * s.image), g, cols), 0,
      grid.subarray(i * s.grid));
  });
});

/** image [n, groups, c, h, w] = col2im(weight [groups, oc, c·kH·kW]ᵀ · grid [n, groups, oc, oH, oW]) per sample and group. */
export const convBackwardInput = batchKernel((grid, weight, n, groups, oc, g, s, image) => {
  if (s.image === 0) return;
  // No grid channels: a sum of nothing (and no im2col scratch, which a huge kernel would make giant).
  if (oc === 0) {
    image.fill(0, 0, n * groups * s.image);
    return;
  }
  eachSlice(n, groups, g, image, (i, cols) => {
    const img = image.subarray(i * s.image);
    gemm(true, false, s.kk, s.cells, oc, 1, weight.subarray((i % groups) * s.weight), grid.subarray(i * s.grid), 0, cols ?? img);
    if (cols !== null) {
      col2im(cols, g.c, g.h, g.w, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilH, g.dilW, g.oH, g.oW, img);
    }
  });
});

/** weight [groups, oc, c·kH·kW] = Σ over samples of grid [n, groups, oc, oH·oW] · im2col(image [n, groups, c, h, w])ᵀ (overwritten). */
export const convBackwardWeight = batchKernel((image, grid, n, groups, oc, g, s, weight) => {
  if (groups * s.weight === 0) return;
  // No samples, or no windows (a sum of nothing however many samples there are).
  if (n === 0 || s.cells === 0) {
    weight.fill(0, 0, groups * s.weight);
    return;
  }
  eachSlice(n, groups, g, image, (i, cols) => {
    gemm(false, true, oc, s.kk, s.cells, 1, grid.subarray(i * s.grid), unfold(image.subarray(i * s.image), g, cols), i < groups ? 0 : 1,
      weight.subarray((i % groups) * s.weight));
  });
});

/** y [n, c, cells] in place: y += bias[ch] (bias null: none), then y = max(y, 0) when relu (relu's formula). */
export function convBiasRelu(y: Float, bias: Float | null, n: number, c: number, cells: number, relu: boolean): void {
  for (let r = 0; r < n * c; r++) {
    const at = r * cells;
    const b = bias === null ? 0 : bias[r % c];
    for (let j = at; j < at + cells; j++) {
      const v = bias === null ? y[j] : y[j] + b;
      y[j] = relu && v < 0 ? 0 : v;
    }
  }
}

/** Lanes of the bias gradient's float64 sums (the native kernels' order). */
const BIAS_LANES = 8;
const lanes = new Float64Array(BIAS_LANES);

/**
 * For every channel of [n, c, cells]: db[ch] = Σ value(at) over its entries
 * (db null: value only), cell j of every sample into lane j mod 8, the lanes
 * then summed in order.
 */
function biasSums(n: number, c: number, cells: number, value: (at: number) => number, db: Float | null): void {
  for (let ch = 0; ch < c; ch++) {
    lanes.fill(0);
    for (let i = 0; i < n; i++) {
      const at = (i * c + ch) * cells;
      for (let j = 0; j < cells; j++) lanes[j % BIAS_LANES] += value(at + j);
    }
    if (db === null) continue;
    let sum = 0;
    for (let l = 0; l < BIAS_LANES; l++) sum += lanes[l];
    db[ch] = sum;
  }
}

/** db[ch] = Σ dy[·, ch, ·] over [n, c, cells] (float64, in lanes). */
export function convBiasBackward(dy: Float, n: number, c: number, cells: number, db: Float): void {
  biasSums(n, c, cells, (at) => dy[at], db);
}

/** dz = dy · (y > 0) over [n, c, cells]; db[ch] = Σ dz[·, ch, ·] as convBiasBackward (when db is given). */
export function convReluBackward(y: Float, dy: Float, n: number, c: number, cells: number, dz: Float, db: Float | null): void {
  biasSums(n, c, cells, (at) => {
    const v = y[at] > 0 ? dy[at] : 0;
    dz[at] = v;
    return v;
  }, db);
}
