#!/usr/bin/env node
// Runs the repository's turbo with its first-run telemetry notice and its
// update box turned off (TURBO_TELEMETRY_DISABLED, TURBO_NO_UPDATE_NOTIFIER,
// unless the caller set them). With --quiet as the first argument it prints
// nothing unless turbo fails, and then everything turbo printed: the app
// scripts (`pnpm train-mnist …`) build what they need this way, so that the
// app's own output is all one sees.
//
//   node scripts/turbo.mjs run build
//   node scripts/turbo.mjs --quiet run build --filter @minitorch/train-mnist
import { spawnSync } from "node:child_process";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const quiet = args[0] === "--quiet";
if (quiet) args.shift();
const turbo = fileURLToPath(new URL("../node_modules/turbo/bin/turbo", import.meta.url));
// turbo runs each package's script with pnpm, which it looks for on PATH: the
// repository's own (a devDependency) when this runs outside `pnpm run`.
const bin = fileURLToPath(new URL("../node_modules/.bin", import.meta.url));
const env = { TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1", ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };
const r = spawnSync(process.execPath, [turbo, ...args], {
  env,
  stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
  maxBuffer: 64 << 20,
});
if (r.error) {
  process.stderr.write(`turbo could not run (${r.error.message}); run pnpm install first\n`);
  process.exit(1);
}
if (quiet && r.status !== 0) {
  process.stderr.write(r.stdout);
  process.stderr.write(r.stderr);
}
process.exit(r.status ?? 1);
