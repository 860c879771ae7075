package perceptron.train;

import java.util.List;
import perceptron.nn.Identity;
import perceptron.nn.Module;
import perceptron.nn.ReLU;
import perceptron.nn.Sigmoid;
import perceptron.nn.Tanh;

/** The activation layers an MLP can be built with, by the names the CLI and model.json use. */
final class Activation {
    static final List<String> NAMES = List.of("relu", "sigmoid", "tanh", "identity");

    private Activation() {
    }

    static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown activation '" + name + "' (choose from " + NAMES + ")");
        }
    }

    static Module module(String name) {
        switch (name) {
            case "relu": return new ReLU();
            case "sigmoid": return new Sigmoid();
            case "tanh": return new Tanh();
            case "identity": return new Identity();
            default: throw new IllegalArgumentException("unknown activation '" + name + "' (choose from " + NAMES + ")");
        }
    }
}
