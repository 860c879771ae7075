package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.tensor.Tensor;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;

/**
 * Dead ReLU units: for each ReLU layer, the fraction of its units whose output was 0 for every training example
 * of the epoch. Such a unit passes no gradient to the weights feeding it (relu'(z) = 0 for z &lt;= 0), so unless
 * other units move its inputs it stays dead: a sign of a too-large learning rate or a bad initialisation.
 *
 * <p>Opt-in: {@code trainer.addCallback(new DeadUnitMonitor())}; after training, {@link #rows()} has one row per
 * epoch and layer. A unit is one element of an example's output (a feature of [N, H]). Forward hooks on the
 * ReLU layers see training-mode passes only; each step costs one pass over the layer's output, no allocation.
 */
public final class DeadUnitMonitor implements Callback {
    /**
     * @param epoch        the epoch (from 1)
     * @param layer        dotted module name, e.g. "2"
     * @param units        units in the layer
     * @param dead         units never active (output &gt; 0) during the epoch
     * @param deadFraction dead / units
     */
    public record Row(int epoch, String layer, int units, int dead, double deadFraction) {
    }

    private final LayerHooks hooks = new LayerHooks();
    private final List<Row> rows = new ArrayList<>();
    private boolean[][] everActive;
    private boolean[] seen;

    /** Watches the ReLU layers of the model (done by the Trainer at the start; call directly to use without one). */
    public void attach(Layer model) {
        hooks.attach(model, m -> m instanceof ReLU, this::observe);
        everActive = new boolean[hooks.size()][];
        seen = new boolean[hooks.size()];
    }

    /** Removes the hooks. */
    public void detach() {
        hooks.close();
    }

    private void observe(int layer, Tensor output) {
        int units = TensorValues.unitsPerExample(output);
        boolean[] active = everActive[layer];
        if (active == null || active.length != units) {
            active = new boolean[units];
            everActive[layer] = active;
        }
        seen[layer] = true;
        TensorValues v = new TensorValues(output);
        for (int i = 0; i < v.size; i++) {
            if (v.get(i) > 0) {
                active[i % units] = true;
            }
        }
    }

    @Override
    public void onTrainStart(Layer model, int firstEpoch, int epochs) {
        attach(model);
    }

    @Override
    public void onEpochStart(int epoch) {
        for (int l = 0; l < hooks.size(); l++) {
            everActive[l] = null;
            seen[l] = false;
        }
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics metrics) {
        hooks.checkFired("DeadUnitMonitor");
        for (int l = 0; l < hooks.size(); l++) {
            if (!seen[l]) {
                continue;
            }
            boolean[] active = everActive[l];
            int dead = 0;
            for (boolean a : active) {
                dead += a ? 0 : 1;
            }
            rows.add(new Row(metrics.epoch(), hooks.name(l), active.length, dead, (double) dead / active.length));
        }
        onEpochStart(metrics.epoch() + 1);
        return false;
    }

    @Override
    public void onTrainEnd(Layer model) {
        detach();
    }

    /** One row per epoch and ReLU layer, in order. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Dead fraction per epoch (lines) and layer (columns). */
    public String table() {
        return EpochTable.pivot("fraction of dead ReLU units (never active in the epoch)", rows, Row::epoch,
                Row::layer, Row::deadFraction, "%12.4f");
    }
}
