package perceptron.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import perceptron.loss.Loss;
import perceptron.loss.Reduction;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;
import perceptron.tensor.Workspace;
import perceptron.train.Metrics;

/**
 * A partition's copy of the network for one epoch, on an executor: it turns (step, weights) into the partition's
 * {@link Contribution}. Everything it does is a function of the seed, the epoch, the step and the partition, so
 * the same step computed again (after a lost executor, or by the other exchange) gives the same bits:
 * <ul>
 *   <li>the partition's rows are shuffled with a seed of (seed, epoch, partition), and step s takes the
 *       partition's proportional share of the global positions [batch s, batch (s + 1));</li>
 *   <li>dropout draws the masks of its stream position (epoch - 1) * stepsPerEpoch + s, from a stream seeded by
 *       (seed, partition).</li>
 * </ul>
 */
final class PartitionReplica {
    private final Block block;
    private final boolean classification;
    private final int partition;
    private final int batch;
    private final long stepsPerEpoch;
    private final int epoch;
    private final int count;
    private final long total;
    private final int[] order;
    private final Layer net;
    private final List<Tensor> params;
    /**
     * The step's gradient, reused from step to step. In local mode the driver reads the arrays where they lie; it
     * has done so before it replies, and the next step begins after the reply.
     */
    private final ParameterArrays gradients;
    /** The step's rows and labels, reused while the step's row count stays the same. */
    private float[] xBuffer = new float[0];
    private float[] yBuffer = new float[0];
    /** Reuses the activations' memory from step to step, as the single-JVM Trainer does. */
    private final Workspace workspace = new Workspace();

    PartitionReplica(Block block, NetworkConfig config, int[] trainCounts, int epoch, int partition) {
        this.block = block;
        this.classification = config.classification;
        this.partition = partition;
        this.epoch = epoch;
        long seed = config.settings().seed();
        this.batch = config.settings().batchSize();
        long rows = 0;
        for (int c : trainCounts) {
            rows += c;
        }
        this.total = rows;
        this.count = trainCounts[partition];
        this.stepsPerEpoch = (total + batch - 1) / batch;
        this.order = shuffled(block.n, new SplittableRandom(mix(seed, epoch, 1_000_003L + partition)));
        this.net = config.spec().build(new SplittableRandom(seed), mix(seed, 0x5EED, partition));
        net.train();
        this.params = net.parameters();
        this.gradients = new ParameterArrays(params);
    }

    /**
     * The gradient of this partition's share of global step {@code step}, at the weights {@code weights} (one array
     * per parameter, in parameter order).
     */
    Contribution step(long step, float[][] weights) {
        ParameterArrays.load(params, weights);
        long globalFrom = step * batch;
        long globalTo = Math.min(globalFrom + batch, total);
        int from = (int) share(count, globalFrom, total);
        int to = (int) share(count, globalTo, total);
        if (to == from) {
            return new Contribution(partition, step, gradients.fill(Tensor::zerosLike), 0, 0, 0);
        }
        Map<String, Long> position = new HashMap<>();
        long streamPosition = (epoch - 1) * stepsPerEpoch + step;
        net.randomState().keySet().forEach(name -> position.put(name, streamPosition));
        net.setRandomState(position);
        int d = block.features;
        try (Workspace.Scope scope = workspace.enter()) {
            if (xBuffer.length != (to - from) * d) {
                xBuffer = new float[(to - from) * d];
                yBuffer = new float[to - from];
            }
            Tensor x = Tensor.wrap(gather(block.x, d, order, from, to, xBuffer), to - from, d);
            Tensor y = Tensor.wrap(gather(block.y, 1, order, from, to, yBuffer), to - from);
            for (Tensor p : params) {
                p.zeroGrad();
            }
            Tensor out = net.forward(x);
            Tensor loss = DataParallelTrainer.loss(out, y, classification);
            double lossSum = loss.item();
            long correct = classification ? Metrics.countCorrect(out, y) : 0;
            loss.backward();
            return new Contribution(partition, step, gradients.fill(Tensor::grad), lossSum, correct, to - from);
        }
    }


    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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

    private static float[] gather(float[] data, int width, int[] order, int from, int to, float[] out) {
        for (int i = from; i < to; i++) {
            System.arraycopy(data, order[i] * width, out, (i - from) * width, width);
        }
        return out;
    }
}
