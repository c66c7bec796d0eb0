/**
 * @minitorch/datasets — real and toy data as typed arrays and labels, with no
 * tensor dependency: the apps turn them into tensors.
 */
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  encodeIdxImages,
  encodeIdxLabels,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
  type IdxImageOptions,
  type IdxImages,
} from "./idx.js";
export { argmaxRows, oneHot, oneHotRows } from "./labels.js";
export {
  MNIST_SIZE,
  MNIST_FILE_NAMES,
  loadMnist,
  loadMnistPackage,
  MNIST_PACKAGE,
  readIdxPair,
  takeMnist,
  type MnistData,
  type MnistOptions,
  type MnistPool,
  type MnistSplit,
} from "./mnist.js";
export {
  SST2_FILE_NAMES,
  SST2_SHA256,
  SST2_URL,
  ensureSst2,
  loadSst2,
  parseSst2Tsv,
  readSst2Tsv,
  tokenize,
  type Sst2Data,
  type Sst2Options,
  type Sst2SourceOptions,
  type Sst2Split,
} from "./sst2.js";
export { WordEmbeddings, loadGlove, readGloveText, type Embeddings, type GloveOptions } from "./glove.js";
export { WINK, WINK_PACKAGE, locateWink, scanWinkVectors, type WinkLocation } from "./wink.js";
export {
  encodeSentiment,
  sentenceVocabulary,
  type EncodeOptions,
  type EncodedSentiment,
  type EncodedSplit,
  type LabelledSentences,
} from "./sentiment.js";
export { circle, diag, makePoints, simple, spiral, split, toyDatasets, xor, type Graph, type RandomSource } from "./toy.js";
export { defaultCacheDir, resolveCacheDir, sha256File, writeFileAtomic } from "./cache.js";
export { OutputError, checkDistinct, ensureDirectory, prepareOutput, prepareOutputDirectory, sameFile, type NamedFile } from "./outputPath.js";
export { guardFiles, type GuardRequest, type GuardedOutput } from "./fileGuard.js";
export { downloadFile, type DownloadOptions, type DownloadResult } from "./download.js";
export { buildZip, extractZip, parseZip, readZip, readZipEntry, safeJoin, type ZipArchive, type ZipEntry } from "./zip.js";
export { progressEnabled, startProgress, type Progress } from "./progress.js";
export { sortedVocabulary, subsetKey } from "./subsetCache.js";
