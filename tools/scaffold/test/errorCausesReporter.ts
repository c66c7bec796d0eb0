/**
 * A vitest reporter for the student-copy test: writes, for each failed test,
 * the messages of its errors and of their causes to the file named by
 * SCAFFOLD_ERRORS_FILE. vitest's JSON reporter keeps only the outer error,
 * and fast-check reports a failing property as "Property failed after 1
 * tests" with the stub's "Need to implement" error as its cause.
 */
import { writeFileSync } from "node:fs";
import type { Reporter, TestCase, TestModule } from "vitest/node";

/** A failed test: its file, its full name as the JSON reporter spells it, and every message. */
export interface FailedTestErrors {
  readonly file: string;
  readonly fullName: string;
  readonly messages: readonly string[];
}

function messagesOf(error: unknown, depth = 0): string[] {
  if (typeof error !== "object" || error === null || depth > 10) return [];
  const { message, cause } = error as { message?: unknown; cause?: unknown };
  return [...(typeof message === "string" ? [message] : []), ...messagesOf(cause, depth + 1)];
}

/** Suite names and the test name joined by spaces, like the JSON reporter's fullName. */
function fullNameOf(test: TestCase): string {
  const names = [test.name];
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) names.unshift(parent.name);
  return names.join(" ");
}

export default class ErrorCausesReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const path = process.env.SCAFFOLD_ERRORS_FILE;
    if (path === undefined || path === "") return;
    const failed: FailedTestErrors[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests("failed")) {
        failed.push({
          file: module.moduleId,
          fullName: fullNameOf(test),
          messages: (test.result().errors ?? []).flatMap((e) => messagesOf(e)),
        });
      }
    }
    writeFileSync(path, JSON.stringify(failed, null, 1));
  }
}
