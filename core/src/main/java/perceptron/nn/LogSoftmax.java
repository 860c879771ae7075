package perceptron.nn;

import perceptron.tensor.Tensor;

/** log softmax along one axis (default 1), as nn.LogSoftmax: x_i - log sum_j exp(x_j), without overflow. */
public final class LogSoftmax extends Layer {
    private final int axis;

    public LogSoftmax() {
        this(1);
    }

    public LogSoftmax(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(axis);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + axis;
    }
}
