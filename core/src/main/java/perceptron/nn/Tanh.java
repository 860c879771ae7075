package perceptron.nn;

import perceptron.tensor.Tensor;

/** Elementwise tanh as a layer: tanh x; derivative 1 - tanh^2 x from the output. Any shape in, same shape out. */
public final class Tanh extends Layer {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
