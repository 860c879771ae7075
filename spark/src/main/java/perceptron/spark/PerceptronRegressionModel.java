package perceptron.spark;

import java.io.IOException;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A trained MLP regressor as a spark.ml model: prediction is the network's single output. Saves and loads with
 * Spark's {@code write()} / {@code read()}, the weights as safetensors in the model folder.
 */
public final class PerceptronRegressionModel extends RegressionModel<Vector, PerceptronRegressionModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private Network network;
    private List<SparkEpoch> history = List.of();

    /** For Spark's persistence; a model made this way has no weights until it is loaded. */
    public PerceptronRegressionModel(String uid) {
        this(uid, null);
    }

    PerceptronRegressionModel(String uid, Network network) {
        this(PendingUid.hold(uid), network, true);
    }

    private PerceptronRegressionModel(String uid, Network network, boolean held) {
        this.uid = uid;
        PendingUid.release();
        this.network = network;
    }

    void setTrainingOutcome(List<SparkEpoch> history, byte[] optimizerState, long steps) {
        this.history = List.copyOf(history);
    }

    /** One entry per epoch trained (empty for a loaded model). */
    public List<SparkEpoch> history() {
        return history;
    }

    /** The weights as a state dict (PyTorch's names: 1.weight, 1.bias, ...). */
    public java.util.Map<String, perceptron.tensor.Tensor> stateDict() {
        return network().stateDict();
    }

    Network network() {
        if (network == null) {
            throw new IllegalStateException("this PerceptronRegressionModel has no weights: fit it or load it");
        }
        return network;
    }

    @Override
    public String uid() {
        return uid != null ? uid : PendingUid.current();    // see PendingUid
    }

    @Override
    public int numFeatures() {
        return network().spec().inputFeatures();
    }

    @Override
    public double predict(Vector features) {
        return network().forward(Scoring.features(features, numFeatures(), getFeaturesCol()))[0];
    }

    @Override
    public PerceptronRegressionModel copy(ParamMap extra) {
        PerceptronRegressionModel copy = new PerceptronRegressionModel(uid, network);
        copy.history = history;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ModelFolder.writer(this, network());
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<PerceptronRegressionModel> read() {
        return ModelFolder.reader((model, network) -> model.network = network);
    }

    public static PerceptronRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "PerceptronRegressionModel: uid=" + uid + ", " + (network == null ? "no weights" : network.spec());
    }
}
