/** The command line of `playground` and of `visualize`, which serve the same page. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { UsageError, integerIn, runMain, standardCli } from "@minitorch/app-common";
import { envPath } from "@minitorch/autodiff";
import { startServer } from "./server.js";

interface Options {
  host: string;
  port: number;
  runs?: string;
  sst2Dir?: string;
}

export interface CliShape {
  name: "playground" | "visualize";
  /** Default port: the playground's 8060, the visualiser's 8050 as before. */
  port: number;
  /** The visualiser always required --runs; the playground works without it. */
  runsRequired: boolean;
}

export function servePlayground(shape: CliShape): void {
  const runsHelp = "a directory of runs (the apps' --log, --metrics and --save files) for the Runs tab to follow";
  const program = new Command()
    .name(shape.name)
    .description("Serve the minitorch-ts playground: the course's app with the library running in the browser tab, and your runs from the CLI apps.");
  if (shape.runsRequired) program.requiredOption("--runs <dir>", runsHelp);
  else program.option("--runs <dir>", runsHelp);
  program
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("--port <n>", "port (0 = any free port)", integerIn("--port", 0, 65535, "an integer in [0, 65535]"), shape.port)
    .option("--sst2-dir <dir>", "directory with SST-2's dev.tsv, for the sentiment view's example sentences (default: $MINITORCH_SST2_DIR)")
    .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });

  standardCli(program, import.meta.url);

  runMain(shape.name, async () => {
    program.parse();
    const o = program.opts<Options>();
    const site = path.join(path.dirname(fileURLToPath(import.meta.url)), "site");
    if (!fs.existsSync(path.join(site, "index.html"))) throw new Error(`${shape.name}: ${site} is not built; run \`pnpm build\``);
    if (o.runs !== undefined && (!fs.existsSync(o.runs) || !fs.statSync(o.runs).isDirectory())) throw new UsageError(`--runs ${o.runs} is not a directory`);
    const sst2Dir = o.sst2Dir ?? envPath("MINITORCH_SST2_DIR");
    const server = await startServer(site, o.host, o.port, o.runs, { sst2Dir });
    const page = o.runs === undefined ? server.url : `${server.url}?page=runs`;
    process.stdout.write(`${shape.name}: serving at ${server.url}${o.runs === undefined ? "" : ` (runs ${fs.realpathSync(o.runs)}: ${page})`}\n`);
    await new Promise<never>(() => {});
  });
}
