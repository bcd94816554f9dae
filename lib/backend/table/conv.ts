/** Declarations shared by the convolution kernels (im2col, col2im). */
import { size } from './spec';

/**
 * The geometry of one image and its grid of kernel windows: channels, image
 * height and width, kernel size, stride, top/left padding, dilation and the
 * grid's height and width. A stride or dilation of 0 is well defined (every
 * window at the same place), so the kernels need no check beyond the lengths.
 */
export const convArgs = [
  size('c', [0, 3]), size('h', [0, 5]), size('w', [0, 5]), size('kH', [1, 3]), size('kW', [1, 3]),
  size('strideH', [1, 3]), size('strideW', [1, 3]), size('padTop', [0, 2]), size('padLeft', [0, 2]),
  size('dilH', [1, 2]), size('dilW', [1, 2]), size('oH', [0, 4]), size('oW', [0, 4]),
] as const;
