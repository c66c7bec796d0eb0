/** PyTorch's everyday nn names (librarySuite.ts) on every CPU backend. */
import { backends } from "./helpers.js";
import { describeNnLibrary } from "./librarySuite.js";
import { float32 } from "../../tensor-core/test/precision.js";

for (const [name, backend] of backends) describeNnLibrary(name, backend);
for (const [name, backend] of backends) describeNnLibrary(`${name} float32`, backend, float32);
