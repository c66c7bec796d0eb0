/**
 * Where the tests find SST-2 (vitest.config.ts sets MINITORCH_SST2_DIR to
 * the shared copy, or "" when there is none), and what a missing copy
 * means: away from CI the SST-2 tests are skipped with the reason in their
 * names; under CI (env CI set) they run and fail, naming what is missing —
 * as the GPU tests do — so a CI run never passes without its data.
 */

export interface Sst2Copy {
  /** Skip the SST-2 tests: no copy, and not under CI. */
  skip: boolean;
  /** Appended to the tests' names: why they are skipped or will fail. */
  note: string;
  /** The directory; throws, failing the test, when there is no copy. */
  dir(): string;
}

/** True when `CI` is set to anything but "", "0" or "false" (the convention of CI services). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI ?? "";
  return ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

export function sst2Copy(env: NodeJS.ProcessEnv = process.env): Sst2Copy {
  const dir = env.MINITORCH_SST2_DIR ?? "";
  if (dir !== "") return { skip: false, note: "", dir: () => dir };
  const ci = underCi(env);
  return {
    skip: !ci,
    note: ci ? " [CI: no SST-2 copy, MINITORCH_SST2_DIR is empty: fails]" : " [skipped: no SST-2 copy, MINITORCH_SST2_DIR is empty]",
    dir: () => {
      throw new Error("no SST-2 copy: MINITORCH_SST2_DIR is empty (vitest.config.ts looks in ../shared/data/sst2); under CI a missing data set fails the run");
    },
  };
}
