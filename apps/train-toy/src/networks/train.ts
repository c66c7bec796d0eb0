/**
 * The training loops of minitorch's run_scalar.py, run_tensor.py and
 * run_fast_tensor.py as pure functions: no files, no console, no Node
 * modules, so a browser page can drive them an epoch at a time. Each
 * trainer minimises the binary cross-entropy −log p(label) with plain SGD.
 */
import { Random, Scalar } from "@minitorch/autodiff";
import { SGD } from "@minitorch/nn";
import { SimpleBackend, tensor, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { FastNetwork } from "./fast.js";
import { ScalarNetwork } from "./scalar.js";
import { TensorNetwork } from "./tensor.js";

/** A toy dataset as @minitorch/datasets makes it: N points and their 0/1 labels. */
export interface ToyData {
  readonly N: number;
  readonly X: readonly (readonly [number, number])[];
  readonly y: readonly number[];
}

/** What one epoch gives: the summed loss over the points and how many are classified right. */
export interface EpochResult {
  readonly loss: number;
  readonly correct: number;
}

/** The common shape of the toy networks: a forward pass and the parameters SGD moves. */
export interface ToyNetwork<X, Y> {
  forward(x: X): Y;
  parameters(): readonly { value: unknown }[];
}

/** A network with its data and optimizer: `epoch()` trains one pass over the data. */
export interface ToyTrainer<X = unknown, Y = unknown> {
  readonly model: ToyNetwork<X, Y>;
  epoch(): EpochResult;
  /** The probability of label 1 at each point of `points`. */
  predict(points: readonly (readonly [number, number])[]): number[];
}

/** Settings shared by the three trainers. */
export interface TrainerOptions {
  /** Width of the two hidden layers. */
  hidden: number;
  /** SGD's learning rate. */
  lr: number;
  /** The generator that draws the initial weights (and, for the fast trainer, the batch order). */
  random?: Random;
}

function checkData(owner: string, data: ToyData): void {
  if (data.N < 1 || data.X.length !== data.N || data.y.length !== data.N) {
    throw new RangeError(`${owner}: data must hold N ≥ 1 points and N labels, got N = ${data.N}, ${data.X.length} points, ${data.y.length} labels`);
  }
}

/**
 * Task 1.5's loop (run_scalar.py): each point goes through the network
 * alone and its loss, divided by N, is backpropagated at once, so the
 * derivatives add up to the mean loss's; one SGD step per epoch.
 */
export function scalarTrainer(data: ToyData, o: TrainerOptions): ToyTrainer<readonly [Scalar, Scalar], Scalar> {
  checkData("scalarTrainer", data);
  const model = new ScalarNetwork(o.hidden, o.random ?? new Random(0));
  const optim = new SGD(model.parameters(), o.lr);
  return {
    model,
    epoch() {
      let loss = 0;
      let correct = 0;
      optim.zeroGrad();
      for (let i = 0; i < data.N; i++) {
        const [x1, x2] = data.X[i]!;
        const out = model.forward([new Scalar(x1), new Scalar(x2)]);
        const label = data.y[i] === 1;
        const prob = label ? out : out.neg().add(1);
        if (label ? out.data > 0.5 : out.data < 0.5) correct++;
        const pointLoss = prob.log().neg();
        pointLoss.div(data.N).backward();
        loss += pointLoss.data;
      }
      optim.step();
      return { loss, correct };
    },
    predict: (points) => points.map(([x1, x2]) => model.forward([new Scalar(x1), new Scalar(x2)]).data),
  };
}

/** p(label): out where the label is 1, 1 − out where it is 0, written as minitorch does. */
function labelProbability(out: Tensor, y: Tensor): Tensor {
  return out.mul(y).add(out.sub(1).mul(y.sub(1)));
}

/** Points classified right: output above 0.5 where the label is 1, not above where it is 0. */
function countCorrect(out: Tensor, y: Tensor): number {
  return out.detach().gt(0.5).eq(y).sum().item();
}

function predictTensor(model: ToyNetwork<Tensor, Tensor>, points: readonly (readonly [number, number])[], backend: TensorBackend): number[] {
  if (points.length === 0) return [];
  const out = model.forward(tensor(points.map(([a, b]) => [a, b]), { backend })).detach();
  return Array.from(out.toFloat64Array());
}

/**
 * Task 2.5's loop (run_tensor.py): the whole dataset as one [N, 2] batch,
 * the mean loss backpropagated once, one SGD step per epoch.
 */
export function tensorTrainer(data: ToyData, o: TrainerOptions & { backend?: TensorBackend }): ToyTrainer<Tensor, Tensor> {
  checkData("tensorTrainer", data);
  const backend = o.backend ?? SimpleBackend;
  const model = new TensorNetwork(o.hidden, { backend, random: o.random ?? new Random(0) });
  const optim = new SGD(model.parameters(), o.lr);
  const X = tensor(data.X.map(([a, b]) => [a, b]), { backend });
  const y = tensor([...data.y], { backend });
  return {
    model,
    epoch() {
      optim.zeroGrad();
      const out = model.forward(X).view(data.N);
      const loss = labelProbability(out, y).log().neg();
      loss.div(data.N).sum().view(1).backward();
      optim.step();
      return { loss: loss.sum().item(), correct: countCorrect(out, y) };
    },
    predict: (points) => predictTensor(model, points, backend),
  };
}

/** Fisher–Yates: the indices 0 … n−1 in an order drawn from `random`. */
function shuffled(n: number, random: Random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Task 3.5's loop (run_fast_tensor.py): the points shuffled each epoch and
 * trained in mini-batches of `batchSize` (10), one SGD step per batch, on
 * `backend`. The epoch's loss is the sum over its batches (minitorch's
 * script prints only the last batch's, which is not comparable with the
 * other two trainers), and the points classified right are counted after
 * the epoch, over the whole set.
 */
export function fastTrainer(data: ToyData, o: TrainerOptions & { backend: TensorBackend; batchSize?: number }): ToyTrainer<Tensor, Tensor> {
  checkData("fastTrainer", data);
  const batchSize = o.batchSize ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fastTrainer: batchSize must be a positive integer, got ${batchSize}`);
  const random = o.random ?? new Random(0);
  const { backend } = o;
  const model = new FastNetwork(o.hidden, backend, random);
  const optim = new SGD(model.parameters(), o.lr);
  const allX = tensor(data.X.map(([a, b]) => [a, b]), { backend });
  const allY = tensor([...data.y], { backend });
  return {
    model,
    epoch() {
      const order = shuffled(data.N, random);
      let loss = 0;
      for (let start = 0; start < data.N; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        optim.zeroGrad();
        const X = tensor(batch.map((i) => [data.X[i]![0], data.X[i]![1]]), { backend });
        const y = tensor(batch.map((i) => data.y[i]!), { backend });
        const out = model.forward(X).view(batch.length);
        const batchLoss = labelProbability(out, y).log().neg();
        batchLoss.div(batch.length).sum().view(1).backward();
        optim.step();
        loss += batchLoss.sum().item();
      }
      const out = model.forward(allX).view(data.N);
      return { loss, correct: countCorrect(out, allY) };
    },
    predict: (points) => predictTensor(model, points, backend),
  };
}

/**
 * minitorch's log line, as its scripts print it with Python's print():
 * `Epoch  10  loss  12.3 correct 45`, and for Task 3.5 the time per epoch.
 */
export function epochLine(epoch: number, r: EpochResult, secondsPerEpoch?: number): string {
  const line = `Epoch  ${epoch}  loss  ${r.loss} correct ${r.correct}`;
  return secondsPerEpoch === undefined ? line : `${line} time per epoch ${secondsPerEpoch.toFixed(4)} s`;
}

/** minitorch's scripts log every 10th epoch and the last. */
export function isLogEpoch(epoch: number, maxEpochs: number): boolean {
  return epoch % 10 === 0 || epoch === maxEpochs;
}
