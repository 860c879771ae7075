package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.Sigmoid;
import perceptron.nn.init.Initializer;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * d2l section 5.4 (numerical stability and initialisation) as numbers: how gradients vanish or explode with
 * depth, and how the choice of activation and initialisation decides which.
 *
 * <ul>
 *   <li>{@link #gradients}: a deep MLP (default 10 layers of width 100) with sigmoid or ReLU, initialised with
 *       N(0, 0.01^2), Xavier or Kaiming (biases 0); one forward and one backward pass on standard normal input;
 *       the norm ||dL/dW_l||_F of every layer's weight gradient and the standard deviation of its outputs.</li>
 *   <li>{@link #matrixProducts}: the book's exploding product of 100 random 4 x 4 Gaussian matrices, beside the
 *       same product with the matrices scaled by 1/sqrt(n) (which keeps E||Mx||^2 = ||x||^2), for n = 4 and
 *       n = 100, with the growth rate theory predicts.</li>
 * </ul>
 */
public final class InitStudy {
    private InitStudy() {
    }

    /**
     * One network.
     *
     * @param activation     "sigmoid" or "relu"
     * @param init           "normal(0.01)", "xavier" or "kaiming"
     * @param gradientNorms  ||dL/dW_l||_F for l = 1..depth (index 0 is the layer next to the input)
     * @param activationStds standard deviation of the output of layer l's activation, l = 1..depth
     */
    public record GradientRow(String activation, String init, double[] gradientNorms, double[] activationStds) {
        /** gradient norm of the first layer / that of the last: &lt;&lt; 1 vanishing, &gt;&gt; 1 exploding. */
        public double firstToLast() {
            return gradientNorms[0] / gradientNorms[gradientNorms.length - 1];
        }
    }

    /** The table of {@link #gradients}: depth, width, batch and one row per (activation, init). */
    public record GradientStudy(int depth, int width, int batch, List<GradientRow> rows) {
        public GradientStudy {
            rows = List.copyOf(rows);
        }

        public GradientRow row(String activation, String init) {
            for (GradientRow r : rows) {
                if (r.activation().equals(activation) && r.init().equals(init)) {
                    return r;
                }
            }
            return null;
        }

        /** One line per network: the gradient norm of every layer, input side first, and first/last. */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "||dL/dW_l||_F of a %d-layer MLP of "
                    + "width %d (batch %d of N(0, 1) inputs, L = mean over the batch of the sum of the outputs)%n",
                    depth, width, batch));
            sb.append(String.format(Locale.ROOT, "%-8s %-13s", "act", "init"));
            for (int l = 1; l <= depth; l++) {
                sb.append(String.format(Locale.ROOT, " %9s", "layer " + l));
            }
            sb.append(String.format(Locale.ROOT, " %10s%n", "first/last"));
            for (GradientRow r : rows) {
                sb.append(String.format(Locale.ROOT, "%-8s %-13s", r.activation(), r.init()));
                for (double g : r.gradientNorms()) {
                    sb.append(String.format(Locale.ROOT, " %9.2e", g));
                }
                sb.append(String.format(Locale.ROOT, " %10.2e%n", r.firstToLast()));
            }
            return sb.toString();
        }
    }

    /** 10 layers of width 100, a batch of 64, seed 0. */
    public static GradientStudy gradients() {
        return gradients(10, 100, 64, 0);
    }

    /**
     * Gradient norms per layer for sigmoid and ReLU networks under the three initialisations. Each network is
     * depth x (Linear(width, width), activation); L = (1/batch) sum of all outputs, so the gradient reaching the
     * top is 1/batch per output; every network sees the same input and draws its weights from the same seed.
     */
    public static GradientStudy gradients(int depth, int width, int batch, long seed) {
        if (depth < 1 || width < 1 || batch < 1) {
            throw new IllegalArgumentException("InitStudy.gradients: depth, width and batch must be positive, got "
                    + depth + ", " + width + ", " + batch);
        }
        Tensor x = Tensor.randn(new SplittableRandom(seed), batch, width);
        List<GradientRow> rows = new ArrayList<>();
        for (String activation : new String[] {"sigmoid", "relu"}) {
            for (Initializer init : new Initializer[] {Initializer.NORMAL, Initializer.XAVIER, Initializer.KAIMING}) {
                rows.add(measure(activation, init, depth, width, x, seed));
            }
        }
        return new GradientStudy(depth, width, batch, rows);
    }

    private static GradientRow measure(String activation, Initializer init, int depth, int width, Tensor x,
                                       long seed) {
        List<Layer> layers = new ArrayList<>();
        List<Linear> linears = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (int l = 0; l < depth; l++) {
            Linear linear = new Linear(width, width, rng);
            linears.add(linear);
            layers.add(linear);
            layers.add(activation.equals("sigmoid") ? new Sigmoid() : new ReLU());
        }
        Sequential net = new Sequential(layers);
        init.apply(net, new SplittableRandom(seed + 2));
        double[] stds = new double[depth];
        Tensor h = x;
        for (int l = 0; l < depth; l++) {
            h = net.get(2 * l + 1).forward(net.get(2 * l).forward(h));
            stds[l] = std(h);
        }
        h.sum().div(x.size(0)).backward();
        double[] norms = new double[depth];
        for (int l = 0; l < depth; l++) {
            norms[l] = Math.sqrt(new TensorValues(linears.get(l).weight().grad()).sumOfSquares());
        }
        String name = init == Initializer.NORMAL ? "normal(0.01)" : init.name().toLowerCase(Locale.ROOT);
        return new GradientRow(activation, name, norms, stds);
    }

    private static double std(Tensor t) {
        TensorValues v = new TensorValues(t);
        double mean = 0;
        for (int i = 0; i < v.size; i++) {
            mean += v.get(i);
        }
        mean /= v.size;
        double ss = 0;
        for (int i = 0; i < v.size; i++) {
            double d = v.get(i) - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / v.size);
    }

    /**
     * One product of Gaussian matrices.
     *
     * @param n                      matrix size
     * @param scale                  standard deviation of the entries (1: the book's example; 1/sqrt(n): scaled)
     * @param norms                  ||M_0 M_1 ... M_k||_F for k = 0..steps (index k: after k multiplications)
     * @param predictedLog10PerStep  the growth rate of log10 ||P x|| per factor for a fixed x, from
     *                               ||M x||^2 = scale^2 ||x||^2 chi^2_n: (log(2 scale^2) + digamma(n/2)) / (2 ln 10)
     */
    public record ProductRow(int n, double scale, double[] norms, double predictedLog10PerStep) {
        /** log10 of the norm after the last multiplication minus that of the first matrix, per step. */
        public double measuredLog10PerStep() {
            int steps = norms.length - 1;
            return (Math.log10(norms[steps]) - Math.log10(norms[0])) / steps;
        }
    }

    /** The products of {@link #matrixProducts()}. */
    public record ProductStudy(int steps, List<ProductRow> rows) {
        public ProductStudy {
            rows = List.copyOf(rows);
        }

        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "Frobenius norm of a product of Gaussian n x n matrices (entries N(0, scale^2))%n"));
            sb.append(String.format(Locale.ROOT, "%5s %9s %12s %12s %14s %14s%n", "n", "scale", "1 matrix",
                    "after " + steps, "log10/step", "predicted"));
            for (ProductRow r : rows) {
                sb.append(String.format(Locale.ROOT, "%5d %9.4f %12.4e %12.4e %14.4f %14.4f%n", r.n(), r.scale(),
                        r.norms()[0], r.norms()[steps], r.measuredLog10PerStep(), r.predictedLog10PerStep()));
            }
            return sb.toString();
        }
    }

    /** 100 multiplications: 4 x 4 unscaled (the book), 4 x 4 and 100 x 100 scaled by 1/sqrt(n); seed 0. */
    public static ProductStudy matrixProducts() {
        return matrixProducts(100, 0, new int[] {4, 4, 100}, new double[] {1, 0.5, 0.1});
    }

    /** Products of {@code steps + 1} Gaussian matrices for each (size, scale) pair, in float64. */
    public static ProductStudy matrixProducts(int steps, long seed, int[] sizes, double[] scales) {
        if (sizes.length != scales.length) {
            throw new IllegalArgumentException("InitStudy.matrixProducts: " + sizes.length + " sizes but "
                    + scales.length + " scales");
        }
        List<ProductRow> rows = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            int n = sizes[c];
            double scale = scales[c];
            SplittableRandom rng = new SplittableRandom(seed + c);
            Tensor m = Tensor.randn(rng, DType.FLOAT64, n, n).mul(scale);
            double[] norms = new double[steps + 1];
            norms[0] = Math.sqrt(new TensorValues(m).sumOfSquares());
            for (int k = 1; k <= steps; k++) {
                m = m.matmul(Tensor.randn(rng, DType.FLOAT64, n, n).mul(scale));
                norms[k] = Math.sqrt(new TensorValues(m).sumOfSquares());
            }
            double predicted = (Math.log(2 * scale * scale) + digammaOfHalf(n)) / (2 * Math.log(10));
            rows.add(new ProductRow(n, scale, norms, predicted));
        }
        return new ProductStudy(steps, rows);
    }

    /** digamma(n / 2) exactly: from digamma(1) = -gamma or digamma(1/2) = -gamma - 2 ln 2, up by 1/x steps. */
    static double digammaOfHalf(int n) {
        double eulerGamma = 0.5772156649015329;
        double x = n % 2 == 0 ? 1.0 : 0.5;
        double psi = n % 2 == 0 ? -eulerGamma : -eulerGamma - 2 * Math.log(2);
        while (x < n / 2.0) {
            psi += 1 / x;
            x += 1;
        }
        return psi;
    }
}
