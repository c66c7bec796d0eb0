/**
 * Elementwise ops defined in one place: a differentiable y = f(x) from two
 * scalar functions, f and its backward, plus what the backends and
 * exporters above tensor-core need to know of it — the WGSL a GPU shader
 * computes it with, and the ONNX operator it is. The CPU backends run the
 * scalar functions themselves (FastBackend sends them to its workers as
 * source, so they must be self-contained); GpuBackend reads `wgsl`; toOnnx
 * reads the Function's `onnx`. See "Adding an op" in docs/architecture.md.
 */
import type { Context } from "@minitorch/autodiff";
import { Tensor } from "./tensor.js";
import { TensorFunction, type TensorFunctionClass } from "./tensorFunctions.js";
import type { BinaryFn, MapFn, TensorBackend, UnaryFn, ZipFn } from "./tensorOps.js";

/** A scalar function that may say how a WGSL shader computes it. */
export type ShaderFn<F> = F & {
  /** The body of `fn apply(x: f32) -> f32` (or `(x: f32, y: f32)`), ending in a return. */
  readonly wgsl?: string;
};

/** What defines an elementwise op. */
export interface UnaryOpDefinition {
  /** The op's name, as errors, graphs and profiles show it ("swish"). */
  readonly name: string;
  /** y = f(x). Self-contained: it may use its argument and the standard globals only. */
  readonly forward: UnaryFn;
  /** ∂L/∂x from x and ∂L/∂y. Self-contained likewise. */
  readonly backward: BinaryFn;
  /** WGSL bodies of the two functions over `x` (and `y` = ∂L/∂y), for GpuBackend. */
  readonly wgsl?: { readonly forward: string; readonly backward: string };
  /** The ONNX operator computing y from x, for toOnnx (e.g. "Elu"). */
  readonly onnx?: string;
}

/** An elementwise op: call it on a tensor; its Function records it in the graph. */
export interface UnaryOp {
  (x: Tensor): Tensor;
  readonly Function: TensorFunctionClass;
}

/** Defines an elementwise op with its backward, for every backend. */
export function unaryOp(def: UnaryOpDefinition): UnaryOp {
  const forward: ShaderFn<UnaryFn> = def.wgsl === undefined ? def.forward : Object.assign(def.forward, { wgsl: def.wgsl.forward });
  const backward: ShaderFn<BinaryFn> = def.wgsl === undefined ? def.backward : Object.assign(def.backward, { wgsl: def.wgsl.backward });
  // Each backend builds the two kernels once, on the op's first use there.
  const built = new WeakMap<TensorBackend, { map: MapFn; zip: ZipFn }>();
  const kernels = (backend: TensorBackend): { map: MapFn; zip: ZipFn } => {
    let k = built.get(backend);
    if (k === undefined) built.set(backend, (k = { map: backend.ops.map(forward), zip: backend.ops.zip(backward) }));
    return k;
  };

  class ElementwiseOp extends TensorFunction {
    static readonly onnx = def.onnx;

    static override forward(ctx: Context, x: Tensor): Tensor {
      ctx.saveForBackward(x);
      return kernels(x.backend).map(x);
    }

    static override backward(ctx: Context, grad: Tensor): Tensor {
      const [x] = ctx.saved<[Tensor]>();
      return kernels(grad.backend).zip(x, grad);
    }
  }
  const className = def.name.charAt(0).toUpperCase() + def.name.slice(1);
  Object.defineProperty(ElementwiseOp, "name", { value: className });
  const op = (x: Tensor): Tensor => {
    if (!(x instanceof Tensor)) throw new TypeError(`${def.name}: input must be a Tensor, got ${x === null ? "null" : typeof x}`);
    return ElementwiseOp.apply(x);
  };
  return Object.assign(op, { Function: ElementwiseOp as TensorFunctionClass });
}
