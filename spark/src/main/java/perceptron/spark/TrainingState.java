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
    private final int size;
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
        int n = 0;
        for (Tensor p : params) {
            n += p.size();
        }
        this.size = n;
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

    /** The weights now, flattened in parameter order (a fresh array: receivers may keep it). */
    synchronized float[] weights() {
        float[] w = new float[size];
        int k = 0;
        for (Tensor p : params) {
            System.arraycopy(p.toFloatArray(), 0, w, k, p.size());
            k += p.size();
        }
        return w;
    }

    /** Makes the current step from its P contributions, indexed by partition. */
    synchronized void apply(Contribution[] byPartition) {
        if (byPartition.length != partitions) {
            throw new IllegalStateException(byPartition.length + " contributions for " + partitions + " partitions");
        }
        for (int p = 0; p < partitions; p++) {        // all checked before anything changes
            Contribution c = byPartition[p];
            if (c == null || c.partition() != p || c.step() != step || c.gradient().length != size) {
                throw new IllegalStateException("contribution " + p + " of step " + step + " of epoch " + epoch
                        + " is " + (c == null ? "missing" : "for partition " + c.partition() + ", step " + c.step()
                        + ", " + c.gradient().length + " floats"));
            }
        }
        float[][] gradients = new float[partitions][];
        long rows = 0;
        for (int p = 0; p < partitions; p++) {
            Contribution c = byPartition[p];
            lossSum += c.lossSum();
            correct += c.correct();
            rows += c.rows();
            gradients[p] = c.gradient();
        }
        optimizer.scaleLearningRate(schedule.factor(epoch - 1 + (double) step / stepsPerEpoch));
        float scale = rows;
        int k = 0;
        for (Tensor p : params) {
            int n = p.size();
            // Each element is summed from 0f in partition order, whatever order the contributions arrived in,
            // then divided: the loops run along the arrays so that the JIT vectorises them. Starting from 0f also
            // makes a -0.0 gradient (a replica's 0 + g) and a +0.0 one (a fresh replica's g) sum alike.
            float[] mean = new float[n];
            for (float[] g : gradients) {
                for (int i = 0; i < n; i++) {
                    mean[i] += g[k + i];
                }
            }
            for (int i = 0; i < n; i++) {
                mean[i] /= scale;
            }
            p.setGrad(Tensor.wrap(mean, p.shape()));
            k += n;
        }
        optimizer.step();
        step++;
    }
}
