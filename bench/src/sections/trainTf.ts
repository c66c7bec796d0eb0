/**
 * The two training networks rebuilt in tfjs with the same shapes, for the
 * `train` section: forward, loss, gradients of the parameters and of the
 * input (held in a trainable variable, as minitorch's step sets
 * `x.requiresGrad_(true)`) with tf.variableGrads, and an SGD step on the
 * parameters. Layouts are NHWC / NWC; convolutions pad bottom/right by
 * k − 1 and run 'valid', matching minitorch's output sizes and flops.
 */
import type { Tf, TfTensor, TfTensor3D, TfTensor4D, TfWork } from "../tfjs.js";
import type { KimData, MnistData } from "./trainData.js";

type Variable = import("@tensorflow/tfjs").Variable;
type Scalar = import("@tensorflow/tfjs").Scalar;

/** A parameter drawn like minitorch's: uniform in [−0.05, 0.05). */
function param(tf: Tf, shape: number[]): Variable {
  return tf.variable(tf.randomUniform(shape, -0.05, 0.05));
}

/**
 * One optimisation step per call: the batch is uploaded from the typed
 * arrays, `loss` is differentiated with respect to `params` and the input
 * variable `x`, and SGD moves `params` only.
 */
function sgdStep(tf: Tf, x: Variable, params: Variable[], lr: number, upload: (step: number) => { input: TfTensor; target: TfTensor }, loss: (target: TfTensor) => TfTensor): TfWork {
  const optimizer = tf.train.sgd(lr);
  let step = 0;
  const run = (): void => {
    tf.tidy(() => {
      const { input, target } = upload(step++);
      x.assign(input);
      const { value, grads } = tf.variableGrads(() => loss(target) as Scalar, [x, ...params]);
      value.dataSync();
      delete grads[x.name];
      optimizer.applyGradients(grads);
    });
  };
  return { run, keep: [x, ...params] };
}

/** LeNet of apps/train-mnist: conv 1→4, conv 4→8 (3×3, ReLU), avgpool 4×4, linear 392→64 (ReLU, dropout 0.25), linear 64→10, log-softmax, NLL. */
export function tfLeNet(tf: Tf, data: MnistData, lr: number): TfWork {
  const { batch } = data;
  const [w1, b1, w2, b2] = [param(tf, [3, 3, 1, 4]), param(tf, [4]), param(tf, [3, 3, 4, 8]), param(tf, [8])];
  const [l1, lb1, l2, lb2] = [param(tf, [392, 64]), param(tf, [64]), param(tf, [64, 10]), param(tf, [10])];
  const x = tf.variable(tf.zeros([batch, 28, 28, 1]));
  const pad: Array<[number, number]> = [
    [0, 0],
    [0, 2],
    [0, 2],
    [0, 0],
  ];
  const conv = (h: TfTensor, w: Variable, b: Variable): TfTensor => tf.relu(tf.add(tf.conv2d(tf.pad(h, pad) as TfTensor4D, w as TfTensor4D, 1, "valid"), b));
  const upload = (step: number): { input: TfTensor; target: TfTensor } => {
    const start = (step % data.batches) * batch;
    const input = tf.tensor4d(Float32Array.from(data.pixels.subarray(start * 784, (start + batch) * 784)), [batch, 28, 28, 1]);
    const target = tf.tensor2d(Float32Array.from(data.oneHot.subarray(start * 10, (start + batch) * 10)), [batch, 10]);
    return { input, target };
  };
  const loss = (target: TfTensor): TfTensor => {
    let h = conv(conv(x, w1, b1), w2, b2);
    h = tf.reshape(tf.avgPool(h as TfTensor4D, 4, 4, "valid"), [batch, 392]);
    h = tf.dropout(tf.relu(tf.add(tf.matMul(h, l1), lb1)), 0.25);
    const logProbs = tf.logSoftmax(tf.add(tf.matMul(h, l2), lb2));
    return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, target), 1)));
  };
  return sgdStep(tf, x, [w1, b1, w2, b2, l1, lb1, l2, lb2], lr, upload, loss);
}

/** Kim-CNN of apps/train-sentiment: conv1d 100→100 with widths 3, 4, 5 (ReLU, max over time, summed), linear 100→1, dropout 0.25, sigmoid, BCE. */
export function tfKim(tf: Tf, data: KimData, lr: number): TfWork {
  const { batch, length, dim, features } = data;
  const convs = [3, 4, 5].map((k) => ({ k, w: param(tf, [k, dim, features]), b: param(tf, [features]) }));
  const [lw, lb] = [param(tf, [features, 1]), param(tf, [1])];
  const x = tf.variable(tf.zeros([batch, length, dim]));
  const upload = (step: number): { input: TfTensor; target: TfTensor } => {
    const start = (step % data.batches) * batch;
    const row = length * dim;
    const input = tf.tensor3d(Float32Array.from(data.embeddings.subarray(start * row, (start + batch) * row)), [batch, length, dim]);
    const target = tf.tensor1d(Float32Array.from(data.labels.slice(start, start + batch)));
    return { input, target };
  };
  const loss = (target: TfTensor): TfTensor => {
    let pooled: TfTensor | null = null;
    for (const { k, w, b } of convs) {
      const padded = tf.pad(x, [
        [0, 0],
        [0, k - 1],
        [0, 0],
      ]);
      const h = tf.relu(tf.add(tf.conv1d(padded as TfTensor3D, w as TfTensor3D, 1, "valid"), b));
      const m = tf.max(h, 1);
      pooled = pooled === null ? m : tf.add(pooled, m);
    }
    const h = tf.dropout(tf.add(tf.matMul(pooled!, lw), lb), 0.25);
    const p = tf.reshape(tf.sigmoid(h), [batch]);
    const likelihood = tf.add(tf.mul(p, target), tf.mul(tf.sub(p, 1), tf.sub(target, 1)));
    return tf.neg(tf.mean(tf.log(likelihood)));
  };
  return sgdStep(tf, x, [...convs.flatMap((c) => [c.w, c.b]), lw, lb], lr, upload, loss);
}
