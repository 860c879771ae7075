package perceptron.nn;

import perceptron.tensor.Tensor;

/** Elementwise sigmoid as a layer: 1 / (1 + e^-x); derivative s(1 - s) from the output. Any shape in, same shape out. */
public final class Sigmoid extends Layer {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
