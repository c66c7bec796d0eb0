/**
 * What every section gets: the run's options, the peers (loaded on first
 * use) and a progress line on stderr (stdout carries only the tables).
 */
import type { RunConfig } from "./config.js";
import { loadPeers, type Peers } from "./tfjs.js";

export interface BenchContext {
  config: RunConfig;
  peers: () => Promise<Peers>;
  progress: (message: string) => void;
}

export function makeContext(config: RunConfig): BenchContext {
  const started = performance.now();
  return {
    config,
    peers: loadPeers,
    progress: (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
  };
}
