/**
 * torch as a peer of the `train` section: bench/torch/train_step.py in a
 * child process of /usr/bin/python3, asked for blocks of training steps
 * over its stdin and answering with their times on its stdout (one JSON
 * object per line), so its blocks alternate with ours in one run. Without
 * torch (or Python) the peer is unavailable with a line saying how to get it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The interpreter whose torch is measured: Debian's, where apt installs python3-torch. */
export const TORCH_PYTHON = "/usr/bin/python3";

/** How to get torch when it is missing (and the BLAS without which it runs 3–10× slower). */
export const TORCH_HINT = "torch rows need torch in /usr/bin/python3: `sudo apt-get install python3-torch libopenblas0-pthread` (Debian)";

const SCRIPT = fileURLToPath(new URL("../torch/train_step.py", import.meta.url));

export interface TorchRequest {
  net: "lenet" | "kim";
  dtype: "float64" | "float32";
  threads: number;
  steps: number;
}

/** A running torch peer: `run` times one block of steps (ms each). */
export interface TorchPeer {
  readonly version: string;
  /** The BLAS library torch resolves to (libblas.so.3's target). */
  readonly blas: string;
  run(request: TorchRequest): Promise<number[]>;
  close(): void;
}

/** Starts the torch peer, or says why there is none (with how to get torch). */
export async function startTorch(): Promise<TorchPeer | { unavailable: string }> {
  if (!existsSync(TORCH_PYTHON)) return { unavailable: `${TORCH_PYTHON} is missing; ${TORCH_HINT}` };
  const child = spawn(TORCH_PYTHON, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`torch peer exited: ${stderr.trim().split("\n").pop() ?? "no output"}`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  let hello: Record<string, unknown>;
  try {
    hello = await next();
  } catch (e) {
    child.kill();
    const missing = /No module named 'torch'/.test(stderr);
    return { unavailable: missing ? `no torch in ${TORCH_PYTHON}; ${TORCH_HINT}` : `torch peer failed to start (${(e as Error).message})` };
  }
  return peer(child, next, String(hello.torch), String(hello.blas));
}

function peer(child: ChildProcessWithoutNullStreams, next: () => Promise<Record<string, unknown>>, version: string, blas: string): TorchPeer {
  return {
    version,
    blas,
    async run(request) {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const answer = await next();
      if (!Array.isArray(answer.times)) throw new Error(`torch peer: unexpected answer ${JSON.stringify(answer)}`);
      return answer.times as number[];
    },
    close() {
      child.stdin.end();
    },
  };
}
