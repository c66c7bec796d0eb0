/**
 * A checkpoint back to the model that wrote it: LeNet for train-mnist, the
 * Kim CNN for train-sentiment (its sizes read from the saved weights, the
 * padded sentence length from the checkpoint's settings), with an example
 * input of the shape the model takes.
 */
import { loadCheckpoint, type Checkpoint } from "@minitorch/app-common";
import { Random } from "@minitorch/autodiff";
import type { Module } from "@minitorch/nn";
import { rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { CLASSES, HEIGHT, LeNet, WIDTH } from "@minitorch/train-mnist";
import { KimCNN } from "@minitorch/train-sentiment";

/**
 * The longest padded sentence a checkpoint may declare: far above any
 * real corpus's, far below what would make the example input (and every
 * activation of the export's trace) exhaust memory.
 */
export const MAX_SENTENCE_LENGTH = 4096;

/** The apps whose checkpoints can be exported. */
export const APPS = ["train-mnist", "train-sentiment"] as const;
export type AppName = (typeof APPS)[number];

export interface RebuiltModel {
  app: AppName;
  checkpoint: Checkpoint;
  /** In evaluation mode, with the checkpoint's parameters. */
  model: Module;
  /** One input of the shape the model takes ([1, …]). */
  example: Tensor;
  /** What the input and the output hold, for people using the exported file. */
  inputMeaning: string;
  outputMeaning: string;
}

/**
 * Reads checkpoint `file` (written by train-mnist or train-sentiment) and
 * rebuilds its model on `backend`.
 *
 * @throws Error naming the file when it is not such a checkpoint or does not fit the model.
 */
export function rebuildModel(file: string, backend: TensorBackend): RebuiltModel {
  const checkpoint = loadCheckpoint(file, APPS);
  const app = checkpoint.app as AppName;
  const random = new Random(1);
  let model: Module;
  let example: Tensor;
  let inputMeaning: string;
  let outputMeaning: string;
  if (app === "train-mnist") {
    model = new LeNet({ backend });
    example = rand([1, 1, HEIGHT, WIDTH], backend, random).mul(255);
    inputMeaning = `MNIST images, pixel values 0..255`;
    outputMeaning = `log-probabilities of the digits 0..${CLASSES - 1}`;
  } else {
    const conv = (name: string): readonly number[] => {
      const saved = checkpoint.model[name];
      if (saved === undefined || saved.shape.length !== 3) throw new Error(`checkpoint ${file} has no 3-D "${name}" (a Kim CNN convolution)`);
      return saved.shape;
    };
    const [featureMapSize, embeddingSize] = conv("conv1.weights") as [number, number, number];
    const filterSizes = [conv("conv1.weights")[2]!, conv("conv2.weights")[2]!, conv("conv3.weights")[2]!] as const;
    const maxLen = checkpoint.settings.maxLen;
    if (typeof maxLen !== "number" || !Number.isInteger(maxLen) || maxLen < Math.max(...filterSizes)) {
      throw new Error(`checkpoint ${file} has no valid settings.maxLen (the padded sentence length), got ${JSON.stringify(maxLen)}`);
    }
    if (maxLen > MAX_SENTENCE_LENGTH) {
      throw new Error(`checkpoint ${file}: settings.maxLen ${maxLen} is not a plausible padded sentence length (at most ${MAX_SENTENCE_LENGTH} words); the file was edited or damaged`);
    }
    model = new KimCNN({ backend, featureMapSize, embeddingSize, filterSizes });
    example = rand([1, maxLen, embeddingSize], backend, random).sub(0.5).mul(0.1);
    inputMeaning = `${embeddingSize}-d word embeddings of sentences zero-padded to ${maxLen} words`;
    outputMeaning = "probability that each sentence is positive";
  }
  try {
    model.loadStateDict(checkpoint.model);
  } catch (e) {
    throw new Error(`checkpoint ${file} does not fit the ${app} model: ${(e as Error).message}`);
  }
  model.eval();
  return { app, checkpoint, model, example, inputMeaning, outputMeaning };
}
