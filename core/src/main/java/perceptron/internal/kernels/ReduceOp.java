package perceptron.internal.kernels;

/** Reductions along one axis. MAX and MIN propagate NaN, as PyTorch does. */
public enum ReduceOp {
    SUM, MAX, MIN
}
