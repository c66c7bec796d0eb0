#!/usr/bin/env node
// The `train-fast-tensor` command. pnpm links the bin at install time, before anything
// is built, so the link points at this committed file, which runs the program
// that `pnpm build` writes to dist/.
import { existsSync } from "node:fs";

const main = new URL("../dist/trainFastTensor.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("train-fast-tensor: the program is not built yet; run `pnpm build` first\n");
  process.exit(1);
}
await import(main.href);
