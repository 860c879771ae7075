package perceptron.train;

import java.util.List;
import perceptron.io.InvalidInputException;
import perceptron.nn.ActivationLayer;
import perceptron.nn.Identity;
import perceptron.nn.Layer;
import perceptron.ops.Activations;

/** The activation layers an MLP can be built with, by the names the CLI and model.json use. */
final class Activation {
    private Activation() {
    }

    /** Every accepted name: the activation family of {@link Activations#names()} and "identity". */
    static List<String> names() {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(Activations.names());
        all.add("identity");
        return all;
    }

    static void check(String name) {
        module(name);
    }

    static Layer module(String name) {
        if (name.equalsIgnoreCase("identity") || name.equalsIgnoreCase("none")) {
            return new Identity();
        }
        try {
            return ActivationLayer.of(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown activation '" + name + "' (choose from " + names() + ")", e);
        }
    }
}
