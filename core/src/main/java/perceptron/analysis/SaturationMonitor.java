package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import perceptron.nn.Layer;
import perceptron.nn.Sigmoid;
import perceptron.nn.Tanh;
import perceptron.tensor.Tensor;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;

/**
 * Saturation of sigmoid and tanh units (d2l 5.4: why sigmoid networks stop learning). An output s of a sigmoid
 * counts as saturated when |s - 1/2| &gt; 0.45 (s &lt; 0.05 or s &gt; 0.95), an output t of tanh when |t| &gt; 0.9.
 * Both thresholds mean the same thing: the derivative there, s (1 - s) &lt; 0.0475 or 1 - t^2 &lt; 0.19, is below
 * 19% of its peak (1/4 and 1), so less than a fifth of the gradient gets through.
 *
 * <p>Per epoch and layer: the fraction of all outputs (examples x units) that were saturated, and the fraction of
 * units saturated on every training example of the epoch ("stuck"). Training-mode passes only; no allocation.
 */
public final class SaturationMonitor implements Callback {
    /** |s - 1/2| above this is a saturated sigmoid output. */
    public static final double SIGMOID_THRESHOLD = 0.45;
    /** |t| above this is a saturated tanh output. */
    public static final double TANH_THRESHOLD = 0.9;

    /**
     * @param epoch              the epoch (from 1)
     * @param layer              dotted module name
     * @param activation         "Sigmoid" or "Tanh"
     * @param saturatedFraction  saturated outputs / all outputs of the layer in the epoch
     * @param stuckFraction      units saturated on every example / units
     */
    public record Row(int epoch, String layer, String activation, double saturatedFraction, double stuckFraction) {
    }

    private final LayerHooks hooks = new LayerHooks();
    private final List<Row> rows = new ArrayList<>();
    private long[] saturated;
    private long[] total;
    private boolean[][] everUnsaturated;

    public void attach(Layer model) {
        hooks.attach(model, m -> m instanceof Sigmoid || m instanceof Tanh, this::observe);
        saturated = new long[hooks.size()];
        total = new long[hooks.size()];
        everUnsaturated = new boolean[hooks.size()][];
    }

    public void detach() {
        hooks.close();
    }

    private void observe(int layer, Tensor output) {
        boolean sigmoid = hooks.module(layer) instanceof Sigmoid;
        double center = sigmoid ? 0.5 : 0.0;
        double threshold = sigmoid ? SIGMOID_THRESHOLD : TANH_THRESHOLD;
        int units = TensorValues.unitsPerExample(output);
        boolean[] free = everUnsaturated[layer];
        if (free == null || free.length != units) {
            free = new boolean[units];
            everUnsaturated[layer] = free;
        }
        TensorValues v = new TensorValues(output);
        long count = 0;
        for (int i = 0; i < v.size; i++) {
            if (Math.abs(v.get(i) - center) > threshold) {
                count++;
            } else {
                free[i % units] = true;
            }
        }
        saturated[layer] += count;
        total[layer] += v.size;
    }

    @Override
    public void onTrainStart(Layer model, int firstEpoch, int epochs) {
        attach(model);
    }

    @Override
    public void onEpochStart(int epoch) {
        for (int l = 0; l < hooks.size(); l++) {
            saturated[l] = 0;
            total[l] = 0;
            everUnsaturated[l] = null;
        }
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics metrics) {
        hooks.checkFired("SaturationMonitor");
        for (int l = 0; l < hooks.size(); l++) {
            if (total[l] == 0) {
                continue;
            }
            int stuck = 0;
            for (boolean f : everUnsaturated[l]) {
                stuck += f ? 0 : 1;
            }
            rows.add(new Row(metrics.epoch(), hooks.name(l), hooks.module(l).getClass().getSimpleName(),
                    (double) saturated[l] / total[l], (double) stuck / everUnsaturated[l].length));
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

    /** Saturated fraction per epoch (lines) and layer (columns). */
    public String table() {
        return EpochTable.pivot("fraction of saturated sigmoid/tanh outputs (|s - 0.5| > 0.45, |tanh| > 0.9)", rows,
                Row::epoch, Row::layer, Row::saturatedFraction, "%12.4f");
    }
}
