package perceptron.nn;

import perceptron.tensor.Tensor;

/**
 * Collapses axes startAxis..endAxis into one (default 1..-1: keeps the batch axis), as nn.Flatten.
 * Input [N, 1, 28, 28] gives [N, 784]. A view when the input is contiguous.
 */
public final class Flatten extends Layer {
    private final int startAxis;
    private final int endAxis;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startAxis, int endAxis) {
        this.startAxis = startAxis;
        this.endAxis = endAxis;
    }

    public int startAxis() {
        return startAxis;
    }

    public int endAxis() {
        return endAxis;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startAxis, endAxis);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startAxis + ", end_dim=" + endAxis;
    }
}
