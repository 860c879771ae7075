package perceptron.spark;

import java.util.List;
import perceptron.nn.Layer;
import perceptron.optim.LrSchedule;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;
import perceptron.train.TrainingSettings;

/**
 * The one authoritative copy of the network and its optimiser, on the driver, and the position of training in
 * the current epoch. Both exchanges ({@link GradientExchange}'s in-stage one and the job-per-step fallback) feed
 * it the P contributions of a step; it adds them in partition order 0, 1, ..., P-1 (never in arrival order),
 * divides by the step's row count and makes one optimiser step. Synchronized: the exchange's RPC thread and the
 * driver's thread both use it, one after the other.
 */
final class TrainingState {
    final Layer net;
    final Optimizer optimizer;
    private final List<Tensor> params;
    private final LrSchedule schedule;
    final int partitions;
    final long stepsPerEpoch;
    /** Per parameter: the mean gradient of the current step, which the optimiser reads (reused every step). */
    private final float[][] means;
    /** The weights as {@link #weights()} gives them. */
    private final ParameterArrays weights;
    private int epoch;
    private long step;
    private double lossSum;
    private long correct;

    TrainingState(TrainingSettings settings, Layer net, int partitions, long stepsPerEpoch) {
        this.net = net;
        this.optimizer = settings.optimizerFor(net);
        this.params = net.parameters();
        this.schedule = settings.lrSchedule();
        this.partitions = partitions;
        this.stepsPerEpoch = stepsPerEpoch;
        this.means = new float[params.size()][];
        for (int i = 0; i < means.length; i++) {
            Tensor p = params.get(i);
            means[i] = new float[p.size()];
            p.setGrad(Tensor.wrap(means[i], p.shape()));
        }
        this.weights = new ParameterArrays(params);
    }

    synchronized void beginEpoch(int epoch) {
        this.epoch = epoch;
        this.step = 0;
        this.lossSum = 0;
        this.correct = 0;
    }

    synchronized int epoch() {
        return epoch;
    }

    /** Steps of the current epoch already made. */
    synchronized long step() {
        return step;
    }

    synchronized double lossSum() {
        return lossSum;
    }

    synchronized long correct() {
        return correct;
    }

    /**
     * The weights now, one array per parameter in parameter order. The arrays are reused: they hold these values
     * until the next step is applied, and every receiver has read them by then (a task loads them before it
     * contributes to the next step, and that step waits for every task; a remote reply or a broadcast is
     * serialised when it is sent). Reusing them spares two allocations of 800 KB per step, which G1 makes
     * "humongous" and pays for with a collection cycle every few steps.
     */
    synchronized float[][] weights() {
        return weights.fill(p -> p);
    }

    /** Makes the current step from its P contributions, indexed by partition. */
    synchronized void apply(Contribution[] byPartition) {
        if (byPartition.length != partitions) {
            throw new IllegalStateException(byPartition.length + " contributions for " + partitions + " partitions");
        }
        for (int p = 0; p < partitions; p++) {        // all checked before anything changes
            Contribution c = byPartition[p];
            String wrong = c == null ? "missing" : c.partition() != p || c.step() != step
                    ? "for partition " + c.partition() + ", step " + c.step() : misfit(c.gradients());
            if (wrong != null) {
                throw new IllegalStateException("contribution " + p + " of step " + step + " of epoch " + epoch
                        + " is " + wrong);
            }
        }
        long rows = 0;
        for (Contribution c : byPartition) {
            lossSum += c.lossSum();
            correct += c.correct();
            rows += c.rows();
        }
        optimizer.scaleLearningRate(schedule.factor(epoch - 1 + (double) step / stepsPerEpoch));
        float[][] parts = new float[partitions][];
        for (int i = 0; i < means.length; i++) {
            for (int p = 0; p < partitions; p++) {
                parts[p] = byPartition[p].gradients()[i];
            }
            mean(parts, rows, means[i]);
        }
        optimizer.step();
        step++;
    }

    /** Why these gradients do not fit the parameters, or null when they do. */
    private String misfit(float[][] gradients) {
        if (gradients.length != params.size()) {
            return gradients.length + " gradients for " + params.size() + " parameters";
        }
        for (int i = 0; i < gradients.length; i++) {
            if (gradients[i].length != params.get(i).size()) {
                return gradients[i].length + " floats for parameter " + i + " of " + params.get(i).size();
            }
        }
        return null;
    }

    /**
     * out[i] = (0f + parts[0][i] + parts[1][i] + ... + parts[P-1][i]) / rows: each element summed from 0f in
     * partition order, whatever order the contributions arrived in, then divided. Starting from 0f makes a -0.0
     * gradient (a replica's 0 + g) and a +0.0 one (a fresh replica's g) sum alike. The loops run along the arrays,
     * so that the JIT vectorises them, and as few of them as the partition count allows (the driver makes this sum
     * while every task waits): one pass for one or two partitions, with the same float operations in the same
     * order as the plain loop.
     */
    static void mean(float[][] parts, long rows, float[] out) {
        float scale = rows;
        int n = out.length;
        float[] first = parts[0];
        if (parts.length == 1) {
            for (int i = 0; i < n; i++) {
                out[i] = (0f + first[i]) / scale;
            }
            return;
        }
        float[] second = parts[1];
        if (parts.length == 2) {
            for (int i = 0; i < n; i++) {
                out[i] = (0f + first[i] + second[i]) / scale;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            out[i] = 0f + first[i] + second[i];
        }
        for (int p = 2; p < parts.length - 1; p++) {
            float[] g = parts[p];
            for (int i = 0; i < n; i++) {
                out[i] += g[i];
            }
        }
        float[] last = parts[parts.length - 1];
        for (int i = 0; i < n; i++) {
            out[i] = (out[i] + last[i]) / scale;
        }
    }
}
