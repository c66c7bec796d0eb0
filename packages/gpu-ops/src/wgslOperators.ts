/**
 * The library's scalar operators (packages/autodiff/src/operators.ts) in
 * WGSL, the counterpart of Numba-CUDA compiling each Python operator into
 * the kernel. A kernel for `neg` is the generic map kernel with
 * `fn apply(x: f32) -> f32 { return -x; }` in front of it. JavaScript cannot
 * run in a shader, so any other function is refused with a clear error.
 *
 * NaN follows PyTorch, as the operators do: relu and max propagate it,
 * reluBack passes the gradient at it, comparisons with it are false (and
 * sameValue finds it). WGSL lets compilers assume no NaN reaches min/max/select, so NaN is
 * tested on the bits (`is_nan`) wherever it decides the result.
 */
import { operators } from "@minitorch/autodiff";
import type { ShaderFn } from "@minitorch/tensor-core";

/** One operator: its name and the body of `fn apply(...) -> f32` in WGSL. */
export interface WgslOperator {
  readonly name: string;
  readonly arity: 1 | 2;
  /** WGSL statements over `x` (and `y`), ending in a return. */
  readonly body: string;
}

const unary = (name: string, body: string): WgslOperator => ({ name, arity: 1, body });
const binary = (name: string, body: string): WgslOperator => ({ name, arity: 2, body });

const SIGMOID = "if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); } let e = exp(x); return e / (1.0 + e);";

/** WGSL for each operator function, by identity. */
const table = new Map<(...xs: number[]) => number, WgslOperator>([
  [operators.id, unary("id", "return x;")],
  [operators.neg, unary("neg", "return -x;")],
  [operators.relu, unary("relu", "if (is_nan(x)) { return x; } return select(0.0, x, x > 0.0);")],
  [operators.sigmoid, unary("sigmoid", SIGMOID)],
  [operators.log, unary("log", "if (x == 0.0) { return bitcast<f32>(NEG_INFINITY_BITS); } if (x < 0.0) { return bitcast<f32>(NAN_BITS); } return log(x);")],
  [operators.exp, unary("exp", "return exp(x);")],
  [operators.inv, unary("inv", "return 1.0 / x;")],
  [operators.add, binary("add", "return x + y;")],
  [operators.mul, binary("mul", "return x * y;")],
  [operators.lt, binary("lt", "return select(0.0, 1.0, x < y);")],
  [operators.eq, binary("eq", "return select(0.0, 1.0, x == y);")],
  [operators.sameValue, binary("sameValue", "return select(0.0, 1.0, x == y || (is_nan(x) && is_nan(y)));")],
  [operators.max, binary("max", "if (is_nan(x)) { return x; } if (is_nan(y)) { return y; } return select(y, x, x > y);")],
  [operators.isClose, binary("isClose", "return select(0.0, 1.0, abs(x - y) < 1e-2);")],
  [operators.logBack, binary("logBack", "return y / x;")],
  [operators.invBack, binary("invBack", "return -y / (x * x);")],
  [operators.reluBack, binary("reluBack", "if (is_nan(x)) { return y; } return select(0.0, y, x > 0.0);")],
  [operators.sigmoidBack, binary("sigmoidBack", `let s = sigmoid_of(x); return y * s * (1.0 - s);`)],
]);

/** Names of the operators GpuBackend can run. */
export const wgslOperatorNames: readonly string[] = [...table.values()].map((o) => o.name);

/**
 * The WGSL form of `fn`, for `kind` ("map" takes one argument, "zip" and
 * "reduce" two).
 * @throws Error naming the function when it is not one of the library's operators.
 */
export function wgslOperator(fn: ShaderFn<(...xs: number[]) => number>, kind: "map" | "zip" | "reduce"): WgslOperator {
  // The library's operators, then a function that brings its own WGSL (an op made with unaryOp).
  const op = table.get(fn) ?? (fn.wgsl === undefined ? undefined : { name: fn.name || "fn", arity: fn.length === 1 ? 1 : 2, body: fn.wgsl });
  const arity = kind === "map" ? 1 : 2;
  if (op === undefined) {
    throw new Error(
      `GpuBackend.${kind}(${fn.name || "anonymous function"}): a JavaScript function cannot run in a WGSL shader; ` +
        `GpuBackend runs the library's operators (${wgslOperatorNames.join(", ")}) — use FastBackend or SimpleBackend for other functions`,
    );
  }
  if (op.arity !== arity) {
    throw new Error(`GpuBackend.${kind}(${op.name}): ${kind} needs a function of ${arity} argument${arity === 1 ? "" : "s"}, ${op.name} takes ${op.arity}`);
  }
  return op;
}

/** The WGSL declarations of `op`: `apply`, with the helpers every operator may use. */
export function applyFunction(op: WgslOperator): string {
  const params = op.arity === 1 ? "x: f32" : "x: f32, y: f32";
  return /* wgsl */ `
// NaN and infinity cannot be constants in WGSL: made at run time from their bits.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> NEG_INFINITY_BITS: u32 = 0xff800000u;
fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn sigmoid_of(x: f32) -> f32 { ${SIGMOID} }
// ${op.name}
fn apply(${params}) -> f32 { ${op.body} }
`;
}
