/** PyTorch's everyday nn names (librarySuite.ts) on every CPU backend. */
import { backends } from "./helpers.js";
import { describeNnLibrary } from "./librarySuite.js";

for (const [name, backend] of backends) describeNnLibrary(name, backend);
