package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;

/**
 * Mean and variance of each layer's outputs over an epoch (all examples and units pooled): the quantity Xavier
 * and Kaiming initialisation try to keep constant from layer to layer (d2l 5.4). By default it watches every
 * Linear layer (pre-activations) and every activation layer; pass a predicate to choose others.
 *
 * <p>Accumulated in float64 as (count, mean, sum of squared deviations) per batch, merged across batches with
 * Chan et al.'s formula, so that a large mean does not cancel the variance away as E[x^2] - E[x]^2 would.
 * Training-mode passes only.
 */
public final class ActivationVarianceMonitor implements Callback {
    /**
     * @param epoch    the epoch (from 1)
     * @param layer    dotted module name
     * @param kind     the module's class, e.g. "Linear", "ReLU"
     * @param mean     mean output over the epoch
     * @param variance variance of the outputs over the epoch (population variance)
     * @param values   number of values pooled
     */
    public record Row(int epoch, String layer, String kind, double mean, double variance, long values) {
    }

    private final Predicate<Layer> which;
    private final LayerHooks hooks = new LayerHooks();
    private final List<Row> rows = new ArrayList<>();
    private long[] count;
    private double[] mean;
    private double[] m2;

    /** Watches Linear and activation layers. */
    public ActivationVarianceMonitor() {
        this(LayerHooks::isLinearOrActivation);
    }

    public ActivationVarianceMonitor(Predicate<Layer> which) {
        this.which = which;
    }

    public void attach(Layer model) {
        hooks.attach(model, which, this::observe);
        count = new long[hooks.size()];
        mean = new double[hooks.size()];
        m2 = new double[hooks.size()];
    }

    public void detach() {
        hooks.close();
    }

    private void observe(int layer, Tensor output) {
        TensorValues v = new TensorValues(output);
        int n = v.size;
        if (n == 0) {
            return;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v.get(i);
        }
        double batchMean = s / n;
        double batchM2 = 0;
        for (int i = 0; i < n; i++) {
            double d = v.get(i) - batchMean;
            batchM2 += d * d;
        }
        // Chan et al.'s merge of two (count, mean, M2) summaries.
        long total = count[layer] + n;
        double delta = batchMean - mean[layer];
        mean[layer] += delta * n / total;
        m2[layer] += batchM2 + delta * delta * ((double) count[layer] * n / total);
        count[layer] = total;
    }

    @Override
    public void onTrainStart(Layer model, int firstEpoch, int epochs) {
        attach(model);
    }

    @Override
    public void onEpochStart(int epoch) {
        java.util.Arrays.fill(count, 0);
        java.util.Arrays.fill(mean, 0);
        java.util.Arrays.fill(m2, 0);
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics metrics) {
        hooks.checkFired("ActivationVarianceMonitor");
        for (int l = 0; l < hooks.size(); l++) {
            if (count[l] > 0) {
                rows.add(new Row(metrics.epoch(), hooks.name(l), hooks.module(l).getClass().getSimpleName(), mean[l],
                        m2[l] / count[l], count[l]));
            }
        }
        onEpochStart(metrics.epoch() + 1);
        return false;
    }

    @Override
    public void onTrainEnd(Layer model) {
        detach();
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Variance per epoch (lines) and layer (columns). */
    public String table() {
        return EpochTable.pivot("variance of layer outputs", rows, Row::epoch, Row::layer, Row::variance, "%12.4g");
    }
}
