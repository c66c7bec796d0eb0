#!/usr/bin/env node
// Says which WebGPU adapter GpuBackend would use here (exit 0), or why there
// is none (exit 1). .ci/run uses it to decide whether Vulkan needs Chromium's
// SwiftShader. Needs the built packages.
import { gpuAvailable } from "../packages/gpu-ops/dist/index.js";

const status = gpuAvailable();
process.stdout.write(status.ok ? `GPU: ${status.adapter}\n` : `GPU: none — ${status.reason}\n`);
process.exitCode = status.ok ? 0 : 1;
