package perceptron.nn.init;

import java.util.Locale;
import java.util.random.RandomGenerator;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;

/**
 * A named scheme for the weights of every Linear layer of a model (biases are set to zero, except by
 * {@link #PYTORCH_DEFAULT}): what the CLI's {@code --init} chooses and what d2l's {@code init_weights} does.
 */
public enum Initializer {
    /** N(0, 0.01^2), d2l's choice for the MLP of section 5.2. */
    NORMAL,
    /** Glorot uniform, gain 1. */
    XAVIER,
    /** He normal for relu (fan in). */
    KAIMING,
    /** PyTorch's nn.Linear default (weights and biases uniform in +-1/sqrt(in)). */
    PYTORCH_DEFAULT,
    /**
     * Every weight {@value #CONSTANT_VALUE}, biases 0: d2l 5.4's symmetry exercise. All hidden units of a layer
     * compute the same function and get the same gradient, so they stay identical however long one trains.
     */
    CONSTANT;

    /** The weight value of {@link #CONSTANT} (the scale of {@link #NORMAL}'s standard deviation). */
    public static final double CONSTANT_VALUE = 0.01;

    /** The name the CLI and model.json use: normal, xavier, kaiming, default or constant. */
    @Override
    public String toString() {
        return this == PYTORCH_DEFAULT ? "default" : name().toLowerCase(Locale.ROOT);
    }

    /** Parses "normal", "xavier", "kaiming" (or "he"), "default" (or "pytorch") or "constant". */
    public static Initializer parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "normal": return NORMAL;
            case "xavier": return XAVIER;
            case "kaiming": case "he": return KAIMING;
            case "default": case "pytorch": return PYTORCH_DEFAULT;
            case "constant": return CONSTANT;
            default: throw new IllegalArgumentException("unknown init '" + name
                    + "' (expected normal, xavier, kaiming, default or constant)");
        }
    }

    /** Re-initialises every Linear layer of the model, in order, from {@code rng}. */
    public void apply(Layer model, RandomGenerator rng) {
        for (Layer m : model.namedLayers().values()) {
            if (m instanceof Linear linear) {
                Tensor w = linear.weight();
                Tensor b = linear.bias();
                switch (this) {
                    case NORMAL: Init.normal(w, 0, 0.01, rng); break;
                    case XAVIER: Init.xavierUniform(w, 1.0, rng); break;
                    case KAIMING: Init.kaimingNormal(w, 0, true, "relu", rng); break;
                    case CONSTANT: Init.constant(w, CONSTANT_VALUE); break;
                    default: Init.linearDefault(w, b, rng); continue;
                }
                if (b != null) {
                    Init.zeros(b);
                }
            }
        }
    }
}
