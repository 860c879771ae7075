package perceptron.spark;

import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * The Param objects of one estimator (Spark finds params through the estimator's public methods, which return
 * these), with their docs, validators and defaults in one place for both estimators.
 */
final class TrainingParams {
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam", "adamw");
    /** Every activation of docs/activations.md, and identity (a linear model). */
    static final List<String> ACTIVATIONS = activations();
    static final List<String> INITS = List.of("normal", "xavier", "kaiming", "default");

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final DoubleParam dropout;
    final Param<String> optimizer;
    final DoubleParam learningRate;
    final DoubleParam momentum;
    final DoubleParam weightDecay;
    final IntParam batchSize;
    final IntParam epochs;
    final LongParam seed;
    final Param<String> init;
    final DoubleParam validationFraction;
    final IntParam earlyStoppingPatience;
    final IntParam numPartitions;

    TrainingParams(org.apache.spark.ml.param.Params uid) {
        hiddenLayers = new IntArrayParam(uid, "hiddenLayers", "widths of the hidden layers, e.g. [256]");
        activation = new Param<>(uid, "activation", "activation of the hidden layers: relu, gelu, tanh, sigmoid, "
                + "... (docs/activations.md) or identity", ParamValidators.inArray(ACTIVATIONS.toArray(new String[0])));
        dropout = new DoubleParam(uid, "dropout", "dropout probability after each hidden activation, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        optimizer = new Param<>(uid, "optimizer", "sgd, momentum, adam or adamw",
                ParamValidators.inArray(OPTIMIZERS.toArray(new String[0])));
        learningRate = new DoubleParam(uid, "learningRate", "learning rate (> 0)", ParamValidators.gt(0));
        momentum = new DoubleParam(uid, "momentum", "momentum of the 'momentum' optimizer, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        weightDecay = new DoubleParam(uid, "weightDecay", "L2 penalty (sgd, momentum, adam) or decoupled decay "
                + "(adamw) on weights, never on biases (>= 0)", ParamValidators.gtEq(0));
        batchSize = new IntParam(uid, "batchSize", "global minibatch size, summed over all partitions (> 0)",
                ParamValidators.gt(0));
        epochs = new IntParam(uid, "epochs", "passes over the training data (>= 1)", ParamValidators.gtEq(1));
        seed = new LongParam(uid, "seed", "seed of the initial weights, the shuffles, the dropout masks and the "
                + "validation split");
        init = new Param<>(uid, "init", "initial weights: normal (N(0, 0.01)), xavier, kaiming or default (PyTorch's)",
                ParamValidators.inArray(INITS.toArray(new String[0])));
        validationFraction = new DoubleParam(uid, "validationFraction", "fraction of the rows held out to measure "
                + "the validation loss after each epoch, for early stopping; 0 for none",
                ParamValidators.inRange(0, 1, true, false));
        earlyStoppingPatience = new IntParam(uid, "earlyStoppingPatience", "stop after this many epochs without a "
                + "lower validation loss, keeping the best weights (with validationFraction > 0)",
                ParamValidators.gtEq(1));
        numPartitions = new IntParam(uid, "numPartitions", "data-parallel workers (barrier tasks); 0 for Spark's "
                + "default parallelism. The same seed and number give bitwise the same model", ParamValidators.gtEq(0));
    }

    private static List<String> activations() {
        List<String> names = new java.util.ArrayList<>(perceptron.ops.Activations.names());
        names.add("identity");
        return List.copyOf(names);
    }

    /** Sets the defaults on {@code stage} (d2l's MLP of section 5.2). */
    void setDefaults(org.apache.spark.ml.param.Params stage) {
        stage.setDefault(hiddenLayers, new int[] {256});
        stage.setDefault(activation, "relu");
        stage.setDefault(dropout, 0.0);
        stage.setDefault(optimizer, "sgd");
        stage.setDefault(learningRate, 0.1);
        stage.setDefault(momentum, 0.9);
        stage.setDefault(weightDecay, 0.0);
        stage.setDefault(batchSize, 256);
        stage.setDefault(epochs, 10);
        stage.setDefault(seed, 42L);
        stage.setDefault(init, "normal");
        stage.setDefault(validationFraction, 0.0);
        stage.setDefault(earlyStoppingPatience, 3);
        stage.setDefault(numPartitions, 0);
    }

}
