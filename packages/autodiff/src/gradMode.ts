/**
 * Whether functions record the computation graph: PyTorch's `no_grad`.
 * Inside `noGrad(fn)` every scalar and tensor function computes its value
 * without a history, so evaluation and optimiser updates build no graph
 * and keep no saved values alive.
 */

let enabled = true;

/** True unless called inside `noGrad`. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` with graph recording off and returns its result. Calls nest,
 * and the previous mode comes back when `fn` returns or throws. `fn` must
 * be synchronous: an `await` inside it would leave the mode off for
 * whatever runs meanwhile, so a function returning a promise is an error.
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError(`noGrad: expected a function, got ${fn === null ? "null" : typeof fn}`);
  const previous = enabled;
  enabled = false;
  let result: T;
  try {
    result = fn();
  } finally {
    enabled = previous;
  }
  if (result instanceof Promise) {
    throw new TypeError("noGrad: fn returned a Promise; noGrad covers synchronous code only (await outside it, or call noGrad inside the async function)");
  }
  return result;
}
