package perceptron.nn;

import java.util.function.UnaryOperator;
import perceptron.ops.Activations;
import perceptron.tensor.Tensor;

/**
 * Any elementwise activation of {@link Activations#names()} as a layer, by name ("gelu", "silu", "mish",
 * "softplus", ...), with that function's defaults. {@link #of} returns the dedicated class where one exists
 * (ReLU, PReLU, LeakyReLU, ...), so analysis tools recognise piecewise-linear layers.
 */
public final class ActivationLayer extends Layer {
    private final String name;
    private final UnaryOperator<Tensor> function;

    private ActivationLayer(String name) {
        this.name = name;
        this.function = Activations.byName(name);
    }

    /** The layer for an activation name (case, '-' and '_' ignored; "swish" is silu); unknown names fail. */
    public static Layer of(String name) {
        String canonical = Activations.canonicalName(name);
        switch (canonical) {
            case "relu": return new ReLU();
            case "sigmoid": return new Sigmoid();
            case "tanh": return new Tanh();
            case "prelu": return new PReLU();
            case "leakyRelu": return new LeakyReLU();
            case "hardtanh": return new Hardtanh();
            case "relu6": return new ReLU6();
            default: return new ActivationLayer(canonical);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor input) {
        return function.apply(input);
    }

    @Override
    public String toString() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1) + "()";
    }
}
