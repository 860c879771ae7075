package perceptron.spark;

import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
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
 * An MLP classifier for spark.ml, trained by synchronous data-parallel SGD (see {@link PerceptronParams} for the
 * parameters and their defaults, docs/spark.md for the design). Labels are class indices 0, 1, ..., C-1 (C is the
 * largest label + 1); features a Vector column, e.g. from VectorAssembler.
 *
 * <pre>{@code
 * PerceptronClassifier mlp = new PerceptronClassifier()
 *         .setHiddenLayers(256, 256).setDropout(0.2).setOptimizer("adam").setLearningRate(1e-3)
 *         .setEpochs(10).setNumPartitions(2);
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, mlp}).fit(train);
 * }</pre>
 */
public final class PerceptronClassifier
        extends ProbabilisticClassifier<Vector, PerceptronClassifier, PerceptronClassificationModel>
        implements PerceptronParams, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final TrainingParams params;
    private transient Consumer<SparkEpoch> epochListener;

    public PerceptronClassifier() {
        this(Identifiable$.MODULE$.randomUID("perceptronClassifier"));
    }

    public PerceptronClassifier(String uid) {
        this(PendingUid.hold(uid), true);
    }

    private PerceptronClassifier(String uid, boolean held) {
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
    public PerceptronClassifier setEpochListener(Consumer<SparkEpoch> listener) {
        this.epochListener = listener;
        return this;
    }

    /** Checks the columns first, so a wrong type gets this project's message rather than Spark's requirement. */
    @Override
    public PerceptronClassificationModel fit(Dataset<?> dataset) {
        TrainingData.checkFeaturesColumn(dataset.schema(), getFeaturesCol());
        TrainingData.checkLabelColumn(dataset.schema(), getLabelCol());
        return super.fit(dataset);
    }

    @Override
    public PerceptronClassificationModel train(Dataset<?> dataset) {
        int partitions = getNumPartitions() > 0 ? getNumPartitions()
                : JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).defaultParallelism();
        try (TrainingData data = TrainingData.prepare(dataset, getFeaturesCol(), getLabelCol(), true, partitions,
                getValidationFraction(), getSeed())) {
            NetworkConfig config = new NetworkConfig(modelSpec(data.features, data.outputs), trainingSettings(), true);
            DataParallelTrainer.Result r = DataParallelTrainer.train(
                    JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()), data, config,
                    getEarlyStoppingPatience(), epochListener);
            PerceptronClassificationModel model = new PerceptronClassificationModel(
                    Identifiable$.MODULE$.randomUID("perceptronClassificationModel"),
                    new Network(r.spec(), r.settings(), true, r.weights()));
            model.setTrainingOutcome(r.history(), r.optimizerState(), r.steps());
            return model;
        }
    }

    @Override
    public PerceptronClassifier copy(ParamMap extra) {
        PerceptronClassifier copy = defaultCopy(extra);
        copy.epochListener = epochListener;
        return copy;
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    public static MLReader<PerceptronClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static PerceptronClassifier load(String path) {
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

    public PerceptronClassifier setHiddenLayers(int... widths) { return (PerceptronClassifier) set(hiddenLayers(), widths); }
    public PerceptronClassifier setActivation(String name) { return (PerceptronClassifier) set(activation(), name); }
    public PerceptronClassifier setDropout(double p) { return (PerceptronClassifier) set(dropout(), p); }
    public PerceptronClassifier setOptimizer(String name) { return (PerceptronClassifier) set(optimizer(), name); }
    public PerceptronClassifier setLearningRate(double lr) { return (PerceptronClassifier) set(learningRate(), lr); }
    public PerceptronClassifier setMomentum(double m) { return (PerceptronClassifier) set(momentum(), m); }
    public PerceptronClassifier setWeightDecay(double wd) { return (PerceptronClassifier) set(weightDecay(), wd); }
    public PerceptronClassifier setBatchSize(int size) { return (PerceptronClassifier) set(batchSize(), size); }
    public PerceptronClassifier setEpochs(int n) { return (PerceptronClassifier) set(epochs(), n); }
    public PerceptronClassifier setSeed(long seed) { return (PerceptronClassifier) set(seed(), seed); }
    public PerceptronClassifier setInit(String name) { return (PerceptronClassifier) set(init(), name); }
    public PerceptronClassifier setValidationFraction(double f) { return (PerceptronClassifier) set(validationFraction(), f); }
    public PerceptronClassifier setEarlyStoppingPatience(int epochs) { return (PerceptronClassifier) set(earlyStoppingPatience(), epochs); }
    public PerceptronClassifier setNumPartitions(int n) { return (PerceptronClassifier) set(numPartitions(), n); }
}
