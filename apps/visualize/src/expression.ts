/**
 * minitorch's "show expression" view: a small tensor expression typed on the
 * page, evaluated on fixed leaf tensors, and its backward graph as DOT text
 * (the library's `toDot`).
 *
 * The expression language is parsed here — nothing is ever passed to `eval`:
 *
 *   expr    := term (("+" | "-") term)*
 *   term    := unary (("*" | "/" | "@") unary)*
 *   unary   := "-" unary | postfix
 *   postfix := primary ("." NAME "(" args? ")")*
 *   primary := NUMBER | VARIABLE | NAME "(" args ")" | "(" expr ")"
 *
 * Methods and functions: relu, sigmoid, log, exp, neg, sum(dim?), mean(dim?),
 * contiguous, permute(dims…), view(sizes…), lt(e), gt(e), eq(e); `@` is matmul.
 */
import { SimpleBackend, tensor, toDot, type Tensor } from "@minitorch/tensor-core";
import type { ExpressionResponse } from "./api.js";

/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 200;
/** Most operations an expression may apply. */
const MAX_OPS = 60;

/** The leaf tensors an expression may use: fixed values, so the page is repeatable. */
function variables(): Record<string, Tensor> {
  const make = (name: string, values: number[][] | number[]): Tensor => {
    const t = tensor(values, { backend: SimpleBackend, requiresGrad: true });
    t.name = name;
    return t;
  };
  return {
    x: make("x", [
      [0.5, -1, 2],
      [1.5, 0.25, -0.5],
    ]),
    y: make("y", [
      [1, 2, -1],
      [0.5, -2, 3],
    ]),
    w: make("w", [
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.6],
    ]),
    b: make("b", [0.1, -0.1, 0.2]),
  };
}

type Value = Tensor | number;
const UNARY = new Set(["relu", "sigmoid", "log", "exp", "neg", "contiguous"]);
const WITH_DIM = new Set(["sum", "mean"]);
const WITH_INTS = new Set(["permute", "view"]);
const WITH_OPERAND = new Set(["lt", "gt", "eq"]);

/** An error in the expression, with the character position. */
export class ExpressionError extends Error {}

class Parser {
  private pos = 0;
  private ops = 0;
  constructor(
    private readonly src: string,
    private readonly vars: Record<string, Tensor>,
  ) {}

  parse(): Tensor {
    const v = this.expr();
    this.space();
    if (this.pos < this.src.length) this.fail(`unexpected ${JSON.stringify(this.src[this.pos])}`);
    if (typeof v === "number") this.fail("the expression must use at least one of the variables");
    return v;
  }

  private fail(message: string): never {
    throw new ExpressionError(`expression: ${message} at character ${this.pos + 1}`);
  }

  private space(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private eat(token: string): boolean {
    this.space();
    if (this.src.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected ${JSON.stringify(token)}`);
  }

  private count(): void {
    if (++this.ops > MAX_OPS) this.fail(`more than ${MAX_OPS} operations`);
  }

  private tensorOf(v: Value, a: Value): Tensor {
    if (typeof v !== "number") return v;
    if (typeof a !== "number") return a.ensureTensor(v);
    return this.fail("an operation needs at least one tensor");
  }

  private binary(op: string, a: Value, b: Value): Value {
    if (typeof a === "number" && typeof b === "number") {
      if (op === "@") this.fail("@ needs tensors");
      return op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
    }
    this.count();
    const left = this.tensorOf(a, b);
    if (op === "+") return left.add(b);
    if (op === "-") return left.sub(b);
    if (op === "*") return left.mul(b);
    if (op === "/") return left.div(b);
    return left.matmul(this.tensorOf(b, a));
  }

  private expr(): Value {
    let v = this.term();
    for (;;) {
      if (this.eat("+")) v = this.binary("+", v, this.term());
      else if (this.eat("-")) v = this.binary("-", v, this.term());
      else return v;
    }
  }

  private term(): Value {
    let v = this.unary();
    for (;;) {
      if (this.eat("*")) v = this.binary("*", v, this.unary());
      else if (this.eat("/")) v = this.binary("/", v, this.unary());
      else if (this.eat("@")) v = this.binary("@", v, this.unary());
      else return v;
    }
  }

  private unary(): Value {
    if (this.eat("-")) {
      const v = this.unary();
      if (typeof v === "number") return -v;
      this.count();
      return v.neg();
    }
    return this.postfix();
  }

  private postfix(): Value {
    let v = this.primary();
    while (this.eat(".")) {
      const name = this.name();
      if (typeof v === "number") this.fail(`.${name}() needs a tensor`);
      this.expect("(");
      v = this.call(name, v, this.args());
    }
    return v;
  }

  private name(): string {
    this.space();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (m === null) this.fail("expected a name");
    this.pos += m[0].length;
    return m[0];
  }

  /** The arguments of a call, after its "(", up to and including the ")". */
  private args(): Value[] {
    const args: Value[] = [];
    if (!this.eat(")")) {
      do args.push(this.expr());
      while (this.eat(","));
      this.expect(")");
    }
    return args;
  }

  /** Applies method `name` to `t` with `args`. */
  private call(name: string, t: Tensor, args: readonly Value[]): Tensor {
    this.count();
    const ints = (): number[] =>
      args.map((a) => (typeof a === "number" && Number.isInteger(a) ? a : this.fail(`${name} takes integers`)));
    try {
      if (UNARY.has(name) && args.length === 0) {
        if (name === "relu") return t.relu();
        if (name === "sigmoid") return t.sigmoid();
        if (name === "log") return t.log();
        if (name === "exp") return t.exp();
        if (name === "neg") return t.neg();
        return t.contiguous();
      }
      if (WITH_DIM.has(name) && args.length <= 1) {
        const dim = args.length === 1 ? ints()[0] : undefined;
        return name === "sum" ? t.sum(dim) : t.mean(dim);
      }
      if (WITH_INTS.has(name) && args.length > 0) return name === "permute" ? t.permute(...ints()) : t.view(...ints());
      if (WITH_OPERAND.has(name) && args.length === 1) {
        const b = args[0]!;
        return name === "lt" ? t.lt(b) : name === "gt" ? t.gt(b) : t.eq(b);
      }
    } catch (e) {
      if (e instanceof ExpressionError) throw e;
      this.fail((e as Error).message);
    }
    return this.fail(`unknown function ${name} with ${args.length} argument(s)`);
  }

  private primary(): Value {
    this.space();
    const num = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.src.slice(this.pos));
    if (num !== null) {
      this.pos += num[0].length;
      return Number(num[0]);
    }
    if (this.eat("(")) {
      const v = this.expr();
      this.expect(")");
      return v;
    }
    const name = this.name();
    const variable = Object.hasOwn(this.vars, name) ? this.vars[name] : undefined;
    if (variable !== undefined) return variable;
    if (this.eat("(")) {
      // Function style: relu(x) is x.relu(), sum(x, 0) is x.sum(0).
      const [first, ...rest] = this.args();
      if (first === undefined || typeof first === "number") this.fail(`${name}() needs a tensor as its first argument`);
      return this.call(name, first, rest);
    }
    return this.fail(`unknown variable ${name} (use ${Object.keys(this.vars).join(", ")})`);
  }
}

/** The shapes of the variables an expression may use. */
export function expressionVariables(): Record<string, number[]> {
  return Object.fromEntries(Object.entries(variables()).map(([k, t]) => [k, [...t.shape]]));
}

/** Parse and evaluate `expr` on the fixed variables; its backward graph as DOT. */
export function evaluateExpression(expr: string): ExpressionResponse {
  if (expr.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`expression: at most ${MAX_EXPRESSION_LENGTH} characters, got ${expr.length}`);
  let root: Tensor;
  try {
    root = new Parser(expr, variables()).parse();
  } catch (e) {
    // Shape errors of the tensor ops name the op; say it was the expression's.
    throw e instanceof ExpressionError ? e : new ExpressionError(`expression: ${(e as Error).message}`);
  }
  const values = root.size <= 16 ? Array.from(root.toFloat64Array(), (v) => Math.round(v * 1e6) / 1e6) : null;
  return { expr, dot: toDot(root), shape: [...root.shape], values, variables: expressionVariables() };
}
