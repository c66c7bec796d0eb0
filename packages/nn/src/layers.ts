/**
 * Layers with minitorch's initialisation: every weight and bias drawn
 * uniformly from [−0.05, 0.05) by the library's seedable generator.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { getDefaultBackend, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { Module, Parameter } from "./module.js";

/** Where a layer's parameters live and how they are drawn. */
export interface LayerOptions {
  /** Defaults to the default backend (setDefaultBackend; SimpleBackend unless changed). */
  backend?: TensorBackend;
  /** Defaults to the library's default generator. */
  random?: Random;
}

/** A parameter of `shape`, uniform in [−0.05, 0.05): minitorch's RParam. */
export function randomParameter(shape: readonly number[], options: LayerOptions = {}): Parameter<Tensor> {
  const backend = options.backend ?? getDefaultBackend();
  const r = rand(shape, backend, options.random ?? defaultRandom);
  const s = r.storage;
  for (let i = 0; i < s.length; i++) s[i] = 0.1 * (s[i]! - 0.5);
  return new Parameter(r);
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
    this.weights = randomParameter([inSize, outSize], options);
    this.bias = randomParameter([outSize], options);
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
    this.weights = randomParameter([outChannels, inChannels, kernelWidth], options);
    this.bias = randomParameter([1, outChannels, 1], options);
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
    this.weights = randomParameter([outChannels, inChannels, kh, kw], options);
    this.bias = randomParameter([outChannels, 1, 1], options);
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
