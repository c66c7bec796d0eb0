export { Conv1dFun, checkConv1d, conv1d, conv1dKernel, tensorConv1d } from "./conv1d.js";
export { Conv2dFun, checkConv2d, conv2d, conv2dKernel, tensorConv2d } from "./conv2d.js";
export { convFlops, convolve4, convolveKernel, convolveOn, runCourseConv, runsCourseKernels, type Operand4 } from "./convolve.js";
export { KC, convUnits, convolveUnits, padInput, padding, type ConvGeometry, type Padding } from "./implicitGemm.js";
export { convKernelsOf, type ConvKernels } from "./backendConv.js";
