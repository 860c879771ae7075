package perceptron.internal.kernels;

/**
 * Elementwise functions of one input, with up to two scalar parameters {@code p} and {@code q}.
 *
 * <p>The mathematical definition of each is {@link ScalarKernels#apply(UnaryOp, double, double, double)}: the
 * reference every faster kernel is tested against.
 */
public enum UnaryOp {
    /** -x */
    NEG,
    /** e^x */
    EXP,
    /** ln x */
    LOG,
    /** sqrt x */
    SQRT,
    /** |x| */
    ABS,
    /** -1, 0 or 1 (0 at 0; NaN stays NaN) */
    SIGN,
    /** x^2 */
    SQUARE,
    /** 1/x */
    RECIPROCAL,
    /** x + p */
    ADD_SCALAR,
    /** x * p */
    MUL_SCALAR,
    /** p - x */
    RSUB_SCALAR,
    /** p / x */
    RDIV_SCALAR,
    /** x^p */
    POW_SCALAR,
    /** p^x */
    RPOW_SCALAR,
    /** min(max(x, p), q); NaN stays NaN */
    CLAMP,
    /** max(x, 0); relu(NaN) = NaN */
    RELU,
    /** 1 / (1 + e^-x), evaluated without overflow */
    SIGMOID,
    /** tanh x */
    TANH,
    /** 1 where x &gt; 0 else 0 (the relu derivative; 0 at 0) */
    STEP,
    /** x &gt; p ? 1 : 0 */
    GT_SCALAR,
    /** x &gt;= p ? 1 : 0 */
    GE_SCALAR,
    /** x &lt; p ? 1 : 0 */
    LT_SCALAR,
    /** x &lt;= p ? 1 : 0 */
    LE_SCALAR,
    /** x == p ? 1 : 0 */
    EQ_SCALAR,
    /** x != p ? 1 : 0 */
    NE_SCALAR,
    /** p &lt;= x &lt;= q ? 1 : 0 (the clamp derivative) */
    BETWEEN,
    /** ln(1 + x), accurate near 0 */
    LOG1P,
    /** e^x - 1, accurate near 0 */
    EXPM1,
    /** sin x */
    SIN,
    /** cos x */
    COS,
    /** 1 if x is NaN or infinite, else 0 */
    NON_FINITE,

    // Activations beyond relu, sigmoid and tanh, and the derivatives their backward passes use. Defined in
    // ActivationMath; p and q are the activation's parameters.

    /** x &gt; 0 ? x : p x (p = negative slope) */
    LEAKY_RELU,
    /** x &gt; 0 ? 1 : p (p at 0, like PyTorch) */
    LEAKY_RELU_DERIVATIVE,
    /** x &gt; 0 ? q x : q p (e^x - 1) (p = alpha, q = scale; selu is elu with fixed p and q) */
    ELU,
    /** x &gt; 0 ? q : q p e^x (q p at 0, like PyTorch) */
    ELU_DERIVATIVE,
    /** x &gt; 0 ? x : p (e^(x/p) - 1) (p = alpha) */
    CELU,
    /** x &gt; 0 ? 1 : e^(x/p) */
    CELU_DERIVATIVE,
    /** x Phi(x), Phi the standard normal cdf (exact, through erfc) */
    GELU,
    /** Phi(x) + x phi(x) */
    GELU_DERIVATIVE,
    /** x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2 */
    GELU_TANH,
    /** derivative of GELU_TANH */
    GELU_TANH_DERIVATIVE,
    /** x sigmoid(x) (also called swish) */
    SILU,
    /** sigmoid(x) (1 + x (1 - sigmoid(x))) */
    SILU_DERIVATIVE,
    /** x tanh(softplus(x)) */
    MISH,
    /** tanh(sp) + x sigmoid(x) sech^2(sp), sp = softplus(x) */
    MISH_DERIVATIVE,
    /** ln(1 + e^(p x)) / p, or x where p x &gt; q (p = beta, q = threshold) */
    SOFTPLUS,
    /** x / (1 + |x|) */
    SOFTSIGN,
    /** 1 / (1 + |x|)^2 */
    SOFTSIGN_DERIVATIVE,
    /** p &lt; x &lt; q ? 1 : 0 (the hardtanh derivative: 0 at both edges, like PyTorch) */
    HARDTANH_DERIVATIVE,
    /** min(max(x + 3, 0), 6) / 6 */
    HARD_SIGMOID,
    /** -3 &lt; x &lt; 3 ? 1/6 : 0 */
    HARD_SIGMOID_DERIVATIVE,
    /** x min(max(x + 3, 0), 6) / 6 */
    HARD_SWISH,
    /** x &lt; -3 ? 0 : x &lt; 3 ? x/3 + 1/2 : 1 (the derivative from the right at both edges, like PyTorch) */
    HARD_SWISH_DERIVATIVE,
    /** ln sigmoid(x) = -softplus(-x), evaluated without overflow */
    LOG_SIGMOID
}
