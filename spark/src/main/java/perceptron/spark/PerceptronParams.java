package perceptron.spark;

import java.util.Locale;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import perceptron.train.ModelSpec;
import perceptron.train.TrainingSettings;

/**
 * The training parameters shared by {@link PerceptronClassifier} and {@link PerceptronRegressor}, with their
 * getters. Defaults: d2l's MLP (one hidden layer of 256 ReLU units, SGD with learning rate 0.1, global batch 256,
 * 10 epochs, weights N(0, 0.01), seed 42), all partitions of Spark's default parallelism, no validation.
 */
public interface PerceptronParams extends Params {
    IntArrayParam hiddenLayers();

    Param<String> activation();

    DoubleParam dropout();

    Param<String> optimizer();

    DoubleParam learningRate();

    DoubleParam momentum();

    DoubleParam weightDecay();

    IntParam batchSize();

    IntParam epochs();

    LongParam seed();

    Param<String> init();

    DoubleParam validationFraction();

    IntParam earlyStoppingPatience();

    IntParam numPartitions();

    default int[] getHiddenLayers() {
        return (int[]) $(hiddenLayers());
    }

    default String getActivation() {
        return $(activation());
    }

    default double getDropout() {
        return (Double) $(dropout());
    }

    default String getOptimizer() {
        return $(optimizer());
    }

    default double getLearningRate() {
        return (Double) $(learningRate());
    }

    default double getMomentum() {
        return (Double) $(momentum());
    }

    default double getWeightDecay() {
        return (Double) $(weightDecay());
    }

    default int getBatchSize() {
        return (Integer) $(batchSize());
    }

    default int getEpochs() {
        return (Integer) $(epochs());
    }

    default long getSeed() {
        return (Long) $(seed());
    }

    default String getInit() {
        return $(init());
    }

    default double getValidationFraction() {
        return (Double) $(validationFraction());
    }

    default int getEarlyStoppingPatience() {
        return (Integer) $(earlyStoppingPatience());
    }

    default int getNumPartitions() {
        return (Integer) $(numPartitions());
    }

    /** The architecture these params describe, for {@code features} inputs and {@code outputs} outputs. */
    default ModelSpec modelSpec(int features, int outputs) {
        int[] hidden = getHiddenLayers();
        double[] dropout = new double[getDropout() > 0 ? hidden.length : 0];
        java.util.Arrays.fill(dropout, getDropout());
        return new ModelSpec(new int[] {features}, hidden, getActivation(), dropout, false, outputs);
    }

    /** The settings these params describe; "momentum" is SGD with {@link #momentum()}. */
    default TrainingSettings trainingSettings() {
        String opt = getOptimizer().toLowerCase(Locale.ROOT);
        boolean withMomentum = opt.equals("momentum");
        TrainingSettings.OptimizerType type = withMomentum ? TrainingSettings.OptimizerType.SGD
                : TrainingSettings.OptimizerType.valueOf(opt.toUpperCase(Locale.ROOT));
        return new TrainingSettings(type, getLearningRate(), withMomentum ? getMomentum() : 0, getWeightDecay(),
                getBatchSize(), getEpochs(), perceptron.nn.init.Initializer.parse(getInit()), getSeed(),
                TrainingSettings.ScheduleType.CONSTANT, 0);
    }
}
