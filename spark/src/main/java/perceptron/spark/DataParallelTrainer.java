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
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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

/**
 * Synchronous data-parallel SGD on Spark: one Spark job per step.
 *
 * <p>The driver holds the network and the optimiser. At every step it broadcasts the weights; each partition's
 * task computes the gradient of the summed loss over its share of the global minibatch; the driver collects the
 * P gradients, adds them in partition order 0, 1, ..., P-1 (not in task completion order, as treeAggregate's
 * final merge would), divides by the global batch size and makes one optimiser step. docs/spark.md has the
 * measurements behind this choice (barrier mode's allGather polls once a second, so it costs ~1 s per step).
 *
 * <p>Determinism: the data are dealt to partitions by row number, each partition shuffles its rows with a seed
 * made of (seed, epoch, partition), dropout masks likewise; so the same seed and partition count give the same
 * model whatever the cluster. Faults: a step's task is a pure function of the broadcast weights and the cached
 * block, so when an executor dies Spark reruns the task (recomputing the block from its lineage) and the step
 * yields the same gradient.
 */
final class DataParallelTrainer {
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
        ModelSpec spec = config.spec();
        TrainingSettings settings = config.settings();
        Layer net = settings.buildModel(spec);
        Optimizer optimizer = settings.optimizerFor(net);
        List<Tensor> params = net.parameters();
        for (Tensor p : params) {
            p.setGrad(Tensor.wrap(new float[p.size()], p.shape()));
        }
        byte[] bestWeights = null;
        double bestValidationLoss = Double.POSITIVE_INFINITY;
        int epochsWithoutImprovement = 0;
        boolean validating = data.validationRows() > 0;
        List<SparkEpoch> history = new ArrayList<>();
        long total = data.trainRows();
        int batch = settings.batchSize();
        long stepsPerEpoch = (total + batch - 1) / batch;
        long steps = 0;
        perceptron.optim.LrSchedule schedule = settings.lrSchedule();
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            for (long s = 0; s < stepsPerEpoch; s++) {
                optimizer.scaleLearningRate(schedule.factor(epoch - 1 + (double) s / stepsPerEpoch));
                StepPlan plan = new StepPlan(config, SafeTensors.toBytes(net.stateDict(), Map.of()), epoch, s,
                        data.trainCounts);
                List<StepResult> results = run(sc, data, plan);
                float[] sum = new float[results.get(0).gradient.length];
                long rows = 0;
                for (StepResult r : results) {       // partition order: collect() keeps it
                    lossSum += r.lossSum;
                    correct += r.correct;
                    rows += r.rows;
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += r.gradient[i];
                    }
                }
                float scale = rows;
                int k = 0;
                for (Tensor p : params) {
                    float[] a = new float[p.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = sum[k++] / scale;
                    }
                    p.setGrad(Tensor.wrap(a, p.shape()));
                }
                optimizer.step();
                steps++;
            }
            byte[] weights = SafeTensors.toBytes(net.stateDict(), Map.of());
            double validationLoss = 0;
            long validationCorrect = 0;
            if (validating) {
                for (double[] r : evaluate(sc, data, config, weights)) {
                    validationLoss += r[0];
                    validationCorrect += (long) r[1];
                }
            }
            long v = data.validationRows();
            SparkEpoch summary = new SparkEpoch(epoch, lossSum / total,
                    config.classification ? (double) correct / total : Double.NaN,
                    validating ? validationLoss / v : Double.NaN,
                    validating && config.classification ? (double) validationCorrect / v : Double.NaN,
                    stepsPerEpoch, (System.nanoTime() - start) / 1e9);
            history.add(summary);
            try {
                listener.accept(summary, net, optimizer);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (Double.isNaN(summary.trainLoss()) || Double.isInfinite(summary.trainLoss())) {
                throw new TrainingDivergedException("training diverged: the mean training loss of epoch " + epoch
                        + " is " + summary.trainLoss() + "; lower the learning rate");
            }
            if (validating) {
                if (summary.validationLoss() < bestValidationLoss) {
                    bestValidationLoss = summary.validationLoss();
                    bestWeights = weights;
                    epochsWithoutImprovement = 0;
                } else if (++epochsWithoutImprovement >= patience) {
                    break;
                }
            }
        }
        byte[] last = SafeTensors.toBytes(net.stateDict(), Map.of());
        return new Result(spec, settings, bestWeights != null ? bestWeights : last,
                SafeTensors.toBytes(optimizer.stateDict(), Map.of()), Collections.unmodifiableList(history), steps);
    }

    private static List<StepResult> run(JavaSparkContext sc, TrainingData data, StepPlan plan) {
        Broadcast<StepPlan> broadcast = sc.broadcast(plan);
        try {
            return data.blocks.map(block -> step(block, broadcast.value())).collect();
        } catch (Exception e) {
            throw InvalidInputException.unwrap(e);
        } finally {
            broadcast.unpersist(false);
        }
    }

    /** [summed loss, correct] of each partition's validation rows. */
    private static List<double[]> evaluate(JavaSparkContext sc, TrainingData data, NetworkConfig config,
                                           byte[] weights) {
        Broadcast<byte[]> broadcast = sc.broadcast(weights);
        try {
            return data.blocks.map(block -> validate(block, config, broadcast.value())).collect();
        } finally {
            broadcast.unpersist(false);
        }
    }

    /** What every task of a step needs (broadcast once per step). */
    record StepPlan(NetworkConfig config, byte[] weights, int epoch, long step, int[] trainCounts)
            implements Serializable {
    }

    /** A partition's summed gradient (the parameters flattened in order), summed loss, correct count, rows. */
    record StepResult(float[] gradient, double lossSum, long correct, long rows) implements Serializable {
    }

    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static StepResult step(Block block, StepPlan plan) {
        int partition = org.apache.spark.TaskContext.getPartitionId();
        NetworkConfig config = plan.config();
        long seed = config.settings().seed();
        Layer net = config.spec().build(new SplittableRandom(seed),
                mix(seed, plan.epoch() * 1_000_000_007L + plan.step(), partition));
        net.loadStateDict(read(plan.weights()));
        net.train();
        List<Tensor> params = net.parameters();
        int size = 0;
        for (Tensor p : params) {
            size += p.size();
        }
        int[] counts = plan.trainCounts();
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        int batch = config.settings().batchSize();
        long globalFrom = plan.step() * batch;
        long globalTo = Math.min(globalFrom + batch, total);
        int from = (int) share(counts[partition], globalFrom, total);
        int to = (int) share(counts[partition], globalTo, total);
        float[] gradient = new float[size];
        if (to == from) {
            return new StepResult(gradient, 0, 0, 0);
        }
        int[] order = shuffled(block.n, new SplittableRandom(mix(seed, plan.epoch(), 1_000_003L + partition)));
        int d = block.features;
        Tensor x = Tensor.wrap(gather(block.x, d, order, from, to), to - from, d);
        Tensor y = Tensor.wrap(gather(block.y, 1, order, from, to), to - from);
        Tensor out = net.forward(x);
        Tensor loss = loss(out, y, config.classification);
        loss.backward();
        int k = 0;
        for (Tensor p : params) {
            System.arraycopy(p.grad().toFloatArray(), 0, gradient, k, p.size());
            k += p.size();
        }
        return new StepResult(gradient, loss.item(), config.classification ? Metrics.countCorrect(out, y) : 0,
                to - from);
    }

    private static double[] validate(Block block, NetworkConfig config, byte[] weights) {
        Layer net = config.spec().build(new SplittableRandom(0), 0);
        net.loadStateDict(read(weights));
        net.eval();
        int d = block.features;
        double lossSum = 0;
        long correct = 0;
        Workspace workspace = new Workspace();
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
    private static Tensor loss(Tensor out, Tensor y, boolean classification) {
        return classification ? Loss.crossEntropy(out, y, Reduction.SUM, 0)
                : Loss.mse(out, y.reshape(y.size(), 1), Reduction.SUM);
    }

    /** How many of a partition's {@code count} rows fall before global position {@code position} of an epoch. */
    static long share(int count, long position, long total) {
        return count * position / total;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static float[] gather(float[] data, int width, int[] order, int from, int to) {
        float[] out = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(data, order[i] * width, out, (i - from) * width, width);
        }
        return out;
    }

    static Map<String, Tensor> read(byte[] safetensors) {
        try {
            return SafeTensors.fromBytes(safetensors, "broadcast weights").tensors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
