package perceptron.nn;

import java.util.ArrayList;
import java.util.List;
import perceptron.tensor.Tensor;

/**
 * Modules applied one after another. Children are named "0", "1", ... like PyTorch's nn.Sequential, so
 * {@code new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10))} has the state dict
 * keys {@code 1.weight, 1.bias, 3.weight, 3.bias}, exactly as PyTorch names the same network.
 */
public final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... modules) {
        for (Layer m : modules) {
            add(m);
        }
    }

    public Sequential(List<? extends Layer> modules) {
        for (Layer m : modules) {
            add(m);
        }
    }

    /** Appends a module; returns this. */
    public Sequential add(Layer m) {
        registerLayer(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Layer m : layers) {
            x = m.call(x);
        }
        return x;
    }

    public int size() {
        return layers.size();
    }

    public Layer get(int index) {
        return layers.get(index);
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }
}
