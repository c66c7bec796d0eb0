export { Conv1dFun, checkConv1d, conv1d, conv1dKernel, tensorConv1d } from "./conv1d.js";
export { Conv2dFun, checkConv2d, conv2d, conv2dKernel, tensorConv2d } from "./conv2d.js";
export { convFlops, convWeightGradFast, convolve4, convolveFast, convolveKernel, runCourseConv, type Operand4 } from "./convolve.js";
export { KC, convUnits, convolveUnits, padInput, padding, type ConvGeometry, type Padding } from "./implicitGemm.js";
