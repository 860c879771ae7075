package perceptron.kernels;

/**
 * Scalar definitions of the activation functions beyond relu, sigmoid and tanh (and of their derivatives
 * where a kernel needs them), in float64: the reference for every faster kernel.
 */
public final class ActivationMath {
    private ActivationMath() {
    }

    /** The value of {@code op} at x with parameters p, q. */
    public static double apply(UnaryOp op, double x, double p, double q) {
        throw new UnsupportedOperationException("no scalar definition for " + op);
    }
}
