package perceptron.nn;

import perceptron.ops.Activations;
import perceptron.tensor.Tensor;

/** min(max(x, 0), 6): hardtanh on [0, 6]. Derivative 1 on (0, 6), 0 elsewhere including both edges. */
public final class ReLU6 extends Hardtanh {
    public ReLU6() {
        super(0, 6);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Activations.relu6(input);
    }

    @Override
    protected String extraRepr() {
        return "";
    }
}
