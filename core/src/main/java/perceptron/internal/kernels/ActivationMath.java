package perceptron.internal.kernels;

/**
 * Scalar definitions of the activation functions beyond relu, sigmoid and tanh, and of the derivatives their
 * backward passes use, in float64: the reference for every faster kernel. {@link ScalarKernels#apply} delegates
 * here for these ops; float32 tensors are computed here in float64 and rounded once.
 *
 * <p>Each formula is arranged so that no intermediate overflows or cancels for any finite input (inputs of
 * +-1e4 and beyond give finite, accurate results); the comments say how. Values at the kinks follow PyTorch
 * 1.13's CPU kernels and are tabulated in docs/activations.md.
 *
 * <p>{@link #erf} and {@link #erfc} are written here for the exact GELU; their relative error is below about
 * 2e-15 over the whole double range (checked against mpmath in the tests).
 */
public final class ActivationMath {
    private ActivationMath() {
    }

    /** sqrt(2 / pi), the scale inside the tanh approximation of GELU. */
    static final double GELU_TANH_SCALE = Math.sqrt(2.0 / Math.PI);
    /** The cubic coefficient of the tanh approximation of GELU (Hendrycks and Gimpel). */
    static final double GELU_TANH_CUBIC = 0.044715;
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    /** 1/sqrt 2 - INV_SQRT2 (mpmath): with INV_SQRT2, 1/sqrt 2 to about 32 digits. */
    private static final double INV_SQRT2_LOW = 6.268583589525109e-17;
    private static final double INV_SQRT2_HEAD = head(INV_SQRT2);
    private static final double INV_SQRT2_TAIL = INV_SQRT2 - INV_SQRT2_HEAD;
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);

    /** The value of {@code op} at x with parameters p, q. */
    public static double apply(UnaryOp op, double x, double p, double q) {
        switch (op) {
            case LEAKY_RELU: return x > 0 ? x : x * p;
            case LEAKY_RELU_DERIVATIVE: return x > 0 ? 1.0 : p;
            case ELU: return x > 0 ? q * x : q * p * Math.expm1(x);
            case ELU_DERIVATIVE: return x > 0 ? q : q * p * Math.exp(x);
            case CELU: return x > 0 ? x : p * Math.expm1(x / p);
            case CELU_DERIVATIVE: return x > 0 ? 1.0 : Math.exp(x / p);
            case GELU: return gelu(x);
            case GELU_DERIVATIVE: return geluDerivative(x);
            case GELU_TANH: return geluTanh(x);
            case GELU_TANH_DERIVATIVE: return geluTanhDerivative(x);
            case SILU: return x * ScalarKernels.sigmoid(x);
            case SILU_DERIVATIVE: return siluDerivative(x);
            case MISH: return x * Math.tanh(softplus(x));
            case MISH_DERIVATIVE: return mishDerivative(x);
            case SOFTPLUS: return softplus(x, p, q);
            case SOFTSIGN: return x / (1.0 + Math.abs(x));
            case SOFTSIGN_DERIVATIVE: {
                double d = 1.0 + Math.abs(x);
                return 1.0 / (d * d);
            }
            case HARDTANH_DERIVATIVE: return (x > p && x < q) ? 1.0 : 0.0;
            case HARD_SIGMOID: return hardSigmoid(x);
            case HARD_SIGMOID_DERIVATIVE: return (x > -3.0 && x < 3.0) ? 1.0 / 6.0 : 0.0;
            case HARD_SWISH: return x * relu6(x + 3.0) / 6.0;
            case HARD_SWISH_DERIVATIVE: return x < -3.0 ? 0.0 : (x < 3.0 ? x / 3.0 + 0.5 : 1.0);
            case LOG_SIGMOID: return logSigmoid(x);
            default: throw new UnsupportedOperationException("no scalar definition for " + op);
        }
    }

    // ---- the smooth ones ------------------------------------------------------------------------------------

    /** ln(1 + e^x) as max(x, 0) + ln(1 + e^-|x|): e^-|x| is at most 1, so nothing overflows. */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * PyTorch's softplus: x where beta x &gt; threshold (there ln(1 + e^(beta x)) / beta equals x to within
     * e^-threshold / beta), else ln(1 + e^(beta x)) / beta computed without overflow.
     */
    public static double softplus(double x, double beta, double threshold) {
        double bx = beta * x;
        return bx > threshold ? x : softplus(bx) / beta;
    }

    /** ln sigmoid(x) = -softplus(-x) = min(x, 0) - ln(1 + e^-|x|). */
    public static double logSigmoid(double x) {
        return Math.min(x, 0.0) - Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** sigmoid(x) (1 + x (1 - sigmoid(x))), with 1 - sigmoid(x) taken as sigmoid(-x) so it keeps its digits. */
    static double siluDerivative(double x) {
        double s = ScalarKernels.sigmoid(x);
        return s * (1.0 + x * ScalarKernels.sigmoid(-x));
    }

    /**
     * mish'(x) = tanh(sp) + x sigmoid(x) sech^2(sp), sp = softplus(x). sech^2 instead of 1 - tanh^2, which would
     * cancel for large x; cosh overflowing to infinity just makes sech^2 0, its limit.
     */
    static double mishDerivative(double x) {
        double sp = softplus(x);
        double sech = 1.0 / Math.cosh(sp);
        return Math.tanh(sp) + x * ScalarKernels.sigmoid(x) * sech * sech;
    }

    /** x Phi(x): through erfc, which keeps full relative accuracy in the left tail, where 1 + erf would not. */
    public static double gelu(double x) {
        return x * normalCdf(x);
    }

    /** Phi(x) + x phi(x). In the far tails phi underflows to 0 first, so the result is 0 or 1, never NaN. */
    static double geluDerivative(double x) {
        return normalCdf(x) + x * normalPdf(x);
    }

    /**
     * The standard normal cdf, Phi(x) = erfc(-x / sqrt 2) / 2. erfc multiplies the relative error of its argument
     * by about 2 z^2, so rounding x / sqrt 2 would cost 1e-14 at x = -10; instead x / sqrt 2 is computed in two
     * parts, p + e (Dekker's exact product), and erfc(-p - e) = erfc(-p) + (2 / sqrt pi) e^(-p^2) e to first order.
     */
    public static double normalCdf(double x) {
        double p = x * INV_SQRT2;
        if (!(x < -1.0 && x > -40.0)) {
            // Right of -1 the amplification 2 z^2 is below 1 (and right of 0, Phi >= 1/2 hides it anyway); beyond
            // -40 Phi underflows; NaN stays NaN. Skipping the correction there halves the cost of gelu.
            return 0.5 * erfc(-p);
        }
        double xHead = head(x);
        double xTail = x - xHead;
        double e = ((xHead * INV_SQRT2_HEAD - p) + xHead * INV_SQRT2_TAIL + xTail * INV_SQRT2_HEAD)
                + xTail * INV_SQRT2_TAIL + x * INV_SQRT2_LOW;
        return 0.5 * (erfc(-p) + TWO_OVER_SQRT_PI * expMinusSquare(p) * e);
    }

    /** The standard normal density e^(-x^2/2) / sqrt(2 pi), with x^2 split like in {@link #expMinusSquare}. */
    public static double normalPdf(double x) {
        double h = head(x);
        return INV_SQRT_2PI * Math.exp(-0.5 * h * h) * Math.exp(-0.5 * (x - h) * (x + h));
    }

    /**
     * The tanh approximation, written as x sigmoid(2u) with u = sqrt(2/pi) (x + 0.044715 x^3): since
     * 1 + tanh(u) = 2 sigmoid(2u), this is the same function, but it keeps its relative accuracy for negative x,
     * where 1 + tanh(u) cancels.
     */
    public static double geluTanh(double x) {
        return x * ScalarKernels.sigmoid(2.0 * geluTanhInner(x));
    }

    /** d/dx x s = s + 2 x s (1 - s) u', with s = sigmoid(2u) and u' = sqrt(2/pi) (1 + 3 0.044715 x^2). */
    static double geluTanhDerivative(double x) {
        double u = geluTanhInner(x);
        double s = ScalarKernels.sigmoid(2.0 * u);
        double oneMinusS = ScalarKernels.sigmoid(-2.0 * u);
        if (s == 0.0 || oneMinusS == 0.0) {
            // Saturated: the second term's limit is 0, but x u' may have overflowed (|x| beyond 1e100).
            return s;
        }
        double du = GELU_TANH_SCALE * (1.0 + 3.0 * GELU_TANH_CUBIC * x * x);
        return s + 2.0 * x * s * oneMinusS * du;
    }

    private static double geluTanhInner(double x) {
        return GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x * x * x);
    }

    // ---- the piecewise-linear ones -------------------------------------------------------------------------

    static double relu6(double x) {
        return Double.isNaN(x) ? x : Math.min(Math.max(x, 0.0), 6.0);
    }

    static double hardSigmoid(double x) {
        return relu6(x + 3.0) / 6.0;
    }

    // ---- erf and erfc -------------------------------------------------------------------------------------

    /**
     * erfc(k / 4) for k = 0 .. 14, correctly rounded (computed with mpmath at 50 digits by
     * tools/reference/erfc_centres.py): the centres of the Taylor expansions in {@link #erfc}.
     */
    private static final double[] ERFC_AT_CENTRE = {
        1.0,
        0.7236736098317631,
        0.4795001221869535,
        0.28884436634648486,
        0.15729920705028513,
        0.07709987174354177,
        0.033894853524689274,
        0.013328328780817557,
        0.004677734981047266,
        0.0014627165866811518,
        0.0004069520174449589,
        0.00010062192211963683,
        2.209049699858544e-05,
        4.302779463675122e-06,
        7.430983723414128e-07,
    };
    private static final double CENTRE_SPACING = 0.25;
    /** Beyond this the continued fraction converges in a dozen terms; below it the Taylor expansions take over. */
    private static final double CONTINUED_FRACTION_FROM = (ERFC_AT_CENTRE.length - 0.5) * CENTRE_SPACING;
    /** Terms of the continued fraction: enough for 1e-17 at {@link #CONTINUED_FRACTION_FROM} (fewer suffice beyond). */
    private static final int CONTINUED_FRACTION_TERMS = 16;

    /**
     * The error function, erf x = (2 / sqrt pi) int_0^x e^(-t^2) dt. Relative error below about 1e-15.
     *
     * <p>|x| &lt; 0.5: its Maclaurin series (terms shrink at least 4-fold each, no cancellation). Beyond,
     * 1 - erfc(|x|), where erfc &lt;= 0.48 so nothing is lost in the subtraction.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double z = Math.abs(x);
        double value = z < 0.5 ? erfSeries(z) : 1.0 - erfcPositive(z);
        return Math.copySign(value, x);
    }

    /**
     * The complementary error function, erfc x = 1 - erf x, with small relative error also in the right tail,
     * where erfc x is tiny (it underflows to 0 only beyond x = 27.3). Relative error below about 2e-15.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        return x < 0 ? 2.0 - erfcPositive(-x) : erfcPositive(x);
    }

    /** erfc z for z &gt;= 0, in three regimes chosen so that no step cancels or converges slowly. */
    private static double erfcPositive(double z) {
        if (z < 0.5) {
            return 1.0 - erfSeries(z);
        }
        if (z < CONTINUED_FRACTION_FROM) {
            return erfcTaylor(z);
        }
        if (z > 27.3) {
            return 0.0;
        }
        return erfcContinuedFraction(z);
    }

    /** (2 / sqrt pi) sum_n (-1)^n z^(2n+1) / (n! (2n+1)), for 0 &lt;= z &lt; 0.5. */
    private static double erfSeries(double z) {
        double z2 = z * z;
        double power = z;
        double sum = z;
        for (int n = 1; n < 40; n++) {
            power *= -z2 / n;
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * Taylor expansion of erfc around the nearest centre c = k/4, |h| = |z - c| &lt;= 1/8:
     * erfc(c + h) = erfc(c) - (2 / sqrt pi) e^(-c^2) sum_n (-1)^n H_n(c) h^(n+1) / (n+1)!, with H_n the
     * (physicists') Hermite polynomials, since d^(n+1)/dz^(n+1) erfc z = -(2 / sqrt pi) (-1)^n H_n(z) e^(-z^2).
     * The tabulated erfc(c) carries the value; the short sum only corrects it, so the result keeps the table's
     * relative accuracy where 1 - erf z would lose digits.
     */
    private static double erfcTaylor(double z) {
        int k = (int) (z / CENTRE_SPACING + 0.5);
        double c = k * CENTRE_SPACING;
        double h = z - c;
        double hermitePrevious = 0.0;
        double hermite = 1.0;
        double power = h;
        double sum = h;
        for (int n = 0; n < 40; n++) {
            double next = 2.0 * c * hermite - 2.0 * n * hermitePrevious;
            hermitePrevious = hermite;
            hermite = next;
            power *= -h / (n + 2);
            double term = hermite * power;
            sum += term;
            if (n >= 2 && Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return ERFC_AT_CENTRE[k] - TWO_OVER_SQRT_PI * Math.exp(-c * c) * sum;
    }

    /**
     * erfc z = e^(-z^2) z / sqrt(pi) / (x + 1/2 - 1/2 / (x + 5/2 - 3 / (x + 9/2 - ...))), x = z^2: the continued
     * fraction of the incomplete gamma function Gamma(1/2, x), evaluated from its tail backwards (which does not
     * accumulate rounding, unlike forward evaluation).
     */
    private static double erfcContinuedFraction(double z) {
        double x = z * z;
        double tail = 0.0;
        for (int i = CONTINUED_FRACTION_TERMS; i >= 1; i--) {
            tail = i * (i - 0.5) / (x + 2 * i + 0.5 - tail);
        }
        return expMinusSquare(z) * z / (x + 0.5 - tail) * INV_SQRT_PI;
    }

    /**
     * e^(-z^2) to full relative accuracy. Rounding z^2 would cost about z^2 ulps (7e-14 at z = 27), so z is split
     * into a head with 26 significant bits, whose square is exact, and a small remainder:
     * z^2 = head^2 + (z - head)(z + head).
     */
    static double expMinusSquare(double z) {
        double head = head(z);
        return Math.exp(-head * head) * Math.exp(-(z - head) * (z + head));
    }

    /** z with its low 27 significand bits cleared: 26 significant bits, so head * head and head * head' are exact. */
    private static double head(double z) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(z) & 0xFFFFFFFFF8000000L);
    }
}
