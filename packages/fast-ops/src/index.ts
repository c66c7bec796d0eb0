export {
  FastBackend,
  FastOps,
  INLINE,
  PARALLEL_MIN_COST,
  elementwiseOps,
  fastLoops,
  pool,
  poolStats,
  runKernel,
  setThreads,
  shutdown,
} from "./fastOps.js";
export {
  broadcastStrides,
  fastMap,
  fastReduce,
  fastZip,
  sameLayout,
  type ElementwiseLoops,
  type MapKernel,
  type ReduceKernel,
  type ZipKernel,
} from "./elementwise.js";
export { tensorMap, tensorReduce, tensorZip } from "./kernelLoops.js";
export { CourseBackend, CourseOps, courseLoops, courseMatrixMultiply, matmulKernel } from "./courseOps.js";
export { PlainBackend, PlainOps, packedGemmKernel, packedMatrixMultiply } from "./plainOps.js";
export { tensorMatrixMultiply } from "./matmul.js";
export { windowMean } from "./avgpool.js";
export { KC, MC, packB, packedGemm } from "./gemm.js";
export { POISON, SHARE_MIN, allocateStorage, isShared, weigh, weighAll } from "./storage.js";
export { ArgReader, ArgWriter, createSharedBlock, type EncodedArgs, type SharedBlock } from "./transport.js";
export { envFlag, envInt } from "./env.js";
export { ThreadContext, resetThreadContext, threadContext } from "./threadContext.js";
export type { PoolStats } from "./pool.js";
export { ThreadGroup, processSingleton, siblingModule, type ThreadGroupOptions, type ThreadStart } from "./runtime/threads.js";
export { MAX_THREADS, READY, RETIRING, SHUT, STARTING, UNAVAILABLE, USER_BASE, USER_SLOTS } from "./runtime/control.js";
