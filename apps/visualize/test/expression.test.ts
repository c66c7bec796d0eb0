import { describe, expect, it } from "vitest";
import { ExpressionError, MAX_EXPRESSION_LENGTH, evaluateExpression } from "../src/expression.js";

describe("visualize expression", () => {
  it("(x * y + x).sum(): one node per leaf, x used twice", () => {
    const r = evaluateExpression("(x * y + x).sum()");
    expect(r.shape).toEqual([1]);
    // x = [[0.5, -1, 2], [1.5, 0.25, -0.5]], y = [[1, 2, -1], [0.5, -2, 3]]
    expect(r.values![0]).toBeCloseTo(0.5 - 2 - 2 + 0.75 - 0.5 - 1.5 + (0.5 - 1 + 2 + 1.5 + 0.25 - 0.5), 9);
    expect(r.dot.match(/label="x\\n/g)).toHaveLength(1);
    expect(r.dot).toContain("t0 -> op0;");
    expect(r.dot).toContain("t0 -> op1;");
  });

  it.each([
    ["x @ w", [2, 2]],
    ["(x.permute(1, 0) @ y).sum(0)", [1, 3]],
    ["sum(x, 1)", [2, 1]],
    ["relu(x) * 2 - -y / 4", [2, 3]],
    ["sigmoid(x + b).mean()", [1]],
    ["x.lt(y).sum()", [1]],
    ["2 * x", [2, 3]],
    ["x.contiguous().view(3, 2)", [3, 2]],
  ])("%s has shape %j", (expr, shape) => {
    expect(evaluateExpression(expr).shape).toEqual(shape);
  });

  it("2 * x: the number is a constant node", () => {
    expect(evaluateExpression("2 * x").dot).toMatch(/label="t\d = 2\\n\[1\]\\nconstant"/);
  });

  it.each([
    ["x +", /expected a name at character 4/],
    ["x * (y", /expected "\)" at character 7/],
    ["z", /unknown variable z \(use x, y, w, b\)/],
    ["x.frobnicate()", /unknown function frobnicate/],
    ["1 + 2", /at least one of the variables/],
    ["x @ y", /matmul/],
    ["x.sum(0.5)", /sum takes integers/],
    ["constructor", /unknown variable constructor/],
    ["x;", /unexpected ";"/],
  ])("%s is refused: %s", (expr, message) => {
    expect(() => evaluateExpression(expr)).toThrow(ExpressionError);
    expect(() => evaluateExpression(expr)).toThrow(message);
  });

  it("refuses long expressions and too many operations", () => {
    expect(() => evaluateExpression("x".padEnd(MAX_EXPRESSION_LENGTH + 1, " "))).toThrow(/at most 200 characters/);
    expect(() => evaluateExpression(Array.from({ length: 70 }, () => "x").join("+"))).toThrow(/more than 60 operations/);
  });
});
