/**
 * Pooling, recognised. avgpool2d and maxpool2d (nn/pooling.ts) are built
 * from tile: a 6-D view, a permute, a 5-D view, a reduction over the window
 * and a view back to 4-D. Exported as they are, that is six nodes with a
 * 6-D Transpose; this pass replaces each such chain whose intermediate
 * values nothing else uses by one AveragePool or MaxPool with
 * kernel = strides = [kh, kw] — the operators every engine optimises.
 */
import type { GraphBuilder } from "./builder.js";
import { DataType, type NodeProtoData, type TensorProtoData } from "./schema.js";

const same = (a: readonly number[] | undefined, b: readonly number[]): boolean => a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

function ints(node: NodeProtoData, name: string): number[] | undefined {
  return node.attribute.find((a) => a.name === name)?.ints?.map(Number);
}

/** The values of a float or int64 initializer. */
function values(t: TensorProtoData): number[] {
  const bytes = t.rawData;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  if (t.dataType === DataType.FLOAT) for (let i = 0; i < bytes.length; i += 4) out.push(view.getFloat32(i, true));
  else if (t.dataType === DataType.DOUBLE) for (let i = 0; i < bytes.length; i += 8) out.push(view.getFloat64(i, true));
  else if (t.dataType === DataType.INT64) for (let i = 0; i < bytes.length; i += 8) out.push(Number(view.getBigInt64(i, true)));
  return out;
}

/**
 * Replaces tile-built pooling chains in `g` by AveragePool (float32 only:
 * onnxruntime has no float64 AveragePool) and MaxPool nodes, then drops the
 * initializers no node reads any more. `g.shapes` gives the traced shapes.
 */
export function fusePooling(g: GraphBuilder): void {
  const init = new Map(g.initializers.map((t) => [t.name, t]));
  const axesOf = (n: NodeProtoData): number[] | undefined => {
    const t = n.input[1] === undefined ? undefined : init.get(n.input[1]);
    return t === undefined ? undefined : values(t);
  };
  const users = new Map<string, NodeProtoData[]>();
  for (const n of g.nodes) for (const v of n.input) users.set(v, [...(users.get(v) ?? []), n]);
  const only = (value: string, op: string): NodeProtoData | undefined => {
    const u = users.get(value);
    return u?.length === 1 && u[0]!.opType === op ? u[0] : undefined;
  };
  const replaced = new Map<NodeProtoData, NodeProtoData | null>();

  for (const view6 of g.nodes) {
    if (view6.opType !== "Reshape" || replaced.has(view6)) continue;
    const x = view6.input[0]!;
    const inShape = g.shapes.get(x);
    const tiled = g.shapes.get(view6.output[0]!);
    if (inShape?.length !== 4 || tiled?.length !== 6) continue;
    const [batch, channels, rows, kh, cols, kw] = tiled as [number, number, number, number, number, number];
    if (!same(inShape, [batch, channels, rows * kh, cols * kw])) continue;
    const permute = only(view6.output[0]!, "Transpose");
    if (permute === undefined || !same(ints(permute, "perm"), [0, 1, 2, 4, 3, 5])) continue;
    const view5 = only(permute.output[0]!, "Reshape");
    if (view5 === undefined || !same(g.shapes.get(view5.output[0]!), [batch, channels, rows, cols, kh * kw])) continue;
    const users5 = users.get(view5.output[0]!);
    const reduce = users5?.length === 1 ? users5[0]! : undefined;
    let chain: NodeProtoData[] | undefined;
    let op = "";
    if (reduce?.opType === "ReduceMax" && same(ints(reduce, "axes"), [4])) {
      chain = [reduce];
      op = "MaxPool";
    } else if (reduce?.opType === "ReduceSum" && g.dtype === "float32" && same(axesOf(reduce), [4])) {
      const scale = only(reduce.output[0]!, "Mul");
      const factor = scale && init.get(scale.input[1]!);
      if (scale !== undefined && factor !== undefined && same(values(factor), [Math.fround(1 / (kh * kw))])) {
        chain = [reduce, scale];
        op = "AveragePool";
      }
    }
    if (chain === undefined) continue;
    const view4 = only(chain[chain.length - 1]!.output[0]!, "Reshape");
    if (view4 === undefined || !same(g.shapes.get(view4.output[0]!), [batch, channels, rows, cols])) continue;
    const pool: NodeProtoData = {
      name: g.unique(op),
      opType: op,
      input: [x],
      output: [...view4.output],
      attribute: [
        { name: "kernel_shape", type: 7, ints: [kh, kw] },
        { name: "strides", type: 7, ints: [kh, kw] },
      ],
    };
    replaced.set(view6, pool);
    for (const n of [permute, view5, ...chain, view4]) replaced.set(n, null);
  }
  if (replaced.size === 0) return;
  const nodes = g.nodes.flatMap((n) => (replaced.has(n) ? (replaced.get(n) === null ? [] : [replaced.get(n)!]) : [n]));
  g.nodes.splice(0, g.nodes.length, ...nodes);
  g.removeUnusedInitializers();
}
