export {
  FastBackend,
  FastOps,
  PARALLEL_MIN_COST,
  pool,
  poolStats,
  runKernel,
  setThreads,
  shutdown,
} from "./fastOps.js";
export { builtModuleUrl } from "./builtModule.js";
export { compileMap, compileReduce, compileZip, broadcastStrides, sameLayout } from "./elementwise.js";
export { CourseBackend, CourseOps, courseMatrixMultiply, matmulKernel } from "./courseOps.js";
export { PlainBackend, PlainOps, packedGemmKernel, packedMatrixMultiply } from "./plainOps.js";
export { tensorMatrixMultiply } from "./matmul.js";
export { KC, MC, packB, packedGemm } from "./gemm.js";
export { POISON, SHARE_MIN, allocateStorage, isShared, weigh, weighAll } from "./storage.js";
export { ArgReader, ArgWriter, createSharedBlock, type EncodedArgs, type SharedBlock } from "./transport.js";
export { envFlag, envInt } from "./env.js";
export { ThreadContext, resetThreadContext, threadContext } from "./threadContext.js";
export type { PoolStats } from "./pool.js";
