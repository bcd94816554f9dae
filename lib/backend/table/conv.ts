/** Declarations shared by the convolution kernels. */
import { size } from './spec';

/**
 * The sizes of a batch of convolutions: samples, groups, grid channels per
 * group, then the geometry of one sample-group's image and its grid of kernel
 * windows: image channels, height and width, kernel size, stride, top/left
 * padding, dilation and the grid's height and width. A stride or dilation of 0
 * is well defined (every window at the same place), so the kernels need no
 * check beyond the lengths.
 */
export const convArgs = [
  size('n', [0, 3]), size('groups', [1, 2]), size('oc', [0, 3]),
  size('c', [0, 3]), size('h', [0, 5]), size('w', [0, 5]), size('kH', [1, 3]), size('kW', [1, 3]),
  size('strideH', [1, 3]), size('strideW', [1, 3]), size('padTop', [0, 2]), size('padLeft', [0, 2]),
  size('dilH', [1, 2]), size('dilW', [1, 2]), size('oH', [0, 4]), size('oW', [0, 4]),
] as const;

/** The lengths of the kernels' image [n, groups, c, h, w], grid [n, groups, oc, oH, oW] and weight [groups, oc, c, kH, kW]. */
export const CONV_IMAGE = 'n*groups*c*h*w';
export const CONV_GRID = 'n*groups*oc*oH*oW';
export const CONV_WEIGHT = 'groups*oc*c*kH*kW';
