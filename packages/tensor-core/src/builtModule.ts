/**
 * Where a kernel's module is, for backends that load kernels in worker
 * threads (`Kernel.module`). Workers always load built JavaScript; code
 * running from TypeScript sources (under vitest) names its kernel modules by
 * their place in `dist/`. It lives here, with `Kernel`, so that a package of
 * kernels need not import a backend to name them.
 */

/**
 * The URL of the built module for `moduleUrl` (pass `import.meta.url`):
 * itself for a built file, `…/dist/x.js` for `…/src/x.ts`.
 */
export function builtModuleUrl(moduleUrl: string): string {
  if (!moduleUrl.endsWith(".ts")) return moduleUrl;
  const i = moduleUrl.lastIndexOf("/src/");
  if (i < 0) throw new Error(`builtModuleUrl: cannot map ${moduleUrl} to its built file (expected …/src/….ts)`);
  return `${moduleUrl.slice(0, i)}/dist/${moduleUrl.slice(i + 5, -3)}.js`;
}
