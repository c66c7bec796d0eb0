export {
  FastBackend,
  FastOps,
  PARALLEL_MIN_COST,
  SHARE_MIN,
  arenaStats,
  pool,
  poolStats,
  runKernel,
  setThreads,
  shutdown,
} from "./fastOps.js";
export { builtModuleUrl } from "./builtModule.js";
export { compileMap, compileReduce, compileZip, broadcastStrides, sameLayout } from "./elementwise.js";
export { CourseBackend, CourseOps, courseMatrixMultiply, matmulKernel } from "./courseOps.js";
export { tensorMatrixMultiply } from "./matmul.js";
export { KC, MC, packB, packedGemm } from "./gemm.js";
export { Arena, sizeClass } from "./arena.js";
export type { PoolStats } from "./pool.js";
