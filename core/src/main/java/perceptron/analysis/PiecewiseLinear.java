package perceptron.analysis;

import java.util.Arrays;

/**
 * An elementwise activation that is continuous and piecewise linear, described by its kinks: for each channel,
 * breakpoints beta_1 &lt; ... &lt; beta_m and, on piece k (beta_k &lt; z &lt; beta_{k+1}, with beta_0 = -inf and
 * beta_{m+1} = +inf), the line f(z) = slope_k z + intercept_k.
 *
 * <pre>
 * relu            breakpoints {0}        slopes {0, 1}          intercepts {0, 0}
 * leakyRelu(a)    breakpoints {0}        slopes {a, 1}          intercepts {0, 0}
 * hardtanh(lo,hi) breakpoints {lo, hi}   slopes {0, 1, 0}       intercepts {lo, 0, hi}
 * identity        breakpoints {}         slopes {1}             intercepts {0}
 * </pre>
 *
 * <p>Channels: one description shared by every unit, or one per channel (PReLU with one alpha per channel, where
 * the channel is axis 1 of the batch, i.e. axis 0 of one example).
 */
final class PiecewiseLinear {
    private final String name;
    private final double[][] breakpoints;
    private final double[][] slopes;
    private final double[][] intercepts;

    private PiecewiseLinear(String name, double[][] breakpoints, double[][] slopes, double[][] intercepts) {
        for (int c = 0; c < breakpoints.length; c++) {
            double[] b = breakpoints[c];
            if (slopes[c].length != b.length + 1 || intercepts[c].length != b.length + 1) {
                throw new IllegalArgumentException(name + ": " + b.length + " breakpoints need " + (b.length + 1)
                        + " slopes and intercepts");
            }
            for (int i = 0; i < b.length; i++) {
                if (!Double.isFinite(b[i]) || (i > 0 && !(b[i] > b[i - 1]))) {
                    throw new IllegalArgumentException(name + ": breakpoints must be finite and increasing, got "
                            + Arrays.toString(b));
                }
                // Continuity at each kink: both neighbouring lines meet there.
                double left = slopes[c][i] * b[i] + intercepts[c][i];
                double right = slopes[c][i + 1] * b[i] + intercepts[c][i + 1];
                if (Math.abs(left - right) > 1e-12 * (1 + Math.abs(left))) {
                    throw new IllegalArgumentException(name + ": not continuous at breakpoint " + b[i]);
                }
            }
        }
        this.name = name;
        this.breakpoints = breakpoints;
        this.slopes = slopes;
        this.intercepts = intercepts;
    }

    static PiecewiseLinear identity() {
        return new PiecewiseLinear("Identity", new double[][] {{}}, new double[][] {{1}}, new double[][] {{0}});
    }

    static PiecewiseLinear relu() {
        return leakyRelu("ReLU", 0);
    }

    /** max(z, 0) + slope min(z, 0). */
    static PiecewiseLinear leakyRelu(double negativeSlope) {
        return leakyRelu("LeakyReLU", negativeSlope);
    }

    private static PiecewiseLinear leakyRelu(String name, double negativeSlope) {
        return new PiecewiseLinear(name, new double[][] {{0}}, new double[][] {{negativeSlope, 1}},
                new double[][] {{0, 0}});
    }

    /** PReLU with one alpha (shared, length 1) or one per channel. */
    static PiecewiseLinear prelu(double[] alphas) {
        int n = alphas.length;
        double[][] b = new double[n][];
        double[][] s = new double[n][];
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            b[i] = new double[] {0};
            s[i] = new double[] {alphas[i], 1};
            c[i] = new double[] {0, 0};
        }
        return new PiecewiseLinear("PReLU", b, s, c);
    }

    /** Clamps to [min, max]. */
    static PiecewiseLinear hardtanh(double min, double max) {
        return hardtanh("Hardtanh", min, max);
    }

    /** min(max(z, 0), 6). */
    static PiecewiseLinear relu6() {
        return hardtanh("ReLU6", 0, 6);
    }

    private static PiecewiseLinear hardtanh(String name, double min, double max) {
        if (!(min < max)) {
            throw new IllegalArgumentException(name + ": min must be below max, got " + min + " and " + max);
        }
        return new PiecewiseLinear(name, new double[][] {{min, max}}, new double[][] {{0, 1, 0}},
                new double[][] {{min, 0, max}});
    }

    String name() {
        return name;
    }

    /** Number of channels described (1 when shared by every unit). */
    int channels() {
        return breakpoints.length;
    }

    /** The channel of a unit of one example's flattened vector: axis 0 of the example, when per channel. */
    int channelOf(int unit, int[] exampleShape, int units) {
        if (breakpoints.length == 1) {
            return 0;
        }
        int perChannel = units / exampleShape[0];
        return unit / perChannel;
    }

    double[] breakpoints(int channel) {
        return breakpoints[channel];
    }

    double slope(int channel, int piece) {
        return slopes[channel][piece];
    }

    double intercept(int channel, int piece) {
        return intercepts[channel][piece];
    }

    /** The value f(z), for checks. */
    double apply(int channel, double z) {
        double[] b = breakpoints[channel];
        int k = 0;
        while (k < b.length && z > b[k]) {
            k++;
        }
        return slopes[channel][k] * z + intercepts[channel][k];
    }
}
