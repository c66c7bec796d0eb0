/**
 * Module 3: deciding whether a user's scalar function can run in the
 * workers. A worker rebuilds the function from its source text, so the
 * function may use only its parameters, its own variables and a few pure
 * globals; anything else it names (a variable of the enclosing scope) does
 * not exist there. The source is parsed (acorn) and its scopes analysed
 * (eslint-scope), so the answer depends on the text alone — never on the
 * values a trial call happens to take, the tensor's size or the pool's state.
 */
import { parse, type Node } from "acorn";
import { analyze } from "eslint-scope";

/** Globals a kernel function may use: the language's standard values and functions, the same in every thread. */
export const KERNEL_GLOBALS: ReadonlySet<string> = new Set([
  "Math",
  "Number",
  "Infinity",
  "NaN",
  "undefined",
  "isFinite",
  "isNaN",
  "parseFloat",
  "parseInt",
  "Boolean",
  "String",
  "Array",
  "Object",
  "JSON",
  "BigInt",
  "Float64Array",
  "Float32Array",
  "Int32Array",
  "Uint8Array",
  "Error",
  "RangeError",
  "TypeError",
]);

/** How to write a kernel function, for refusals. */
const HOW = "write it as an arrow function, (x) => 2 * x, or a function expression, function (x) { return 2 * x; }";

/**
 * The source as a function expression: an object or class method's
 * source (`double(x) { … }`, what `obj.double.toString()` gives) becomes
 * `function double(x) { … }`, which runs the same (a method that uses
 * `this` is refused later either way).
 */
function asFunctionExpression(source: string): string {
  const method = /^(async\s+)?(\*\s*)?([A-Za-z_$][\w$]*)\s*\(/.exec(source);
  if (method === null || ["function", "async", "class"].includes(method[3]!)) return source;
  return `${method[1] ?? ""}function ${method[2] ?? ""}${source.slice(method.index + (method[1]?.length ?? 0) + (method[2]?.length ?? 0))}`;
}

/**
 * Checks that `source` is a function that runs the same when rebuilt
 * alone, and returns it as a function expression (a method's source
 * rewritten); `op` names the operation in errors (`map(scaleBy)`).
 *
 * @throws Error naming the op and the first identifier from outside, or why
 *   the source is not a plain function, and how to write it.
 */
export function checkSelfContained(original: string, op: string): string {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(original)) {
    throw new Error(`${op}: a built-in or bound function has no source to run in the workers; wrap it, e.g. (x) => Math.abs(x)`);
  }
  const source = asFunctionExpression(original);
  let program: Node;
  try {
    program = parse(`(${source})`, { ecmaVersion: "latest", sourceType: "script", ranges: true });
  } catch (e) {
    throw new Error(`${op}: the function's source cannot be compiled on its own (${(e as Error).message}); ${HOW}: ${original}`);
  }
  const body = (program as unknown as { body: Array<{ type: string; expression?: FunctionNode }> }).body;
  const fn = body.length === 1 && body[0]!.type === "ExpressionStatement" ? body[0]!.expression : undefined;
  if (fn === undefined || (fn.type !== "ArrowFunctionExpression" && fn.type !== "FunctionExpression")) {
    throw new Error(`${op}: expected an arrow function or a function expression; ${HOW}: ${original}`);
  }
  if (fn.async || fn.generator) {
    throw new Error(`${op}: the function must return a number, not be ${fn.async ? "async" : "a generator"}: ${source}`);
  }
  if (usesThis(fn)) {
    throw new Error(`${op}: the function uses \`this\`, which it does not have when rebuilt in a worker; pass values as arguments`);
  }
  const scopes = analyze(program, { ecmaVersion: 2022, sourceType: "script", impliedStrict: true });
  for (const ref of scopes.globalScope.through) {
    const name = ref.identifier.name;
    if (KERNEL_GLOBALS.has(name)) continue;
    throw new Error(
      `${op}: the function uses ${name}, a variable from its surroundings; FastOps rebuilds the function from its ` +
        `source in every worker, so it must be self-contained: only its parameters, its own variables and ` +
        `${[...KERNEL_GLOBALS].join(", ")} (write the value into the function instead)`,
    );
  }
  return source;
}

interface FunctionNode {
  type: string;
  async?: boolean;
  generator?: boolean;
}

/** True if `this` occurs in `fn` outside the non-arrow functions nested in it. */
function usesThis(fn: FunctionNode): boolean {
  const visit = (node: unknown, top: boolean): boolean => {
    if (Array.isArray(node)) return node.some((n) => visit(n, false));
    if (typeof node !== "object" || node === null) return false;
    const n = node as { type?: unknown };
    if (n.type === "ThisExpression") return true;
    if (!top && (n.type === "FunctionExpression" || n.type === "FunctionDeclaration")) return false;
    return Object.entries(node).some(([key, child]) => key !== "type" && typeof child === "object" && visit(child, false));
  };
  return visit(fn, true);
}
