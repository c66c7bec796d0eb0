/**
 * Layers with minitorch's initialisation: every weight and bias drawn
 * uniformly from [−0.05, 0.05) by the library's seedable generator.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { fromArray, getDefaultBackend, rand, type Dtype, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { Module, Parameter } from "./module.js";

/** Where a layer's parameters live and how they are drawn. */
export interface LayerOptions {
  /** Defaults to the default backend (setDefaultBackend; SimpleBackend unless changed). */
  backend?: TensorBackend;
  /** "float64" (the default) or "float32": the dtype of the parameters, and so of the inputs the layer takes. */
  dtype?: Dtype;
  /** Defaults to the library's default generator. */
  random?: Random;
}

/**
 * A parameter of `shape`, uniform in [−0.05, 0.05): minitorch's RParam.
 * A float32 parameter is the float64 one rounded, so one seed gives one
 * model in either dtype.
 */
export function randomParameter(shape: readonly number[], options: LayerOptions = {}, layer = "randomParameter"): Parameter<Tensor> {
  const backend = options.backend ?? getDefaultBackend();
  const dtype = options.dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32") {
    throw new TypeError(`${layer}: options.dtype must be "float64" or "float32", got ${JSON.stringify(dtype)}`);
  }
  const r = rand(shape, backend, options.random ?? defaultRandom);
  const s = r.storage;
  for (let i = 0; i < s.length; i++) s[i] = 0.1 * (s[i]! - 0.5);
  return new Parameter(dtype === "float64" ? r : fromArray(s, shape, { backend, dtype }));
}

function checkSize(value: number, what: string, layer: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${layer}: ${what} must be a positive integer, got ${value}`);
}

/** Fully connected layer: [batch, inSize] → [batch, outSize], x · W + b. */
export class Linear extends Module {
  readonly weights: Parameter<Tensor>;
  readonly bias: Parameter<Tensor>;

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    options: LayerOptions = {},
  ) {
    super();
    checkSize(inSize, "inSize", "Linear");
    checkSize(outSize, "outSize", "Linear");
    this.weights = randomParameter([inSize, outSize], options, "Linear");
    this.bias = randomParameter([outSize], options, "Linear");
  }

  override forward(x: Tensor): Tensor {
    if (x.dims !== 2 || x.shape[1] !== this.inSize) {
      throw new RangeError(`Linear: input must be [batch, ${this.inSize}], got shape [${x.shape.join(", ")}]`);
    }
    return x.matmul(this.weights.value).add(this.bias.value);
  }
  override extraRepr(): string {
    return `in_features=${this.inSize}, out_features=${this.outSize}`;
  }
  /** PyTorch's Linear holds `weight` as [out, in] (it computes x · Wᵀ + b); this one holds [in, out]. */
  protected override ownTorchState(): Array<[string, Tensor]> {
    return [
      ["weight", this.weights.value.transpose(0, 1)],
      ["bias", this.bias.value],
    ];
  }
}

/** 1-D convolution layer: [batch, inChannels, width] → [batch, outChannels, width], with a bias per channel. */
export class Conv1d extends Module {
  readonly weights: Parameter<Tensor>;
  readonly bias: Parameter<Tensor>;

  constructor(inChannels: number, outChannels: number, kernelWidth: number, options: LayerOptions = {}) {
    super();
    checkSize(inChannels, "inChannels", "Conv1d");
    checkSize(outChannels, "outChannels", "Conv1d");
    checkSize(kernelWidth, "kernelWidth", "Conv1d");
    this.weights = randomParameter([outChannels, inChannels, kernelWidth], options, "Conv1d");
    this.bias = randomParameter([1, outChannels, 1], options, "Conv1d");
  }

  override forward(input: Tensor): Tensor {
    return conv1d(input, this.weights.value).add(this.bias.value);
  }
  override extraRepr(): string {
    const [outChannels, inChannels, k] = this.weights.value.shape;
    return `in_channels=${inChannels}, out_channels=${outChannels}, kernel_size=(${k},)`;
  }
  /** PyTorch's Conv1d: the same weight [out, in, k], its bias as [out]. */
  protected override ownTorchState(): Array<[string, Tensor]> {
    return [
      ["weight", this.weights.value],
      ["bias", this.bias.value.reshape(-1)],
    ];
  }
}

/** 2-D convolution layer: [batch, inChannels, h, w] → [batch, outChannels, h, w], with a bias per channel. */
export class Conv2d extends Module {
  readonly weights: Parameter<Tensor>;
  readonly bias: Parameter<Tensor>;

  constructor(inChannels: number, outChannels: number, kh: number, kw: number, options: LayerOptions = {}) {
    super();
    checkSize(inChannels, "inChannels", "Conv2d");
    checkSize(outChannels, "outChannels", "Conv2d");
    checkSize(kh, "kh", "Conv2d");
    checkSize(kw, "kw", "Conv2d");
    this.weights = randomParameter([outChannels, inChannels, kh, kw], options, "Conv2d");
    this.bias = randomParameter([outChannels, 1, 1], options, "Conv2d");
  }

  override forward(input: Tensor): Tensor {
    return conv2d(input, this.weights.value).add(this.bias.value);
  }
  override extraRepr(): string {
    const [outChannels, inChannels, kh, kw] = this.weights.value.shape;
    return `in_channels=${inChannels}, out_channels=${outChannels}, kernel_size=(${kh}, ${kw})`;
  }
  /** PyTorch's Conv2d: the same weight [out, in, kh, kw], its bias as [out]. */
  protected override ownTorchState(): Array<[string, Tensor]> {
    return [
      ["weight", this.weights.value],
      ["bias", this.bias.value.reshape(-1)],
    ];
  }
}
