/**
 * The library's scalar operators (packages/autodiff/src/operators.ts) in
 * WGSL, the counterpart of Numba-CUDA compiling each Python operator into
 * the kernel. A kernel for `neg` is the generic map kernel with
 * `fn apply(x: f32) -> f32 { return -x; }` in front of it. JavaScript cannot
 * run in a shader, so any other function is refused with a clear error.
 *
 * NaN follows PyTorch, as the operators do: relu and max propagate it,
 * reluBack passes the gradient at it, comparisons with it are false (and
 * sameValue finds it). WGSL leaves NaN to the implementation (SwiftShader's
 * exp(NaN) is +Infinity, its log(NaN) 89.1), so no operator lets NaN reach
 * a built-in: each is built with its NaN rule stated first, tested on the
 * bits (`is_nan`) — a unary operator returns its NaN argument; a binary one
 * propagates NaN (arithmetic), answers 0 (comparisons) or decides it in
 * its own body. tests/nanFaithful.test.ts holds every operator to the
 * float64 reference on NaN and ±Infinity.
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

/** A unary operator: NaN in, the same NaN out, before any built-in sees it. */
const unary = (name: string, body: string): WgslOperator => ({ name, arity: 1, body: `if (is_nan(x)) { return x; } ${body}` });
/** NaN rules of a binary operator: propagate it, answer 0 (a comparison with NaN is false), or decided in the body. */
const NAN_RULES = {
  propagate: "if (is_nan(x)) { return x; } if (is_nan(y)) { return y; } ",
  false: "if (is_nan(x) || is_nan(y)) { return 0.0; } ",
  inBody: "",
} as const;
const binary = (name: string, nan: keyof typeof NAN_RULES, body: string): WgslOperator => ({ name, arity: 2, body: `${NAN_RULES[nan]}${body}` });

const SIGMOID = "if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); } let e = exp(x); return e / (1.0 + e);";

/** WGSL for each operator function, by identity. */
const table = new Map<(...xs: number[]) => number, WgslOperator>([
  [operators.id, unary("id", "return x;")],
  [operators.neg, unary("neg", "return -x;")],
  [operators.relu, unary("relu", "return select(0.0, x, x > 0.0);")],
  [operators.sigmoid, unary("sigmoid", SIGMOID)],
  [operators.log, unary("log", "if (x == 0.0) { return bitcast<f32>(NEG_INFINITY_BITS); } if (x < 0.0) { return bitcast<f32>(NAN_BITS); } return log(x);")],
  [operators.exp, unary("exp", "return exp(x);")],
  [operators.inv, unary("inv", "return 1.0 / x;")],
  [operators.add, binary("add", "propagate", "return x + y;")],
  [operators.mul, binary("mul", "propagate", "return x * y;")],
  [operators.lt, binary("lt", "false", "return select(0.0, 1.0, x < y);")],
  [operators.eq, binary("eq", "false", "return select(0.0, 1.0, x == y);")],
  [operators.sameValue, binary("sameValue", "inBody", "if (is_nan(x) || is_nan(y)) { return select(0.0, 1.0, is_nan(x) && is_nan(y)); } return select(0.0, 1.0, x == y);")],
  [operators.max, binary("max", "propagate", "return select(y, x, x > y);")],
  [operators.isClose, binary("isClose", "false", "let d = abs(x - y); if (is_nan(d)) { return 0.0; } return select(0.0, 1.0, d < 1e-2);")],
  [operators.logBack, binary("logBack", "propagate", "return y / x;")],
  [operators.invBack, binary("invBack", "propagate", "return -y / (x * x);")],
  [operators.reluBack, binary("reluBack", "inBody", "if (is_nan(x) || x > 0.0) { return y; } return 0.0;")],
  // 1 − σ(x) as σ(−x): in float32 1 − σ(20) is 0, σ(−20) is not.
  [operators.sigmoidBack, binary("sigmoidBack", "propagate", "return y * sigmoid_of(x) * sigmoid_of(-x);")],
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
