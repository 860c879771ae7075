package perceptron.nn;

import perceptron.ops.Activations;
import perceptron.tensor.Tensor;

/**
 * max(x, 0) + slope * min(x, 0), default slope 0.01 (PyTorch's). Derivative 1 for x &gt; 0, slope for x &lt;= 0
 * (slope at 0, as PyTorch). Any shape in, same shape out.
 */
public final class LeakyReLU extends Layer {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
