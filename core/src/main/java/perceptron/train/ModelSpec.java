package perceptron.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import perceptron.io.InvalidInputException;
import perceptron.io.JsonFields;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Dropout;
import perceptron.nn.Flatten;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.Sequential;

/**
 * The architecture of an MLP, enough to rebuild it from model.json: input shape, hidden widths, activation,
 * per-layer dropout, batch normalisation, number of outputs.
 *
 * <p>The network is {@code Flatten, [Linear, (BatchNorm1d), activation, (Dropout)] per hidden layer, Linear}, so
 * d2l's MLP (784-256-10, ReLU) is {@code Sequential(Flatten, Linear, ReLU, Linear)} with the same state dict
 * keys as the PyTorch version of the book ({@code 1.weight ... 3.bias}).
 */
public record ModelSpec(int[] inputShape, int[] hidden, String activation, double[] dropout, boolean batchNorm,
                        int outputs) {

    public ModelSpec {
        inputShape = inputShape.clone();
        hidden = hidden.clone();
        dropout = dropout.clone();
        if (dropout.length != 0 && dropout.length != hidden.length) {
            throw new IllegalArgumentException("dropout: give one probability per hidden layer (" + hidden.length
                    + "), got " + dropout.length + " (" + Arrays.toString(dropout) + ")");
        }
        for (double p : dropout) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout: probabilities must be in [0, 1), got " + p);
            }
        }
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden: layer widths must be positive, got " + Arrays.toString(hidden));
            }
        }
        if (outputs <= 0) {
            throw new IllegalArgumentException("outputs must be positive, got " + outputs);
        }
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("input_shape must have at least one dimension");
        }
        long features = 1;
        for (int d : inputShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("input_shape: dimensions must be positive, got "
                        + Arrays.toString(inputShape));
            }
            features *= d;
            if (features > MAX_ELEMENTS) {
                throw new IllegalArgumentException("input_shape " + Arrays.toString(inputShape)
                        + " has more than 2^31 - 9 features");
            }
        }
        long in = features;
        for (int i = 0; i <= hidden.length; i++) {
            long out = i < hidden.length ? hidden[i] : outputs;
            if (in * out > MAX_ELEMENTS) {
                throw new IllegalArgumentException("layer " + (i + 1) + " would have " + in + " x " + out + " = "
                        + in * out + " weights, more than one Java array holds (2^31 - 9)");
            }
            in = out;
        }
        Activation.check(activation);
    }

    /** The most elements one tensor holds (a Java array). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Trainable scalars of the network {@link #build} makes, computed without building it. */
    public long parameterCount() {
        long count = 0;
        long in = inputFeatures();
        for (int h : hidden) {
            count += in * h + h + (batchNorm ? 2L * h : 0);
            in = h;
        }
        return count + in * outputs + outputs;
    }

    /** d2l's MLP of section 5.2: 784-256-10 with ReLU. */
    public static ModelSpec d2lMlp() {
        return new ModelSpec(new int[] {1, 28, 28}, new int[] {256}, "relu", new double[0], false, 10);
    }

    public int inputFeatures() {
        int n = 1;
        for (int d : inputShape) {
            n *= d;
        }
        return n;
    }

    /** Builds the network; Linear layers draw their (PyTorch default) initial weights from rng. */
    public Sequential build(RandomGenerator rng, long dropoutSeed) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        int in = inputFeatures();
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new Linear(in, hidden[i], rng));
            if (batchNorm) {
                layers.add(new BatchNorm1d(hidden[i]));
            }
            layers.add(Activation.module(activation));
            if (dropout.length > 0 && dropout[i] > 0) {
                layers.add(new Dropout(dropout[i], dropoutSeed + 1_000_003L * i));
            }
            in = hidden[i];
        }
        layers.add(new Linear(in, outputs, rng));
        return new Sequential(layers);
    }

    /** The JSON object stored under "architecture" in model.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "mlp");
        m.put("input_shape", toList(inputShape));
        m.put("hidden", toList(hidden));
        m.put("activation", activation);
        List<Object> d = new ArrayList<>();
        for (double p : dropout) {
            d.add(p);
        }
        m.put("dropout", d);
        m.put("batch_norm", batchNorm);
        m.put("outputs", outputs);
        return m;
    }

    /**
     * Reads what {@link #toJson()} wrote. Every field is checked (type, range, exactness); errors name the file
     * and the field, e.g. {@code model.json: architecture.hidden[0] must be an integer from 1 to 2147483647}.
     */
    public static ModelSpec fromJson(JsonFields a) {
        a.require("type", "mlp");
        int[] inputShape = a.integers("input_shape", 1, Integer.MAX_VALUE);
        int[] hidden = a.integers("hidden", 1, Integer.MAX_VALUE);
        String activation = a.string("activation");
        double[] dropout = a.numbers("dropout", 0, 1);
        boolean batchNorm = a.bool("batch_norm");
        int outputs = a.integer("outputs", 1, Integer.MAX_VALUE);
        try {
            return new ModelSpec(inputShape, hidden, activation, dropout, batchNorm, outputs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(a.source() + ": architecture: " + e.getMessage(), e);
        }
    }

    /** {@link #fromJson(JsonFields)} for a map already parsed (errors then name no file). */
    public static ModelSpec fromJson(Map<String, Object> m) {
        return fromJson(JsonFields.of("architecture", m));
    }

    private static List<Object> toList(int[] v) {
        List<Object> out = new ArrayList<>();
        for (int x : v) {
            out.add(x);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && Arrays.equals(inputShape, s.inputShape) && Arrays.equals(hidden, s.hidden)
                && activation.equals(s.activation) && Arrays.equals(dropout, s.dropout) && batchNorm == s.batchNorm
                && outputs == s.outputs;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return "mlp " + Arrays.toString(inputShape) + " -> " + Arrays.toString(hidden) + " (" + activation
                + (dropout.length > 0 ? ", dropout " + Arrays.toString(dropout) : "")
                + (batchNorm ? ", batch norm" : "") + ") -> " + outputs;
    }
}
