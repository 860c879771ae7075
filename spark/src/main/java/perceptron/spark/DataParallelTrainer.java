package perceptron.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import perceptron.autograd.Autograd;
import perceptron.io.SafeTensors;
import perceptron.loss.Loss;
import perceptron.loss.Reduction;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;
import perceptron.tensor.Workspace;
import perceptron.train.Metrics;
import perceptron.train.ModelSpec;
import perceptron.train.TrainingDivergedException;
import perceptron.train.TrainingSettings;
import scala.Function1;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel SGD on Spark.
 *
 * <p>The driver holds the network and the optimiser ({@link TrainingState}). At every step each of the P
 * partitions computes the gradient of the summed loss over its share of the global minibatch
 * ({@link PartitionReplica}); the driver adds the P gradients in partition order 0, 1, ..., P-1 (not in arrival
 * order), divides by the global batch's row count and makes one optimiser step; every partition gets the new
 * weights before the next step. Two exchanges carry a step, with the same arithmetic and so bitwise the same
 * result:
 * <ul>
 *   <li>the default, {@link GradientExchange}: training is one barrier stage whose P tasks exchange with the
 *       driver over Spark's RPC at every step (one round trip per step) and go from epoch to epoch as the driver
 *       says at each epoch's end;</li>
 *   <li>the fallback, one Spark job per step (a broadcast of the weights, one task per partition, a
 *       {@code collect} of the gradients): used for an epoch when the cluster has fewer task slots than there are
 *       partitions (a barrier stage needs all P at once) or uses dynamic allocation (which Spark does not allow
 *       with barrier stages), and for the rest of an epoch whose stage made no step for {@value #STALL_SECONDS} s
 *       while slots were missing (a lost worker), or for {@value #LONG_STALL_SECONDS} s whatever the slots (its
 *       tasks cannot start: slots held by other jobs, excluded executors).</li>
 * </ul>
 * docs/spark.md has the measurements behind this design.
 *
 * <p>Determinism: the data are dealt to partitions by row number, each partition shuffles its rows with a seed
 * made of (seed, epoch, partition), dropout masks likewise; so the same seed and partition count give the same
 * model whatever the cluster and whichever exchange ran. Faults: a step is a pure function of the weights, the
 * cached block and the seeds; when an executor dies Spark reruns the stage (or the step's task) and training
 * continues from the last step made.
 */
final class DataParallelTrainer {
    /** How long the training stage may make no progress, while the cluster lacks slots, before the fallback. */
    static final long STALL_SECONDS = 20;
    /** How long the training stage may make no progress in any case before the fallback. */
    static final long LONG_STALL_SECONDS = 120;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DataParallelTrainer.class);

    private DataParallelTrainer() {
    }

    /** The outcome of training: the final (or, with validation, the best) weights and the history. */
    record Result(ModelSpec spec, TrainingSettings settings, byte[] weights, byte[] optimizerState,
                  List<SparkEpoch> history, long steps) {
    }

    /** Called on the driver after each epoch with the epoch's figures, the network and its optimiser. */
    interface EpochEnd {
        void accept(SparkEpoch epoch, Layer net, Optimizer optimizer) throws java.io.IOException;
    }

    static Result train(JavaSparkContext sc, TrainingData data, NetworkConfig config, int patience,
                        Consumer<SparkEpoch> listener) {
        return train(sc, data, config, patience, (epoch, net, optimizer) -> {
            if (listener != null) {
                listener.accept(epoch);
            }
        });
    }

    static Result train(JavaSparkContext sc, TrainingData data, NetworkConfig config, int patience,
                        EpochEnd listener) {
        TrainingSettings settings = config.settings();
        long total = data.trainRows();
        long stepsPerEpoch = (total + settings.batchSize() - 1) / settings.batchSize();
        int partitions = data.blocks.getNumPartitions();
        TrainingState state = new TrainingState(settings, settings.buildModel(config.spec()), partitions,
                stepsPerEpoch);
        Progress progress = new Progress(state, config, data, patience, listener);
        String exchangeName = "perceptron-exchange-" + UUID.randomUUID();
        if (settings.epochs() < 1) {
            return progress.result();
        }
        int stages = 0;
        state.beginEpoch(1);
        while (true) {
            int epoch = state.epoch();
            if (dynamicAllocation(sc)) {
                if (epoch == 1) {
                    LOG.warn("spark.dynamicAllocation.enabled: Spark runs no barrier stage then, so every step is a "
                            + "Spark job of its own (slower); disable it for this application to train faster");
                }
            } else {
                int slots = taskSlots(sc, partitions, stages == 0);
                if (slots >= partitions) {
                    if (runStage(sc, data, config, state, progress, exchangeName + "-" + ++stages)) {
                        break;                  // the stage trained to the end
                    }
                } else {
                    LOG.warn("epoch {}: the cluster has {} task slots for {} partitions; a barrier stage needs all "
                            + "partitions at once, so this epoch runs one Spark job per step (slower)", epoch, slots,
                            partitions);
                }
            }
            // The rest of the current epoch (the stage may have ended earlier ones), one job per step, then its end.
            for (long s = state.step(); s < stepsPerEpoch; s++) {
                state.apply(runStep(sc, data, config, state, s));
            }
            double[] validation = progress.validating ? evaluate(sc, data, config, state.weights()) : new double[2];
            if (!progress.endEpoch(validation[0], (long) validation[1])) {
                break;
            }
        }
        return progress.result();
    }

    /**
     * The driver's record of a run: the history, the best weights and early stopping. Takes the end of each epoch,
     * whichever exchange made its steps.
     */
    private static final class Progress {
        final TrainingState state;
        final NetworkConfig config;
        final int patience;
        final EpochEnd listener;
        final long total;
        final long validationRows;
        final boolean validating;
        final List<SparkEpoch> history = new ArrayList<>();
        byte[] bestWeights;
        double bestValidationLoss = Double.POSITIVE_INFINITY;
        int epochsWithoutImprovement;
        long steps;
        long epochStart = System.nanoTime();

        Progress(TrainingState state, NetworkConfig config, TrainingData data, int patience, EpochEnd listener) {
            this.state = state;
            this.config = config;
            this.patience = patience;
            this.listener = listener;
            this.total = data.trainRows();
            this.validationRows = data.validationRows();
            this.validating = validationRows > 0;
        }

        /**
         * Takes the end of the state's current epoch, all of whose steps are made, with the summed validation loss
         * and correct count at its final weights: records it, tells the listener, stops on divergence, and begins
         * the next epoch unless this was the last or early stopping ends training. Returns whether training goes on.
         */
        boolean endEpoch(double validationLoss, long validationCorrect) {
            int epoch = state.epoch();
            steps += state.stepsPerEpoch;
            long v = validationRows;
            SparkEpoch summary = new SparkEpoch(epoch, state.lossSum() / total,
                    config.classification ? (double) state.correct() / total : Double.NaN,
                    validating ? validationLoss / v : Double.NaN,
                    validating && config.classification ? (double) validationCorrect / v : Double.NaN,
                    state.stepsPerEpoch, (System.nanoTime() - epochStart) / 1e9);
            history.add(summary);
            try {
                listener.accept(summary, state.net, state.optimizer);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (Double.isNaN(summary.trainLoss()) || Double.isInfinite(summary.trainLoss())) {
                throw new TrainingDivergedException("training diverged: the mean training loss of epoch " + epoch
                        + " is " + summary.trainLoss() + "; lower the learning rate");
            }
            boolean goOn = epoch < config.settings().epochs();
            if (validating) {
                if (summary.validationLoss() < bestValidationLoss) {
                    bestValidationLoss = summary.validationLoss();
                    bestWeights = SafeTensors.toBytes(state.net.stateDict(), Map.of());
                    epochsWithoutImprovement = 0;
                } else if (++epochsWithoutImprovement >= patience) {
                    goOn = false;
                }
            }
            if (goOn) {
                state.beginEpoch(epoch + 1);
                epochStart = System.nanoTime();
            }
            return goOn;
        }

        Result result() {
            byte[] last = SafeTensors.toBytes(state.net.stateDict(), Map.of());
            return new Result(config.spec(), config.settings(), bestWeights != null ? bestWeights : last,
                    SafeTensors.toBytes(state.optimizer.stateDict(), Map.of()), Collections.unmodifiableList(history),
                    steps);
        }
    }

    /** Spark refuses barrier stages under dynamic allocation (outside local mode). */
    private static boolean dynamicAllocation(JavaSparkContext sc) {
        return !sc.isLocal() && sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false);
    }

    /**
     * Task slots the cluster has now (local[N]: N), busy or not (Spark's own count, from its scheduler's internal
     * API). On a cluster, executors register some time after the SparkContext starts, so before the first epoch
     * it waits up to {@value #STALL_SECONDS} s for enough of them.
     */
    private static int taskSlots(JavaSparkContext sc, int wanted, boolean waitForExecutors) {
        org.apache.spark.SparkContext context = sc.sc();
        long deadline = System.nanoTime() + (waitForExecutors && !sc.isLocal() ? STALL_SECONDS * 1_000_000_000L : 0);
        while (true) {
            int slots = context.maxNumConcurrentTasks(context.resourceProfileManager().defaultResourceProfile());
            if (slots >= wanted || System.nanoTime() >= deadline) {
                return slots;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return slots;
            }
        }
    }

    /**
     * Runs training from the state's position as one barrier stage exchanging through a {@link GradientExchange},
     * taking each epoch's end as the tasks reach it. Returns true when the stage has trained to the end; false
     * when it made no progress for {@value #STALL_SECONDS} s while the cluster lacks the slots to run it, or for
     * {@value #LONG_STALL_SECONDS} s in any case (the caller then makes the rest of the current epoch with one job
     * per step).
     */
    private static boolean runStage(JavaSparkContext sc, TrainingData data, NetworkConfig config,
                                    TrainingState state, Progress progress, String name) {
        RpcEnv rpc = sc.env().rpcEnv();
        GradientExchange exchange = new GradientExchange(rpc, state);
        RpcEndpointRef endpoint = rpc.setupEndpoint(name, exchange);
        try {
            GradientExchange.StagePlan plan = new GradientExchange.StagePlan(name, config, data.trainCounts,
                    state.stepsPerEpoch);
            ClassTag<Object> tag = ClassTag$.MODULE$.apply(Object.class);
            Function1<scala.collection.Iterator<Block>, scala.collection.Iterator<Object>> body =
                    (Function1<scala.collection.Iterator<Block>, scala.collection.Iterator<Object>> & Serializable)
                            blocks -> {
                                GradientExchange.runEpochs(blocks.next(), plan);
                                return scala.collection.Iterator$.MODULE$.empty();
                            };
            // The barrier stage must be a shuffle map stage: Spark reruns a failed barrier map stage as a whole,
            // but aborts the job when a barrier result stage fails. The shuffle carries no rows.
            // Tagged so that it can be cancelled by tag: cancelling a barrier job by id while Spark waits for its
            // task slots crashes Spark 4.2's scheduler loop (the job is registered but not yet active); by tag,
            // only active jobs are cancelled. A job still waiting for slots is resubmitted by Spark every 15 s
            // and gives up after its own retries; if slots come back first, its tasks find the exchange stopped,
            // fail, and it ends with a logged "job aborted" that does not touch the model.
            sc.addJobTag(name);
            JavaFutureAction<Long> job;
            try {
                job = new JavaRDD<>(data.blocks.rdd().barrier().mapPartitions(body, false, tag), tag).repartition(1)
                        .countAsync();
            } finally {
                sc.removeJobTag(name);
            }
            try {
                return waitForStage(sc, job, exchange, state, progress, name);
            } finally {
                if (!job.isDone()) {       // whatever went wrong on the driver: Spark must not run the stage again
                    exchange.retire();
                    sc.cancelJobsWithTag(name, "perceptron: training stopped on the driver");
                }
            }
        } finally {
            rpc.stop(endpoint);
        }
    }

    /**
     * Waits for the training stage, taking each epoch's end as its tasks report it; gives up on the stage (see
     * runStage) when it makes no progress.
     */
    private static boolean waitForStage(JavaSparkContext sc, JavaFutureAction<Long> job, GradientExchange exchange,
                                        TrainingState state, Progress progress, String name) {
        long lastPosition = -1;
        long lastProgress = System.nanoTime();
        // Set once the driver has told the tasks to stop: training is over, whatever happens to the stage after.
        boolean stopped = false;
        try {
            while (!job.isDone()) {
                GradientExchange.EpochEnd end = exchange.awaitEpochEnd(200);
                if (end != null) {
                    boolean goOn = progress.endEpoch(end.validationLoss(), end.validationCorrect());
                    exchange.decide(end.epoch(), goOn);
                    stopped = !goOn;
                    lastProgress = System.nanoTime();
                    continue;
                }
                if (exchange.failure() != null) {
                    throw exchange.failure();
                }
                // Progress: a step made, or a task's report at an epoch's end (its validation may take a while).
                // Both counts only grow, so their sum changes whenever either does.
                long position = state.epoch() * (state.stepsPerEpoch + 1) + state.step() + exchange.epochReports();
                long idle = System.nanoTime() - lastProgress;
                if (position != lastPosition) {
                    lastPosition = position;
                    lastProgress = System.nanoTime();
                } else if (idle > STALL_SECONDS * 1_000_000_000L) {
                    if (stopped) {         // the tasks were told to stop and have not ended: nothing is left to do
                        return true;
                    }
                    int slots = taskSlots(sc, state.partitions, false);
                    if (slots < state.partitions || idle > LONG_STALL_SECONDS * 1_000_000_000L) {
                        LOG.warn("epoch {}: no step for {} s, {} task slots for {} partitions; the epoch goes on "
                                + "from step {} with one Spark job per step", state.epoch(),
                                idle / 1_000_000_000L, slots, state.partitions, state.step());
                        return false;
                    }
                }
            }
            job.get();
            return true;
        } catch (ExecutionException e) {
            if (exchange.failure() != null) {
                throw exchange.failure();
            }
            if (stopped) {
                LOG.warn("the training stage failed after its last epoch had ended; the model is complete", e);
                return true;
            }
            throw InvalidInputException.unwrap(e.getCause() instanceof Exception cause ? cause : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training epoch " + state.epoch(), e);
        }
    }

    /** One step as one Spark job: the P contributions, in partition order. */
    private static Contribution[] runStep(JavaSparkContext sc, TrainingData data, NetworkConfig config,
                                          TrainingState state, long step) {
        StepPlan plan = new StepPlan(config, state.weights(), state.epoch(), step, data.trainCounts);
        Broadcast<StepPlan> broadcast = sc.broadcast(plan);
        try {
            return data.blocks.map(block -> {
                StepPlan p = broadcast.value();
                return new PartitionReplica(block, p.config(), p.trainCounts(), p.epoch(),
                        org.apache.spark.TaskContext.getPartitionId()).step(p.step(), p.weights());
            }).collect().toArray(new Contribution[0]);
        } catch (Exception e) {
            throw InvalidInputException.unwrap(e);
        } finally {
            broadcast.unpersist(false);
        }
    }

    /** [summed loss, correct] over every partition's validation rows, summed in partition order. */
    private static double[] evaluate(JavaSparkContext sc, TrainingData data, NetworkConfig config,
                                     float[][] weights) {
        Broadcast<float[][]> broadcast = sc.broadcast(weights);
        try {
            double[] sum = new double[2];
            for (double[] r : data.blocks.map(block -> validate(block, config, broadcast.value())).collect()) {
                sum[0] += r[0];
                sum[1] += r[1];
            }
            return sum;
        } finally {
            broadcast.unpersist(false);
        }
    }

    /** What every task of a step needs (broadcast once per step); the weights, one array per parameter. */
    record StepPlan(NetworkConfig config, float[][] weights, int epoch, long step, int[] trainCounts)
            implements Serializable {
    }

    /**
     * [summed loss, correct] over a block's validation rows with the weights {@code weights} (one array per
     * parameter, in parameter order), in eval mode; [0, 0] when the block has none.
     */
    static double[] validate(Block block, NetworkConfig config, float[][] weights) {
        if (block.validationN == 0) {
            return new double[2];
        }
        Layer net = config.spec().build(new SplittableRandom(0), 0);
        List<Tensor> params = net.parameters();
        net.eval();
        int d = block.features;
        double lossSum = 0;
        long correct = 0;
        Workspace workspace = new Workspace();
        ParameterArrays.load(params, weights);
        try (Autograd.Scope noGrad = Autograd.noGrad()) {
            for (int from = 0; from < block.validationN; from += 1024) {
                int to = Math.min(block.validationN, from + 1024);
                try (Workspace.Scope scope = workspace.enter()) {
                    Tensor x = Tensor.wrap(Arrays.copyOfRange(block.validationX, from * d, to * d), to - from, d);
                    Tensor y = Tensor.wrap(Arrays.copyOfRange(block.validationY, from, to), to - from);
                    Tensor out = net.forward(x);
                    lossSum += loss(out, y, config.classification).item();
                    if (config.classification) {
                        correct += Metrics.countCorrect(out, y);
                    }
                }
            }
        }
        return new double[] {lossSum, correct};
    }

    /** Summed loss: cross-entropy of logits against class indices, or squared error of a one-column output. */
    static Tensor loss(Tensor out, Tensor y, boolean classification) {
        return classification ? Loss.crossEntropy(out, y, Reduction.SUM, 0)
                : Loss.mse(out, y.reshape(y.size(), 1), Reduction.SUM);
    }

    static Map<String, Tensor> read(byte[] safetensors) {
        try {
            return SafeTensors.fromBytes(safetensors, "broadcast weights").tensors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
