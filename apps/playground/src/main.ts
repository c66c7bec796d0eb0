#!/usr/bin/env node
/**
 * playground: serves the built site (dist/site) with the cross-origin
 * isolation headers. The library runs in the browser tab; this only serves
 * files.
 *
 *   playground               # http://127.0.0.1:8060/
 *   playground --port 0      # any free port
 *   playground --runs runs/  # the Runs tab follows the runs in runs/
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { UsageError, integerIn, runMain, standardCli } from "@minitorch/app-common";
import { startServer } from "./server.js";

interface Options {
  host: string;
  port: number;
  runs?: string;
}

const program = new Command()
  .name("playground")
  .description("Serve the minitorch-ts playground: the course's app, with the library running in the browser tab.")
  .option("--host <address>", "address to bind", "127.0.0.1")
  .option("--port <n>", "port (0 = any free port)", integerIn("--port", 0, 65535, "an integer in [0, 65535]"), 8060)
  .option("--runs <dir>", "a directory of runs (the apps' --log, --metrics and --save files) for the Runs tab to follow")
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });

standardCli(program, import.meta.url);

runMain("playground", async () => {
  program.parse();
  const o = program.opts<Options>();
  const site = path.join(path.dirname(fileURLToPath(import.meta.url)), "site");
  if (!fs.existsSync(path.join(site, "index.html"))) throw new Error(`playground: ${site} is not built; run \`pnpm build\``);
  if (o.runs !== undefined && (!fs.existsSync(o.runs) || !fs.statSync(o.runs).isDirectory())) throw new UsageError(`--runs ${o.runs} is not a directory`);
  const server = await startServer(site, o.host, o.port, o.runs);
  process.stdout.write(`playground: serving at ${server.url}\n`);
  await new Promise<never>(() => {});
});
