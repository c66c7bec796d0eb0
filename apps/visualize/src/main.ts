#!/usr/bin/env node
/**
 * minitorch-visualize: the visualiser's API server alone (runs index,
 * metrics, MNIST and sentiment views, expression graphs as JSON), as
 * apps/visualize/bench/load.mjs measures it. The page is the playground's:
 * `pnpm visualize --runs DIR` serves it with this same API.
 *
 *   minitorch-visualize --runs runs/            # http://127.0.0.1:8050/api/runs
 *   minitorch-visualize --runs runs/ --port 0   # any free port
 */
import fs from "node:fs";
import { Command } from "commander";
import { UsageError, integerIn, runMain, standardCli } from "@minitorch/app-common";
import { envPath } from "@minitorch/autodiff";
import { startServer } from "./server.js";

interface Options {
  runs: string;
  host: string;
  port: number;
  sst2Dir?: string;
}

const port = integerIn("--port", 0, 65535, "an integer in [0, 65535]");

const program = new Command()
  .name("visualize")
  .description("Serve the minitorch-ts visualiser's JSON API (runs, metrics, MNIST and sentiment views, expression graphs); the page is `pnpm visualize`, the playground.")
  .requiredOption("--runs <dir>", "directory of runs: the apps' --log/--metrics files and --save checkpoints")
  .option("--host <address>", "address to bind", "127.0.0.1")
  .option("--port <n>", "port (0 = any free port)", port, 8050)
  .option("--sst2-dir <dir>", "directory with SST-2's dev.tsv, for example sentences (default: $MINITORCH_SST2_DIR)")
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });

standardCli(program, import.meta.url);

runMain("visualize", async () => {
  program.parse();
  const o = program.opts<Options>();
  if (!fs.existsSync(o.runs) || !fs.statSync(o.runs).isDirectory()) throw new UsageError(`--runs ${o.runs} is not a directory`);
  const sst2Dir = o.sst2Dir ?? envPath("MINITORCH_SST2_DIR");
  const server = await startServer({ runsDir: o.runs, host: o.host, port: o.port, sst2Dir });
  process.stdout.write(`visualize: serving ${fs.realpathSync(o.runs)} at ${server.url}\n`);
  // Serve until interrupted (runMain exits on Ctrl-C).
  await new Promise<never>(() => {});
});
