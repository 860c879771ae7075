package perceptron.nn.init;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import perceptron.autograd.Autograd;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Weight initialisation, in place, from an explicit random generator (d2l section 5.4; {@code torch.nn.init}).
 *
 * <p>For a Linear weight of shape [out, in], fanIn = in and fanOut = out. Layers built without a generator draw
 * from {@link #defaultGenerator()}, which {@link #manualSeed} resets (like {@code torch.manual_seed}).
 */
public final class Init {
    private static RandomGenerator global = new SplittableRandom(0);

    private Init() {
    }

    /** Resets the generator that layers use when none is given. */
    public static synchronized void manualSeed(long seed) {
        global = new SplittableRandom(seed);
    }

    public static synchronized RandomGenerator defaultGenerator() {
        return global;
    }

    /** [fanIn, fanOut] of a weight: [in, out] for [out, in]; for more axes, the trailing axes are the receptive field. */
    public static int[] fans(Tensor weight) {
        int[] s = weight.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("fan in and fan out can not be computed for a tensor with fewer than "
                    + "2 dimensions (shape " + Shape.toString(s) + ")");
        }
        int receptive = 1;
        for (int i = 2; i < s.length; i++) {
            receptive *= s[i];
        }
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    /**
     * The recommended gain for a nonlinearity (PyTorch's calculate_gain): 1 for linear/sigmoid, 5/3 for tanh,
     * sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky relu, 3/4 for selu.
     */
    public static double gain(String nonlinearity, double slope) {
        switch (nonlinearity) {
            case "linear": case "identity": case "sigmoid": return 1.0;
            case "tanh": return 5.0 / 3;
            case "relu": return Math.sqrt(2.0);
            case "leaky_relu": case "leakyRelu": return Math.sqrt(2.0 / (1 + slope * slope));
            case "selu": return 3.0 / 4;
            default: throw new IllegalArgumentException("gain: unsupported nonlinearity '" + nonlinearity
                    + "' (linear, sigmoid, tanh, relu, leaky_relu, selu)");
        }
    }

    /** Fills with N(mean, std^2). d2l's MLP uses std 0.01. */
    public static Tensor normal(Tensor t, double mean, double std, RandomGenerator rng) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return t.copyFrom(Tensor.randn(rng, t.dtype(), t.shape()).mul(std).add(mean));
        }
    }

    /** Fills with U(a, b). */
    public static Tensor uniform(Tensor t, double a, double b, RandomGenerator rng) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            double[] v = new double[t.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a + (b - a) * rng.nextDouble();
            }
            return t.copyFrom(Tensor.wrap(v, t.shape()));
        }
    }

    public static Tensor constant(Tensor t, double value) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return t.fill(value);
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0.0);
    }

    /** Glorot: U(-a, a) with a = gain sqrt(6 / (fanIn + fanOut)): keeps variance through forward and backward. */
    public static Tensor xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        int[] f = fans(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -a, a, rng);
    }

    /** Glorot: N(0, gain^2 2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal(Tensor t, double gain, RandomGenerator rng) {
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** He: U(-b, b) with b = gain sqrt(3 / fan), gain from the nonlinearity (relu: sqrt 2), fan = fanIn or fanOut. */
    public static Tensor kaimingUniform(Tensor t, double slope, boolean fanIn, String nonlinearity,
                                        RandomGenerator rng) {
        int[] f = fans(t);
        double std = gain(nonlinearity, slope) / Math.sqrt(fanIn ? f[0] : f[1]);
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, rng);
    }

    /** He: N(0, (gain / sqrt(fan))^2). */
    public static Tensor kaimingNormal(Tensor t, double slope, boolean fanIn, String nonlinearity,
                                       RandomGenerator rng) {
        int[] f = fans(t);
        return normal(t, 0, gain(nonlinearity, slope) / Math.sqrt(fanIn ? f[0] : f[1]), rng);
    }

    /**
     * PyTorch's default for nn.Linear: weight kaimingUniform(a = sqrt 5), which is U(-1/sqrt(in), 1/sqrt(in)),
     * and bias U(-1/sqrt(in), 1/sqrt(in)).
     */
    public static void linearDefault(Tensor weight, Tensor bias, RandomGenerator rng) {
        kaimingUniform(weight, Math.sqrt(5), true, "leaky_relu", rng);
        if (bias != null) {
            double bound = 1 / Math.sqrt(fans(weight)[0]);
            uniform(bias, -bound, bound, rng);
        }
    }
}
