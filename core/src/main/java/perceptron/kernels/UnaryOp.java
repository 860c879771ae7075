package perceptron.kernels;

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
    NON_FINITE
}
