package perceptron.nn;

import perceptron.ops.Activations;
import perceptron.tensor.Tensor;

/**
 * clamp(x, min, max), default [-1, 1]. Derivative 1 strictly inside, 0 outside and at both edges (PyTorch's
 * convention, unlike clamp's). Any shape in, same shape out.
 */
public class Hardtanh extends Layer {
    private final double minValue;
    private final double maxValue;

    public Hardtanh() {
        this(-1, 1);
    }

    public Hardtanh(double minValue, double maxValue) {
        if (!(minValue < maxValue)) {
            throw new IllegalArgumentException("Hardtanh: min " + minValue + " must be below max " + maxValue);
        }
        this.minValue = minValue;
        this.maxValue = maxValue;
    }

    public double minValue() {
        return minValue;
    }

    public double maxValue() {
        return maxValue;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.hardtanh(input, minValue, maxValue);
    }

    @Override
    protected String extraRepr() {
        return "min_val=" + minValue + ", max_val=" + maxValue;
    }
}
