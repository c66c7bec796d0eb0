/** The part of eslint-scope (which ships no types) that selfContained.ts uses. */
declare module "eslint-scope" {
  interface Reference {
    identifier: { name: string };
  }
  interface Scope {
    /** References no scope of the program resolves: the program's free variables. */
    through: Reference[];
  }
  interface ScopeManager {
    globalScope: Scope;
  }
  export function analyze(
    ast: object,
    options?: { ecmaVersion?: number; sourceType?: "script" | "module"; impliedStrict?: boolean },
  ): ScopeManager;
}
