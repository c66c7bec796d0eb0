/**
 * The part of the ONNX protobuf schema (onnx/onnx.proto, IR version 8) that
 * an inference model needs, declared through protobufjs's reflection API
 * with the official field numbers (field names in camelCase, as protobufjs
 * names them when it parses a .proto file). protobufjs does the wire encoding; this
 * file only says which fields exist. Messages and fields not listed here
 * (training info, sparse tensors, sequences, maps, functions) are not used
 * by the exporter.
 */
import protobuf from "protobufjs";

const { Enum, Field, Root, Type } = protobuf;

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, BOOL: 9, INT64: 7, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** ONNX IR version written into ModelProto.ir_version (IR 8 goes with opsets up to 18). */
export const IR_VERSION = 8;

/** A TensorProto: dims and data_type, values as little-endian bytes in raw_data. */
export interface TensorProtoData {
  name: string;
  dims: number[];
  dataType: DataTypeCode;
  rawData: Uint8Array;
}

/** An AttributeProto: exactly one of the value fields is set, as `type` says. */
export interface AttributeProtoData {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProtoData;
  floats?: number[];
  ints?: number[];
}

export interface NodeProtoData {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: AttributeProtoData[];
  docString?: string;
}

/** One dimension: a size, or a symbolic name, or neither (unknown). */
export interface DimensionData {
  dimValue?: number;
  dimParam?: string;
}

export interface ValueInfoProtoData {
  name: string;
  type: { tensorType: { elemType: DataTypeCode; shape: { dim: DimensionData[] } } };
  docString?: string;
}

export interface GraphProtoData {
  name: string;
  node: NodeProtoData[];
  initializer: TensorProtoData[];
  input: ValueInfoProtoData[];
  output: ValueInfoProtoData[];
  docString?: string;
}

export interface ModelProtoData {
  irVersion: number;
  opsetImport: Array<{ domain: string; version: number }>;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: GraphProtoData;
  metadataProps?: Array<{ key: string; value: string }>;
}

const SCALARS = new Set(["int64", "int32", "float", "double"]);

/**
 * A message type from [name, number, type, rule?] rows. onnx.proto is proto2,
 * where repeated numbers are written unpacked unless marked otherwise.
 */
function message(name: string, fields: Array<[string, number, string, "repeated"?]>): protobuf.Type {
  const type = new Type(name);
  for (const [fieldName, id, fieldType, rule] of fields) {
    const options = rule === "repeated" && SCALARS.has(fieldType) ? { packed: false } : undefined;
    type.add(new Field(fieldName, id, fieldType, rule, undefined, options));
  }
  return type;
}

function buildRoot(): protobuf.Root {
  const dimension = message("Dimension", [
    ["dimValue", 1, "int64"],
    ["dimParam", 2, "string"],
    ["denotation", 3, "string"],
  ]);
  const tensorShape = message("TensorShapeProto", [["dim", 1, "Dimension", "repeated"]]).add(dimension);
  const tensorType = message("Tensor", [
    ["elemType", 1, "int32"],
    ["shape", 2, "TensorShapeProto"],
  ]);
  const typeProto = message("TypeProto", [
    ["tensorType", 1, "Tensor"],
    ["denotation", 6, "string"],
  ]).add(tensorType);
  const tensorProto = message("TensorProto", [
    ["dims", 1, "int64", "repeated"],
    ["dataType", 2, "int32"],
    ["name", 8, "string"],
    ["rawData", 9, "bytes"],
    ["docString", 12, "string"],
  ]);
  const attributeType = new Enum("AttributeType", {
    UNDEFINED: 0,
    FLOAT: 1,
    INT: 2,
    STRING: 3,
    TENSOR: 4,
    GRAPH: 5,
    FLOATS: 6,
    INTS: 7,
    STRINGS: 8,
    TENSORS: 9,
    GRAPHS: 10,
  });
  const attributeProto = message("AttributeProto", [
    ["name", 1, "string"],
    ["f", 2, "float"],
    ["i", 3, "int64"],
    ["s", 4, "bytes"],
    ["t", 5, "TensorProto"],
    ["floats", 7, "float", "repeated"],
    ["ints", 8, "int64", "repeated"],
    ["docString", 13, "string"],
    ["type", 20, "AttributeType"],
  ]).add(attributeType);
  const nodeProto = message("NodeProto", [
    ["input", 1, "string", "repeated"],
    ["output", 2, "string", "repeated"],
    ["name", 3, "string"],
    ["opType", 4, "string"],
    ["attribute", 5, "AttributeProto", "repeated"],
    ["docString", 6, "string"],
    ["domain", 7, "string"],
  ]);
  const valueInfoProto = message("ValueInfoProto", [
    ["name", 1, "string"],
    ["type", 2, "TypeProto"],
    ["docString", 3, "string"],
  ]);
  const graphProto = message("GraphProto", [
    ["node", 1, "NodeProto", "repeated"],
    ["name", 2, "string"],
    ["initializer", 5, "TensorProto", "repeated"],
    ["docString", 10, "string"],
    ["input", 11, "ValueInfoProto", "repeated"],
    ["output", 12, "ValueInfoProto", "repeated"],
    ["valueInfo", 13, "ValueInfoProto", "repeated"],
  ]);
  const operatorSetId = message("OperatorSetIdProto", [
    ["domain", 1, "string"],
    ["version", 2, "int64"],
  ]);
  const stringStringEntry = message("StringStringEntryProto", [
    ["key", 1, "string"],
    ["value", 2, "string"],
  ]);
  const modelProto = message("ModelProto", [
    ["irVersion", 1, "int64"],
    ["producerName", 2, "string"],
    ["producerVersion", 3, "string"],
    ["domain", 4, "string"],
    ["modelVersion", 5, "int64"],
    ["docString", 6, "string"],
    ["graph", 7, "GraphProto"],
    ["opsetImport", 8, "OperatorSetIdProto", "repeated"],
    ["metadataProps", 14, "StringStringEntryProto", "repeated"],
  ]);
  const onnx = new protobuf.Namespace("onnx");
  for (const t of [tensorShape, typeProto, tensorProto, attributeProto, nodeProto, valueInfoProto, graphProto, operatorSetId, stringStringEntry, modelProto]) {
    onnx.add(t);
  }
  const root = new Root();
  root.add(onnx);
  root.resolveAll();
  return root;
}

const root = buildRoot();
const modelType = root.lookupType("onnx.ModelProto");

/** A ModelProto as bytes (protobufjs checks every field against the schema first). */
export function encodeModel(model: ModelProtoData): Uint8Array {
  const problem = modelType.verify(model);
  if (problem !== null) throw new Error(`toOnnx: internal error, the ModelProto does not fit the schema: ${problem}`);
  return modelType.encode(modelType.fromObject(model)).finish();
}

/** Bytes back to a plain ModelProto (int64 fields as numbers, bytes as Uint8Array): for tests and tools. */
export function decodeModel(bytes: Uint8Array): ModelProtoData {
  const decoded = modelType.decode(bytes);
  return modelType.toObject(decoded, { longs: Number, defaults: false, arrays: true }) as ModelProtoData;
}
