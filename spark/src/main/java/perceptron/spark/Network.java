package perceptron.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import perceptron.autograd.Autograd;
import perceptron.io.Json;
import perceptron.io.SafeTensors;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;
import perceptron.train.ModelSpec;
import perceptron.train.TrainingSettings;

/**
 * A trained network as a Spark model carries it: the architecture and training settings (model.json's words) and
 * the weights as safetensors bytes. Serializable, so it travels to executors inside the model; each thread that
 * scores rows builds its own copy of the network once (a Layer's forward pass is not thread-safe).
 */
final class Network implements Serializable {
    private static final long serialVersionUID = 1L;

    private final NetworkConfig config;
    private final byte[] weights;
    private transient ThreadLocal<Layer> layers;

    Network(ModelSpec spec, TrainingSettings settings, boolean classification, byte[] weights) {
        this.config = new NetworkConfig(spec, settings, classification);
        this.weights = weights;
    }

    ModelSpec spec() {
        return config.spec();
    }

    TrainingSettings settings() {
        return config.settings();
    }

    boolean classification() {
        return config.classification;
    }

    byte[] weights() {
        return weights.clone();
    }

    /** A fresh network with these weights, in eval mode. */
    Layer build() {
        Layer net = spec().build(new java.util.SplittableRandom(0), 0);
        net.loadStateDict(DataParallelTrainer.read(weights));
        net.eval();
        return net;
    }

    Map<String, Tensor> stateDict() {
        return DataParallelTrainer.read(weights);
    }

    /** The network's outputs (logits, or the regression value) for one row of features. */
    double[] forward(float[] features) {
        if (layers == null) {
            synchronized (this) {
                if (layers == null) {
                    layers = ThreadLocal.withInitial(this::build);
                }
            }
        }
        try (Autograd.Scope noGrad = Autograd.noGrad()) {
            Tensor out = layers.get().forward(Tensor.wrap(features, 1, features.length));
            float[] v = out.toFloatArray();
            double[] result = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                result[i] = v[i];
            }
            return result;
        }
    }

    /** model.json's architecture and training objects plus the task, for the Spark model folder. */
    String describe() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("architecture", spec().toJson());
        d.put("training", settings().toJson());
        d.put("task", config.classification ? "classification" : "regression");
        return Json.pretty(d);
    }

    @SuppressWarnings("unchecked")
    static Network fromDescription(String json, byte[] weights) {
        Map<String, Object> d = (Map<String, Object>) Json.parse(json);
        return new Network(ModelSpec.fromJson((Map<String, Object>) d.get("architecture")),
                TrainingSettings.fromJson((Map<String, Object>) d.get("training")),
                "classification".equals(d.get("task")), weights);
    }

    static byte[] toBytes(Map<String, Tensor> state) {
        return SafeTensors.toBytes(state, Map.of("format", "pt", "producer", "perceptron"));
    }

    static void checkReadable(byte[] weights, String name) {
        try {
            SafeTensors.fromBytes(weights, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
