export { Module, Parameter, type SavedTensor, type StateDict } from "./module.js";
