package perceptron.spark;

import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;

/**
 * An MLP regressor for spark.ml (one output, mean squared error), trained by synchronous data-parallel SGD; the
 * parameters are those of {@link PerceptronClassifier} (see {@link PerceptronParams}). Standardise the features
 * (StandardScaler) and, for targets far from unit scale, the label too.
 */
public final class PerceptronRegressor
        extends Regressor<Vector, PerceptronRegressor, PerceptronRegressionModel>
        implements PerceptronParams, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final TrainingParams params;
    private transient Consumer<SparkEpoch> epochListener;

    public PerceptronRegressor() {
        this(Identifiable$.MODULE$.randomUID("perceptronRegressor"));
    }

    public PerceptronRegressor(String uid) {
        this(PendingUid.hold(uid), true);
    }

    private PerceptronRegressor(String uid, boolean held) {
        this.uid = uid;
        PendingUid.release();
        this.params = new TrainingParams(this);
        params.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid != null ? uid : PendingUid.current();    // see PendingUid
    }

    /** Called on the driver after every epoch (progress, or a test's fault injection); not saved, not copied. */
    public PerceptronRegressor setEpochListener(Consumer<SparkEpoch> listener) {
        this.epochListener = listener;
        return this;
    }

    /** Checks the columns first, so a wrong type gets this project's message rather than Spark's requirement. */
    @Override
    public PerceptronRegressionModel fit(Dataset<?> dataset) {
        TrainingData.checkFeaturesColumn(dataset.schema(), getFeaturesCol());
        TrainingData.checkLabelColumn(dataset.schema(), getLabelCol());
        return super.fit(dataset);
    }

    @Override
    public PerceptronRegressionModel train(Dataset<?> dataset) {
        int partitions = getNumPartitions() > 0 ? getNumPartitions()
                : JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).defaultParallelism();
        try (TrainingData data = TrainingData.prepare(dataset, getFeaturesCol(), getLabelCol(), false, partitions,
                getValidationFraction(), getSeed())) {
            NetworkConfig config = new NetworkConfig(modelSpec(data.features, data.outputs), trainingSettings(), false);
            DataParallelTrainer.Result r = DataParallelTrainer.train(
                    JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()), data, config,
                    getEarlyStoppingPatience(), epochListener);
            PerceptronRegressionModel model = new PerceptronRegressionModel(
                    Identifiable$.MODULE$.randomUID("perceptronRegressionModel"),
                    new Network(r.spec(), r.settings(), false, r.weights()));
            model.setTrainingOutcome(r.history(), r.optimizerState(), r.steps());
            return model;
        }
    }

    @Override
    public PerceptronRegressor copy(ParamMap extra) {
        PerceptronRegressor copy = defaultCopy(extra);
        copy.epochListener = epochListener;
        return copy;
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    public static MLReader<PerceptronRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static PerceptronRegressor load(String path) {
        return read().load(path);
    }

    // ---- params (Spark finds them through these public methods) ------------------------------------------------

    @Override public IntArrayParam hiddenLayers() { return params.hiddenLayers; }
    @Override public Param<String> activation() { return params.activation; }
    @Override public DoubleParam dropout() { return params.dropout; }
    @Override public Param<String> optimizer() { return params.optimizer; }
    @Override public DoubleParam learningRate() { return params.learningRate; }
    @Override public DoubleParam momentum() { return params.momentum; }
    @Override public DoubleParam weightDecay() { return params.weightDecay; }
    @Override public IntParam batchSize() { return params.batchSize; }
    @Override public IntParam epochs() { return params.epochs; }
    @Override public LongParam seed() { return params.seed; }
    @Override public Param<String> init() { return params.init; }
    @Override public DoubleParam validationFraction() { return params.validationFraction; }
    @Override public IntParam earlyStoppingPatience() { return params.earlyStoppingPatience; }
    @Override public IntParam numPartitions() { return params.numPartitions; }

    public PerceptronRegressor setHiddenLayers(int... widths) { return (PerceptronRegressor) set(hiddenLayers(), widths); }
    public PerceptronRegressor setActivation(String name) { return (PerceptronRegressor) set(activation(), name); }
    public PerceptronRegressor setDropout(double p) { return (PerceptronRegressor) set(dropout(), p); }
    public PerceptronRegressor setOptimizer(String name) { return (PerceptronRegressor) set(optimizer(), name); }
    public PerceptronRegressor setLearningRate(double lr) { return (PerceptronRegressor) set(learningRate(), lr); }
    public PerceptronRegressor setMomentum(double m) { return (PerceptronRegressor) set(momentum(), m); }
    public PerceptronRegressor setWeightDecay(double wd) { return (PerceptronRegressor) set(weightDecay(), wd); }
    public PerceptronRegressor setBatchSize(int size) { return (PerceptronRegressor) set(batchSize(), size); }
    public PerceptronRegressor setEpochs(int n) { return (PerceptronRegressor) set(epochs(), n); }
    public PerceptronRegressor setSeed(long seed) { return (PerceptronRegressor) set(seed(), seed); }
    public PerceptronRegressor setInit(String name) { return (PerceptronRegressor) set(init(), name); }
    public PerceptronRegressor setValidationFraction(double f) { return (PerceptronRegressor) set(validationFraction(), f); }
    public PerceptronRegressor setEarlyStoppingPatience(int epochs) { return (PerceptronRegressor) set(earlyStoppingPatience(), epochs); }
    public PerceptronRegressor setNumPartitions(int n) { return (PerceptronRegressor) set(numPartitions(), n); }
}
