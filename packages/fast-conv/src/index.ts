export { Conv1dFun, checkConv1d, conv1d, tensorConv1d } from "./conv1d.js";
export { Conv2dFun, checkConv2d, conv2d, tensorConv2d } from "./conv2d.js";
export { convFlops, convolve4, convolveKernel, convolveOn, type Operand4 } from "./convolve.js";
export { KC, convUnits, convolveUnits, padInput, padding, type ConvGeometry, type Padding } from "./implicitGemm.js";
export { convKernelsOf, type ConvKernels } from "./backendConv.js";
