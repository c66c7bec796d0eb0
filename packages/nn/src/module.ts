/**
 * Module 0 (task 0.4): `Module` and `Parameter`, the tree that networks are
 * built as. A module's parameters and submodules are its own properties that
 * hold a `Parameter` or a `Module`, found by walking the object — the
 * TypeScript counterpart of minitorch's `__setattr__` bookkeeping.
 */
import { NODE_INSPECT, Tensor, shapeSize } from "@minitorch/tensor-core";

/** Anything that can be told to track gradients. */
interface GradTracking {
  requiresGrad_(flag?: boolean): unknown;
  name?: string | undefined;
}

function tracksGrad(x: unknown): x is GradTracking {
  return typeof x === "object" && x !== null && typeof (x as GradTracking).requiresGrad_ === "function";
}

/** A value owned by a module and trained by an optimizer; tensors in it track gradients. */
export class Parameter<T = Tensor> {
  constructor(
    public value: T,
    public name?: string,
  ) {
    this.track();
  }

  /** Replace the value (it then tracks gradients too). */
  update(x: T): void {
    this.value = x;
    this.track();
  }

  private track(): void {
    if (tracksGrad(this.value)) {
      this.value.requiresGrad_(true);
      if (this.name !== undefined) this.value.name = this.name;
    }
  }

  toString(): string {
    return `Parameter(${String(this.value)})`;
  }
}

/** A saved parameter: its shape and values in row-major order. */
export interface SavedTensor {
  shape: number[];
  data: number[];
}

/** Named parameters as plain data, from `stateDict()`. */
export type StateDict = Record<string, SavedTensor>;

/**
 * Base class of networks and layers. Subclasses assign submodules and
 * parameters to their own properties and define `forward`.
 */
export class Module<V = Tensor> {
  /** True in training mode (the default), false in evaluation mode. */
  training = true;

  /** The direct submodules, with their property names, in definition order. */
  namedChildren(): Array<[string, Module<V>]> {
    // BEGIN ASSIGN0.4
    return Object.entries(this).filter((e): e is [string, Module<V>] => e[1] instanceof Module);
    // END ASSIGN0.4
  }

  /** The direct submodules. */
  children(): Module<V>[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), with their names. */
  ownParameters(): Array<[string, Parameter<V>]> {
    // BEGIN ASSIGN0.4
    return Object.entries(this).filter((e): e is [string, Parameter<V>] => e[1] instanceof Parameter);
    // END ASSIGN0.4
  }

  /** Every module below this one, depth first (this one excluded). */
  modules(): Module<V>[] {
    // BEGIN ASSIGN0.4
    return this.children().flatMap((m) => [m, ...m.modules()]);
    // END ASSIGN0.4
  }

  /** Set training mode on this module and all its descendants. */
  train(): this {
    // BEGIN ASSIGN0.4
    this.training = true;
    for (const m of this.modules()) m.training = true;
    return this;
    // END ASSIGN0.4
  }

  /** Set evaluation mode on this module and all its descendants. */
  eval(): this {
    // BEGIN ASSIGN0.4
    this.training = false;
    for (const m of this.modules()) m.training = false;
    return this;
    // END ASSIGN0.4
  }

  /** "train" or "eval". */
  get mode(): "train" | "eval" {
    return this.training ? "train" : "eval";
  }

  /**
   * All parameters of this module and its descendants, named by their
   * property path: `"weight"`, `"conv1.bias"`, `"a.b.c"`.
   */
  namedParameters(): Array<[string, Parameter<V>]> {
    // BEGIN ASSIGN0.4
    const out: Array<[string, Parameter<V>]> = [...this.ownParameters()];
    for (const [name, child] of this.namedChildren()) {
      for (const [sub, p] of child.namedParameters()) out.push([`${name}.${sub}`, p]);
    }
    return out;
    // END ASSIGN0.4
  }

  /**
   * All parameters of this module and its descendants. Typed by the
   * module's value type: tensors unless declared (`Module<Scalar>` for the
   * scalar networks of Module 1).
   */
  parameters(): Parameter<V>[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Add a parameter as property `name` and return it. */
  addParameter<T>(name: string, value: T): Parameter<T> {
    if (name in this) throw new Error(`addParameter: ${this.constructor.name} already has a property "${name}"`);
    const p = new Parameter(value, name);
    Object.defineProperty(this, name, { value: p, enumerable: true, writable: true, configurable: true });
    return p;
  }

  /** The module's computation; subclasses define it. */
  forward(..._inputs: unknown[]): unknown {
    throw new Error(`${this.constructor.name}.forward must be defined by the subclass`);
  }

  /** The tensor parameters as plain arrays, by dotted name. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) {
      if (p.value instanceof Tensor) {
        out[name] = { shape: p.value.shape.slice(), data: Array.from(p.value.toFloat64Array()) };
      }
    }
    return out;
  }

  /**
   * Loads `state` into the tensor parameters in place (optimizers keep
   * working on the same tensors). Every parameter must be present with the
   * same shape and finite values; unknown names are an error.
   */
  loadStateDict(state: StateDict): void {
    const params = new Map(this.namedParameters().filter(([, p]) => p.value instanceof Tensor));
    for (const name of Object.keys(state)) {
      if (!params.has(name)) throw new Error(`loadStateDict: unexpected parameter "${name}" (model has ${[...params.keys()].join(", ")})`);
    }
    for (const [name, p] of params) {
      const saved = state[name];
      if (saved === undefined) throw new Error(`loadStateDict: missing parameter "${name}"`);
      const t = p.value as Tensor;
      const same = saved.shape.length === t.dims && saved.shape.every((s, i) => s === t.shape[i]);
      if (!same || saved.data.length !== shapeSize(saved.shape)) {
        throw new Error(
          `loadStateDict: parameter "${name}" has shape [${t.shape.join(", ")}], saved shape is [${saved.shape.join(", ")}] with ${saved.data.length} values`,
        );
      }
      const bad = saved.data.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
      if (bad >= 0) {
        throw new Error(`loadStateDict: parameter "${name}" value ${bad} is ${String(saved.data[bad])}, not a finite number`);
      }
    }
    for (const [name, p] of params) {
      const t = p.value as Tensor;
      const values = state[name]!.data;
      let i = 0;
      for (const index of t.data.indices()) t.set(index, values[i++]!);
    }
  }

  /** The layer's settings as its line in `toString()` shows them (PyTorch's extra_repr). */
  extraRepr(): string {
    return "";
  }

  /** The module tree as PyTorch prints it: `Sequential(\n  (0): Linear(in_features=2, out_features=10)\n  …\n)`. */
  toString(): string {
    const extra = this.extraRepr();
    const lines = this.namedChildren().map(([name, m]) => `  (${name}): ${String(m).replace(/\n/g, "\n  ")}`);
    if (lines.length === 0) return `${this.constructor.name}(${extra})`;
    return `${this.constructor.name}(\n${extra ? `  ${extra}\n` : ""}${lines.join("\n")}\n)`;
  }
  /** What Node's console.log shows: the same tree. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  /**
   * The tensors PyTorch's equivalent module holds in its state_dict, named
   * and shaped as there: this module's own (see `ownTorchState`), then each
   * child's under `child.`. Used by saveSafetensors.
   */
  torchState(): Array<[string, Tensor]> {
    const out = this.ownTorchState();
    for (const [name, child] of this.namedChildren()) {
      for (const [sub, t] of child.torchState()) out.push([`${name}.${sub}`, t]);
    }
    return out;
  }
  /** This module's own tensors for PyTorch; by default its tensor parameters as they are. Layers whose layout differs override it. */
  protected ownTorchState(): Array<[string, Tensor]> {
    return this.ownParameters().flatMap(([name, p]): Array<[string, Tensor]> => (p.value instanceof Tensor ? [[name, p.value]] : []));
  }
}
