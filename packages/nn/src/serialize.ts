/**
 * Saving and loading a model's parameters to a file (Node only: this file
 * alone in nn touches the file system). The format is safetensors, which
 * PyTorch reads with `safetensors.torch.load_file`: an 8-byte
 * little-endian header length N, N bytes of JSON naming each tensor's dtype,
 * shape and byte range (`data_offsets`, from the end of the header), then
 * the raw little-endian values. A file is written to a temporary name and
 * renamed, so an interrupted save never leaves half a file.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { Tensor, shapeSize } from "@minitorch/tensor-core";
import type { Module, StateDict } from "./module.js";
import { checkOptions } from "./optim.js";

/** Element types this reader and writer know: float32 and float64. */
export type SafetensorsDtype = "F32" | "F64";

/** One tensor read from a safetensors file, its values widened to float64. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float64Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8 };

/** The bytes of a safetensors file holding `entries` (name → tensor, written row-major) as `dtype`. */
export function encodeSafetensors(entries: ReadonlyArray<readonly [string, Tensor]>, dtype: SafetensorsDtype = "F64", metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const [name, t] of entries) {
    if (seen.has(name) || name === "__metadata__") throw new Error(`encodeSafetensors: tensor name "${name}" is repeated or reserved`);
    seen.add(name);
    const bytes = t.size * BYTES[dtype];
    header[name] = { dtype, shape: t.shape.slice(), data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  // The header is padded with spaces to a multiple of 8 bytes, as the reference writer does, so the data stays aligned.
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    const values = t.toFloat64Array();
    for (let i = 0; i < values.length; i++, at += BYTES[dtype]) {
      if (dtype === "F64") view.setFloat64(at, values[i]!, true);
      else view.setFloat32(at, values[i]!, true);
    }
  }
  return out;
}

/** The tensors of a safetensors file's bytes; `source` names it in errors, which give the byte offset. */
export function decodeSafetensors(bytes: Uint8Array, source = "safetensors"): Map<string, SafetensorsEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new Error(`${source}: file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`${source}: header length ${n} (at byte 0) runs past the end of the ${bytes.length}-byte file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${source}: the header at bytes 8–${8 + n} is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const out = new Map<string, SafetensorsEntry>();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: offsets } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (dtype !== "F32" && dtype !== "F64") throw new Error(`${source}: tensor "${name}" has dtype ${JSON.stringify(dtype)}; only "F32" and "F64" are read`);
    if (!Array.isArray(shape) || shape.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new Error(`${source}: tensor "${name}" has shape ${JSON.stringify(shape)}, expected non-negative integers`);
    }
    const size = shapeSize(shape as number[]);
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets[1] - offsets[0] !== size * BYTES[dtype] || offsets[0] < 0) {
      throw new Error(`${source}: tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, expected ${size * BYTES[dtype]} bytes for shape [${shape.join(", ")}]`);
    }
    const begin = dataStart + (offsets[0] as number);
    if (begin + size * BYTES[dtype] > bytes.length) {
      throw new Error(`${source}: tensor "${name}" ends at byte ${begin + size * BYTES[dtype]}, past the end of the ${bytes.length}-byte file`);
    }
    const data = new Float64Array(size);
    for (let i = 0; i < size; i++) data[i] = dtype === "F64" ? view.getFloat64(begin + 8 * i, true) : view.getFloat32(begin + 4 * i, true);
    out.set(name, { dtype, shape: shape as number[], data });
  }
  return out;
}

/** Writes `bytes` to `file` through a temporary file in the same directory and a rename. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const temp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = openSync(temp, "w");
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** The model's tensor parameters under its own names (`weights`, `0.bias`, …). */
function ownState(model: Module<unknown>): Array<[string, Tensor]> {
  return model.namedParameters().flatMap(([name, p]): Array<[string, Tensor]> => (p.value instanceof Tensor ? [[name, p.value]] : []));
}

/**
 * Saves the model's parameters under this library's names and layouts, in
 * float64 (exact), for `loadStateDict`. The file is safetensors, so other
 * tools read it too; for PyTorch's names and layouts use saveSafetensors.
 */
export function saveStateDict(model: Module<unknown>, file: string): void {
  writeFileAtomic(file, encodeSafetensors(ownState(model), "F64", { format: "minitorch" }));
}

/**
 * Loads parameters saved by saveStateDict into `model`, in place. Every
 * parameter must be in the file with the same shape, and the file must
 * hold no other; errors name the file and the parameter.
 */
export function loadStateDict(model: Module<unknown>, file: string): void {
  const entries = decodeSafetensors(readFileSync(file), file);
  const state: StateDict = {};
  for (const [name, e] of entries) state[name] = { shape: e.shape, data: Array.from(e.data) };
  try {
    model.loadStateDict(state);
  } catch (e) {
    throw new Error(`loadStateDict: ${file}: ${(e as Error).message.replace(/^loadStateDict: /, "")}`);
  }
}

/** Options of saveSafetensors. */
export interface SafetensorsOptions {
  /** Element type written: "F32" (default, what PyTorch modules hold) or "F64". */
  dtype?: SafetensorsDtype;
}

/**
 * Writes the model's parameters as PyTorch's equivalent module holds them
 * in its state_dict (Module.torchState): `safetensors.torch.load_file`
 * gives a dict that `torch_module.load_state_dict(…, strict=True)` takes.
 * Linear's weight is written transposed ([out, in]); Conv1d/Conv2d biases
 * as [out]; Sequential's children as "0.", "1.", ….
 */
export function saveSafetensors(model: Module<unknown>, file: string, options: SafetensorsOptions = {}): void {
  checkOptions("saveSafetensors", options, ["dtype"]);
  const dtype = options.dtype ?? "F32";
  if (dtype !== "F32" && dtype !== "F64") throw new RangeError(`saveSafetensors: dtype must be "F32" or "F64", got ${JSON.stringify(dtype)}`);
  writeFileAtomic(file, encodeSafetensors(model.torchState(), dtype));
}

/** The tensors of a safetensors file, by name (values as float64). */
export function readSafetensors(file: string): Map<string, SafetensorsEntry> {
  return decodeSafetensors(readFileSync(file), file);
}
