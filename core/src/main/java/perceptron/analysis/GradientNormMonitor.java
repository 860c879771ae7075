package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;

/**
 * Gradient flow: the Frobenius norm ||dL/dW||_F of each Linear layer's weight gradient, read after every backward
 * pass (before the optimiser uses it), summarised per epoch. Vanishing gradients show as norms that shrink layer
 * by layer towards the input (sigmoid networks, too-small initialisation); exploding ones as norms that grow.
 *
 * <p>Cost: one pass over each weight gradient per step, no allocation.
 */
public final class GradientNormMonitor implements Callback {
    /**
     * @param epoch    the epoch (from 1)
     * @param layer    dotted module name of the Linear layer
     * @param meanNorm mean over the epoch's steps of ||dL/dW||_F
     * @param maxNorm  largest over the epoch's steps
     * @param lastNorm at the epoch's last step
     * @param steps    steps seen
     */
    public record Row(int epoch, String layer, double meanNorm, double maxNorm, double lastNorm, long steps) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Linear> layers = new ArrayList<>();
    private double[] sum;
    private double[] max;
    private double[] last;
    private long[] steps;

    /** Finds the Linear layers (done by the Trainer at the start). */
    public void attach(Layer model) {
        names.clear();
        layers.clear();
        for (Map.Entry<String, Layer> e : model.namedLayers().entrySet()) {
            if (e.getValue() instanceof Linear linear) {
                names.add(e.getKey());
                layers.add(linear);
            }
        }
        int n = layers.size();
        sum = new double[n];
        max = new double[n];
        last = new double[n];
        steps = new long[n];
    }

    @Override
    public void onTrainStart(Layer model, int firstEpoch, int epochs) {
        attach(model);
    }

    @Override
    public void onEpochStart(int epoch) {
        java.util.Arrays.fill(sum, 0);
        java.util.Arrays.fill(max, 0);
        java.util.Arrays.fill(last, 0);
        java.util.Arrays.fill(steps, 0);
    }

    @Override
    public void afterBackward(Layer model, int epoch, long step) {
        for (int l = 0; l < layers.size(); l++) {
            perceptron.tensor.Tensor g = layers.get(l).weight().grad();
            if (g == null) {
                continue;
            }
            double norm = Math.sqrt(new TensorValues(g).sumOfSquares());
            sum[l] += norm;
            max[l] = Math.max(max[l], norm);
            last[l] = norm;
            steps[l]++;
        }
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics metrics) {
        for (int l = 0; l < layers.size(); l++) {
            if (steps[l] > 0) {
                rows.add(new Row(metrics.epoch(), names.get(l), sum[l] / steps[l], max[l], last[l], steps[l]));
            }
        }
        onEpochStart(metrics.epoch() + 1);
        return false;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Mean gradient norm per epoch (lines) and layer (columns). */
    public String table() {
        return EpochTable.pivot("mean ||dL/dW||_F per step", rows, Row::epoch, Row::layer, Row::meanNorm, "%12.4g");
    }
}
