package perceptron.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
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
        Activation.check(activation);
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

    /** Reads what {@link #toJson()} wrote; errors name the missing or malformed field. */
    public static ModelSpec fromJson(Map<String, Object> m) {
        Object type = m.get("type");
        if (!"mlp".equals(type)) {
            throw new IllegalArgumentException("architecture.type must be \"mlp\", got " + type);
        }
        return new ModelSpec(ints(m, "input_shape"), ints(m, "hidden"), string(m, "activation"),
                doubles(m, "dropout"), bool(m, "batch_norm"), (int) number(m, "outputs"));
    }

    private static List<Object> toList(int[] v) {
        List<Object> out = new ArrayList<>();
        for (int x : v) {
            out.add(x);
        }
        return out;
    }

    private static Object field(Map<String, Object> m, String key) {
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("architecture." + key + " is missing");
        }
        return m.get(key);
    }

    private static double number(Map<String, Object> m, String key) {
        Object v = field(m, key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("architecture." + key + " must be a number, got " + v);
        }
        return n.doubleValue();
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = field(m, key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("architecture." + key + " must be a string, got " + v);
        }
        return s;
    }

    private static boolean bool(Map<String, Object> m, String key) {
        Object v = field(m, key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("architecture." + key + " must be true or false, got " + v);
        }
        return b;
    }

    private static List<?> list(Map<String, Object> m, String key) {
        Object v = field(m, key);
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("architecture." + key + " must be a list, got " + v);
        }
        return l;
    }

    private static int[] ints(Map<String, Object> m, String key) {
        List<?> l = list(m, key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("architecture." + key + "[" + i + "] must be an integer, got "
                        + l.get(i));
            }
            out[i] = n.intValue();
        }
        return out;
    }

    private static double[] doubles(Map<String, Object> m, String key) {
        List<?> l = list(m, key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("architecture." + key + "[" + i + "] must be a number, got "
                        + l.get(i));
            }
            out[i] = n.doubleValue();
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
