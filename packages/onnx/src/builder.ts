/**
 * GraphBuilder: collects ONNX nodes and initializers with unique names, in
 * the element type chosen for the export.
 */
import { AttributeType, DataType, type AttributeProtoData, type DataTypeCode, type NodeProtoData, type TensorProtoData } from "./schema.js";

/** An attribute value: an integer, a float, a list of integers, or a string. */
export type AttributeValue = number | readonly number[] | string | { float: number };

/** The element type of the exported graph's values. */
export type OnnxDtype = "float32" | "float64";

function attribute(name: string, value: AttributeValue): AttributeProtoData {
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`toOnnx: internal error, attribute ${name} must be an integer, got ${value}`);
    return { name, type: AttributeType.INT, i: value };
  }
  if ("float" in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INTS, ints: [...value] };
}

/** Little-endian bytes of `values` as float32, float64 or int64. */
function rawBytes(values: ArrayLike<number>, dataType: DataTypeCode): Uint8Array {
  const n = values.length;
  const view = (bytes: number): DataView => new DataView(new ArrayBuffer(n * bytes));
  let dv: DataView;
  if (dataType === DataType.FLOAT) {
    dv = view(4);
    for (let i = 0; i < n; i++) dv.setFloat32(i * 4, values[i]!, true);
  } else if (dataType === DataType.DOUBLE) {
    dv = view(8);
    for (let i = 0; i < n; i++) dv.setFloat64(i * 8, values[i]!, true);
  } else if (dataType === DataType.INT64) {
    dv = view(8);
    for (let i = 0; i < n; i++) dv.setBigInt64(i * 8, BigInt(values[i]!), true);
  } else {
    throw new Error(`toOnnx: internal error, no raw encoding for data type ${dataType}`);
  }
  return new Uint8Array(dv.buffer);
}

export class GraphBuilder {
  readonly nodes: NodeProtoData[] = [];
  readonly initializers: TensorProtoData[] = [];
  /** The traced shape of values, where known (for the fusion passes). */
  readonly shapes = new Map<string, readonly number[]>();
  /** TensorProto.DataType of every floating-point value in the graph. */
  readonly elemType: DataTypeCode;
  private readonly used = new Set<string>();
  private readonly ints = new Map<string, string>();

  /**
   * @param fusePooling write pooling as AveragePool / MaxPool nodes (see
   *   ToOnnxOptions.fusePooling).
   */
  constructor(
    readonly dtype: OnnxDtype,
    readonly fusePooling = true,
  ) {
    this.elemType = dtype === "float64" ? DataType.DOUBLE : DataType.FLOAT;
  }

  /** `base`, or `base_2`, `base_3`, … : a value or node name not used yet. */
  unique(base: string): string {
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name given by the user (the graph's input and output). */
  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`toOnnx: the name "${name}" is used twice`);
    this.used.add(name);
  }

  /**
   * Adds a node with one output and returns the output's name: `output`
   * if given (a reserved name), else the node's own unique name.
   */
  node(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    const name = this.unique(opType);
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: [output ?? name],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return output ?? name;
  }

  /** An initializer of the graph's float type; returns its name. */
  floats(base: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: [...dims], dataType: this.elemType, rawData: rawBytes(values, this.elemType) });
    return name;
  }

  /** A 1-D int64 initializer (shapes, axes, pads), shared between nodes that need the same values. */
  int64s(values: readonly number[], base = "ints"): string {
    const key = values.join(",");
    const known = this.ints.get(key);
    if (known !== undefined) return known;
    const name = this.unique(base);
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, rawData: rawBytes(values, DataType.INT64) });
    this.ints.set(key, name);
    return name;
  }

  /** Drops the initializers no node reads (onnxruntime warns about them). */
  removeUnusedInitializers(): void {
    const read = new Set(this.nodes.flatMap((n) => n.input));
    const kept = this.initializers.filter((t) => read.has(t.name));
    this.initializers.splice(0, this.initializers.length, ...kept);
    for (const [key, name] of this.ints) if (!read.has(name)) this.ints.delete(key);
  }

  /** Renames value `from` to `to` in every node (for naming the graph's output). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = n.input.map((v) => (v === from ? to : v));
      n.output = n.output.map((v) => (v === from ? to : v));
    }
  }
}
