/**
 * The thread runtime's fault contract, written once and run against each
 * user of it: FastOps' worker pool (threads.test.ts here) and gpu-ops' GPU
 * thread (gpu-ops/test/runtimeFaults.test.ts). Every way a thread can fail
 * is an Error naming the operation — never a hang — and the next operation
 * works, on a restarted thread where one was lost.
 */
import { afterEach, describe, expect, it } from "vitest";

/** How the suite drives one user of the runtime. */
export interface FaultTarget {
  /** "FastOps pool", "GPU thread". */
  name: string;
  /** Runs a correct operation on the threads and checks its result (throws if wrong). */
  works(): Promise<void>;
  /** Restarts so far. */
  restarts(): number;
  timeoutMs: number;
  /** Runs an operation whose job fails on a thread in the way `fault` says, and returns what it threw. */
  fail(fault: "throw" | "exit" | "hang"): Promise<Error>;
  /** What each failure says (the whole message). */
  says: { throw: RegExp; exit: RegExp; hang: RegExp };
  /** Ends a thread between jobs as a crash would (absent where that cannot be done safely). */
  kill?: () => Promise<void>;
  /** Loses the device under an idle thread (the GPU); the next operation fails with `says`, then work resumes. */
  loseDevice?: { run: () => void; next: () => void; says: RegExp };
}

export function runtimeFaultSuite(target: FaultTarget): void {
  describe(`thread runtime faults: ${target.name}`, () => {
    const timeout = target.timeoutMs;
    afterEach(() => {
      target.timeoutMs = timeout;
    });

    it("a job that throws on a thread is an Error naming the operation; no restart; the next op works", async () => {
      await target.works();
      const restarts = target.restarts();
      expect((await target.fail("throw")).message).toMatch(target.says.throw);
      expect(target.restarts()).toBe(restarts);
      await target.works();
    });

    it("a thread that exits while busy makes the op throw (no hang); the threads restart and the next op works", async () => {
      await target.works();
      const restarts = target.restarts();
      expect((await target.fail("exit")).message).toMatch(target.says.exit);
      expect(target.restarts()).toBe(restarts + 1);
      await target.works();
    });

    it("a job that never finishes times out with an Error naming the variable; the threads restart and the next op works", async () => {
      await target.works();
      target.timeoutMs = 1000;
      const restarts = target.restarts();
      const started = Date.now();
      expect((await target.fail("hang")).message).toMatch(target.says.hang);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(target.restarts()).toBe(restarts + 1);
      target.timeoutMs = timeout;
      await target.works();
    });

    it.skipIf(target.kill === undefined)("a thread killed between jobs is replaced by the next op, which works", async () => {
      await target.works();
      await target.kill!();
      await target.works();
    });

    it.skipIf(target.loseDevice === undefined)("a lost device fails the next op with the loss's reason, then a new device takes over", async () => {
      await target.works();
      target.loseDevice!.run();
      expect(() => target.loseDevice!.next()).toThrow(target.loseDevice!.says);
      await target.works();
    });
  });
}
