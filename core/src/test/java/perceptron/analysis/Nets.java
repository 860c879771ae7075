package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.tensor.Tensor;

/** Small networks with known weights for the analysis tests. */
final class Nets {
    private Nets() {
    }

    /** A Linear layer with the given weight [out, in] and bias [out]. */
    static Linear linear(double[][] w, double[] b) {
        Linear layer = new Linear(w[0].length, w.length, new SplittableRandom(0));
        try (Autograd.Scope g = Autograd.noGrad()) {
            layer.weight().copyFrom(Tensor.of(w));
            layer.bias().copyFrom(Tensor.of(b));
        }
        return layer;
    }

    /**
     * Telgarsky's sawtooth: the tent map T(x) = 2 relu(x) - 4 relu(x - 1/2) (2x on [0, 1/2], 2 - 2x on [1/2, 1])
     * composed k times, each T a 2-unit ReLU layer. On [0, 1] it has exactly 2^k linear pieces.
     */
    static Sequential sawtooth(int k) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            layers.add(linear(new double[][] {{1}, {1}}, new double[] {0, -0.5}));
            layers.add(new ReLU());
            layers.add(linear(new double[][] {{2, -4}}, new double[] {0}));
        }
        return new Sequential(layers);
    }

    /** Linear, ReLU, Linear, ReLU, ..., Linear with PyTorch's default initialisation from a seed. */
    static Sequential reluNet(long seed, int... sizes) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            if (i > 0) {
                layers.add(new ReLU());
            }
            layers.add(new Linear(sizes[i], sizes[i + 1], rng));
        }
        return new Sequential(layers);
    }

    static Tensor randomPoint(SplittableRandom rng, int... shape) {
        return Tensor.randn(rng, shape);
    }
}
