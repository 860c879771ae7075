package perceptron.nn;

import java.util.random.RandomGenerator;
import perceptron.nn.init.Init;
import perceptron.ops.Linalg;
import perceptron.tensor.Tensor;

/**
 * Fully connected layer: y = x W^T + b.
 *
 * <p>Shapes: input [*, in], output [*, out]; weight [out, in] and bias [out], as in PyTorch, so state dicts
 * ({@code "weight"}, {@code "bias"}) are interchangeable. Initialised like PyTorch's default (uniform in
 * +-1/sqrt(in)) unless re-initialised with {@link perceptron.nn.init.Init}.
 *
 * <pre>{@code
 * Linear layer = new Linear(784, 256, new SplittableRandom(42));
 * Tensor y = layer.forward(x);          // x: [batch, 784] -> y: [batch, 256]
 * }</pre>
 */
public final class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** With a bias, initialised from the default generator ({@link Init#manualSeed}). */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.defaultGenerator());
    }

    public Linear(int inFeatures, int outFeatures, RandomGenerator rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: feature counts must be positive, got in=" + inFeatures
                    + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures), true);
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures), false) : null;
        Init.linearDefault(this.weight, this.bias, rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Linalg.linear(input, weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer built without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
