package perceptron.nn;

import perceptron.tensor.Tensor;

/**
 * softmax along one axis (default 1, the classes of [N, C] logits), as nn.Softmax: exp(x_i) / sum_j exp(x_j),
 * computed with the maximum subtracted first. A head that turns logits into probabilities, e.g. for an exported
 * model; train on logits with the cross-entropy loss instead.
 */
public final class Softmax extends Layer {
    private final int axis;

    public Softmax() {
        this(1);
    }

    public Softmax(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(axis);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + axis;
    }
}
