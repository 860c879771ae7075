package perceptron.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import perceptron.train.EpochMetrics;

/**
 * A trained MLP classifier as a spark.ml model: rawPrediction holds the logits, probability their softmax,
 * prediction the most probable class. Saves and loads with Spark's {@code write()} / {@code read()} (the
 * weights as safetensors in the model folder), and converts to and from the run directories of
 * {@code perceptron train}.
 *
 * <pre>{@code
 * PerceptronClassificationModel model = new PerceptronClassifier().setHiddenLayers(256).fit(train);
 * model.transform(test).select("prediction", "probability").show();
 * model.write().overwrite().save("hdfs:///models/mlp");
 * model.toRunDirectory(Path.of("runs/from-spark"));      // then: bin/perceptron evaluate runs/from-spark
 * }</pre>
 */
public final class PerceptronClassificationModel
        extends ProbabilisticClassificationModel<Vector, PerceptronClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private Network network;
    private List<SparkEpoch> history = List.of();
    private transient byte[] optimizerState;
    private long steps;

    /** For Spark's persistence; a model made this way has no weights until it is loaded. */
    public PerceptronClassificationModel(String uid) {
        this(uid, null);
    }

    PerceptronClassificationModel(String uid, Network network) {
        this(PendingUid.hold(uid), network, true);
    }

    private PerceptronClassificationModel(String uid, Network network, boolean held) {
        this.uid = uid;
        PendingUid.release();
        this.network = network;
    }

    /** A classifier from a run directory written by {@code perceptron train} (model.json and model.safetensors). */
    public static PerceptronClassificationModel fromRunDirectory(Path dir) throws IOException {
        return new PerceptronClassificationModel(Identifiable$.MODULE$.randomUID("perceptronClassificationModel"),
                ModelFolder.fromRunDirectory(dir));
    }

    /** Writes this model as a run directory (model.safetensors, model.json, metrics.csv and a checkpoint). */
    public void toRunDirectory(Path dir) throws IOException {
        ModelFolder.toRunDirectory(network(), dir, optimizerState,
                history.stream().map(SparkEpoch::toEpochMetrics).toList(), steps);
    }

    void setTrainingOutcome(List<SparkEpoch> history, byte[] optimizerState, long steps) {
        this.history = List.copyOf(history);
        this.optimizerState = optimizerState;
        this.steps = steps;
    }

    /** One entry per epoch trained (empty for a loaded model). */
    public List<SparkEpoch> history() {
        return history;
    }

    /** The metrics as the rows of a run directory's metrics.csv. */
    public List<EpochMetrics> metrics() {
        return history.stream().map(SparkEpoch::toEpochMetrics).toList();
    }

    /** The weights as a state dict (PyTorch's names: 1.weight, 1.bias, ...). */
    public java.util.Map<String, perceptron.tensor.Tensor> stateDict() {
        return network().stateDict();
    }

    /** The architecture, as in model.json. */
    public perceptron.train.ModelSpec modelSpec() {
        return network().spec();
    }

    Network network() {
        if (network == null) {
            throw new IllegalStateException("this PerceptronClassificationModel has no weights: fit it, load it "
                    + "with PerceptronClassificationModel.load(path), or read a run directory");
        }
        return network;
    }

    @Override
    public String uid() {
        return uid != null ? uid : PendingUid.current();    // see PendingUid
    }

    @Override
    public int numClasses() {
        return network().spec().outputs();
    }

    @Override
    public int numFeatures() {
        return network().spec().inputFeatures();
    }

    @Override
    public Vector predictRaw(Vector features) {
        return Vectors.dense(network().forward(Scoring.features(features, numFeatures(), getFeaturesCol())));
    }

    /** Softmax of the logits, in place (subtracting the largest logit first, so no exp overflows). */
    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        double[] v = ((DenseVector) rawPrediction).values();
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(v[i] - max);
            sum += v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= sum;
        }
        return rawPrediction;
    }

    /** Java sees two inherited versions of this Scala method (with covariant results); this picks the subclass's. */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public PerceptronClassificationModel copy(ParamMap extra) {
        PerceptronClassificationModel copy = new PerceptronClassificationModel(uid, network);
        copy.history = history;
        copy.optimizerState = optimizerState;
        copy.steps = steps;
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

    public static MLReader<PerceptronClassificationModel> read() {
        return ModelFolder.reader((model, network) -> model.network = network);
    }

    public static PerceptronClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "PerceptronClassificationModel: uid=" + uid + ", " + (network == null ? "no weights" : network.spec());
    }
}
