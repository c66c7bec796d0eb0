#!/usr/bin/env node
/**
 * scaffold: writes the student copy of this repository for one module.
 *
 *   pnpm scaffold --module 2 --out ../my-minitorch
 *   pnpm scaffold --list
 */
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { formatProblems, formatSummary, formatTaskList, scanSource, writeStudentCopy } from "./scaffold.js";
import { MODULES } from "./tasks.js";

interface Options {
  module?: number;
  out?: string;
  force?: boolean;
  list?: boolean;
  source: string;
}

function moduleNumber(value: string): number {
  const n = Number(value);
  if (!MODULES.includes(n) || value.trim() === "") {
    throw new InvalidArgumentError(`the module must be one of ${MODULES.join(", ")}, got "${value}".`);
  }
  return n;
}

/** The repository this tool belongs to (src/ and dist/ sit three levels below it). */
const ownRepository = fileURLToPath(new URL("../../..", import.meta.url));

const program = new Command("scaffold")
  .description(
    "Write a student copy of the repository: the solution blocks of --module and of every later module become " +
      '"Need to implement" stubs; earlier modules keep their solutions.',
  )
  .option("--module <m>", `the module the student works on (${MODULES.join(", ")})`, moduleNumber)
  .option("--out <dir>", "where to write the copy (outside the source tree, empty or missing)")
  .option("--force", "write into a non-empty --out directory")
  .option("--list", "print each task with the files holding its solution blocks, and stop")
  .option("--source <dir>", "the repository to copy", ownRepository)
  .showHelpAfterError("(scaffold --help lists the options)")
  .action(async (options: Options) => {
    const scan = scanSource(options.source);
    if (options.list === true) {
      process.stdout.write(`${formatTaskList(scan)}\n`);
      if (scan.problems.length > 0) process.exitCode = 1;
      return;
    }
    const { module, out } = options;
    if (module === undefined || out === undefined) {
      return program.error("scaffold: --module and --out are required (or --list)");
    }
    if (scan.problems.length > 0) {
      process.stderr.write(`scaffold: solution markers do not pair up; nothing was written:\n${formatProblems(scan.problems)}\n`);
      process.exitCode = 1;
      return;
    }
    const summary = await writeStudentCopy(scan, out, module, options.force === true);
    process.stdout.write(`${formatSummary(summary)}\n`);
  });

try {
  await program.parseAsync();
} catch (e) {
  process.stderr.write(`scaffold: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
