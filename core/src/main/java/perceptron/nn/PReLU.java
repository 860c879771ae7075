package perceptron.nn;

import perceptron.ops.Activations;
import perceptron.tensor.Tensor;

/**
 * Parametric ReLU (He et al. 2015): max(x, 0) + a * min(x, 0) with a learnable slope a, one shared by all units
 * (numParameters = 1) or one per channel (axis 1 of the input), initialised to 0.25 as in PyTorch.
 * Derivatives: d/dx = 1 for x &gt; 0 and a for x &lt;= 0; d/da = min(x, 0) (0 at x = 0). The slope is a
 * parameter named "weight", like PyTorch's, and weight decay does not apply to it.
 */
public final class PReLU extends Layer {
    private final Tensor weight;

    public PReLU() {
        this(1, 0.25);
    }

    public PReLU(int numParameters, double init) {
        if (numParameters < 1) {
            throw new IllegalArgumentException("PReLU: numParameters must be >= 1, got " + numParameters);
        }
        this.weight = registerParameter("weight", Tensor.full(init, numParameters), false);
    }

    /** The slopes: shape [1] or [channels]. */
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.prelu(input, weight);
    }

    @Override
    protected String extraRepr() {
        return "num_parameters=" + weight.size();
    }
}
