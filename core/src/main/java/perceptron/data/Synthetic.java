package perceptron.data;

import java.util.SplittableRandom;

/**
 * The generated data sets of d2l, from an explicit seed (the numbers differ from the book's, which come from
 * PyTorch's generator; the distributions are the same).
 *
 * <pre>{@code
 * ArrayDataset lin = Synthetic.linear(new double[] {2, -3.4}, 4.2, 1000, 0.01, 42);   // d2l 3.3
 * ArrayDataset[] poly = Synthetic.polynomial(7);                                     // train, test of 100 each
 * }</pre>
 */
public final class Synthetic {
    private Synthetic() {
    }

    /**
     * d2l's {@code synthetic_data(w, b, num_examples)}: features {@code X ~ N(0, 1)} of shape {@code [n, len(w)]},
     * labels {@code y = X w + b + eps} with {@code eps ~ N(0, noise^2)}, of shape {@code [n, 1]}. The book uses
     * {@code w = [2, -3.4]}, {@code b = 4.2}, noise 0.01; its weight decay section uses 200 inputs,
     * {@code w = 0.01}, {@code b = 0.05}. Computed in float64, stored as float32.
     */
    public static ArrayDataset linear(double[] w, double b, int n, double noise, long seed) {
        if (n < 0 || noise < 0) {
            throw new IllegalArgumentException("Synthetic.linear: n and noise must be non-negative, got " + n
                    + " and " + noise);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int d = w.length;
        float[] x = new float[Math.multiplyExact(n, d)];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double dot = b;
            for (int j = 0; j < d; j++) {
                double v = rng.nextGaussian();
                x[i * d + j] = (float) v;
                dot += v * w[j];
            }
            y[i] = (float) (dot + noise * rng.nextGaussian());
        }
        return new ArrayDataset(n, x, new int[] {d}, y, new int[] {1});
    }

    /**
     * The polynomial regression of d2l's section on underfitting and overfitting: a scalar {@code x ~ N(0, 1)}
     * expanded into the features {@code x^i / i!} for {@code i = 0 .. weights.length - 1} (the factorial keeps
     * large powers from dominating), labels {@code y = sum_i weights[i] x^i / i! + eps}, {@code eps ~ N(0,
     * noise^2)}, shape {@code [n, 1]}.
     */
    public static ArrayDataset polynomial(double[] weights, int n, double noise, long seed) {
        if (n < 0 || noise < 0) {
            throw new IllegalArgumentException("Synthetic.polynomial: n and noise must be non-negative, got " + n
                    + " and " + noise);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int degree = weights.length;
        float[] x = new float[Math.multiplyExact(n, degree)];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            double s = rng.nextGaussian();
            double term = 1;
            double sum = 0;
            for (int i = 0; i < degree; i++) {
                if (i > 0) {
                    term = term * s / i;
                }
                x[r * degree + i] = (float) term;
                sum += weights[i] * term;
            }
            y[r] = (float) (sum + noise * rng.nextGaussian());
        }
        return new ArrayDataset(n, x, new int[] {degree}, y, new int[] {1});
    }

    /**
     * The book's setting: maximum degree 20, true weights {@code [5, 1.2, -3.4, 5.6, 0, ..., 0]}, noise 0.1,
     * 100 training and 100 test examples. Returns {train, test}.
     */
    public static ArrayDataset[] polynomial(long seed) {
        double[] w = new double[20];
        w[0] = 5;
        w[1] = 1.2;
        w[2] = -3.4;
        w[3] = 5.6;
        ArrayDataset all = polynomial(w, 200, 0.1, seed);
        int[] train = new int[100];
        int[] test = new int[100];
        for (int i = 0; i < 100; i++) {
            train[i] = i;
            test[i] = 100 + i;
        }
        return new ArrayDataset[] {copy(all, train), copy(all, test)};
    }

    private static ArrayDataset copy(ArrayDataset all, int[] indices) {
        int fs = all.featureSize();
        float[] x = new float[indices.length * fs];
        float[] y = new float[indices.length];
        all.read(indices, 0, indices.length, x, y);
        return new ArrayDataset(indices.length, x, all.featureShape(), y, all.labelShape());
    }
}
