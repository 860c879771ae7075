package perceptron.internal.kernels;

/**
 * Elementwise functions of two inputs {@code a} and {@code b}. Comparisons return 1 or 0.
 *
 * <p>The {@code *_BACKWARD} entries are the derivative formulas that PyTorch also fuses
 * ({@code threshold_backward}, {@code sigmoid_backward}, {@code tanh_backward}): {@code a} is the incoming
 * gradient and {@code b} the saved forward output.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** a^b */
    POW,
    /** max(a, b); NaN if either is NaN */
    MAXIMUM,
    /** min(a, b); NaN if either is NaN */
    MINIMUM,
    EQ, NE, LT, LE, GT, GE,
    /** b &lt;= 0 ? 0 : a: the relu derivative applied to gradient a, using the output b (a NaN output passes the
     * gradient, as PyTorch's threshold_backward) */
    RELU_BACKWARD,
    /** a * b * (1 - b): sigmoid' from the output b */
    SIGMOID_BACKWARD,
    /** a * (1 - b^2): tanh' from the output b */
    TANH_BACKWARD
}
