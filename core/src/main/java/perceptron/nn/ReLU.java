package perceptron.nn;

import perceptron.tensor.Tensor;

/** Elementwise relu as a layer: max(x, 0); derivative 0 at x <= 0 (including 0), 1 above. Any shape in, same shape out. */
public final class ReLU extends Layer {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
