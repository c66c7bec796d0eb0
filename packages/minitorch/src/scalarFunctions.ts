export { Add, EQ, Exp, Inv, LT, Log, Mul, Neg, ReLU, Sigmoid, ScalarFunction } from "@minitorch/autodiff";
