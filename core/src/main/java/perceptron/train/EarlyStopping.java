package perceptron.train;

import java.util.Locale;
import perceptron.nn.Layer;

/**
 * Stops training when the validation metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs in a row: validation accuracy for classification (higher is better), validation loss
 * otherwise (lower is better), the metric {@link BestEpoch} selects on. It watches the validation set only: a
 * run without one is refused, because stopping on the test set is model selection on the test set.
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch;
    private String metric;
    private int bad;

    /**
     * @param patience epochs without improvement before stopping, at least 1
     * @param minDelta how much the metric must improve to count (0 for any improvement)
     */
    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("early stopping: patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("early stopping: minDelta must be >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Starts from the best value of epochs already trained (a resumed run), so patience carries over. */
    public EarlyStopping resumeFrom(java.util.List<EpochMetrics> history) {
        for (EpochMetrics m : history) {
            onEpochEnd(null, m);
        }
        return this;
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics m) {
        if (!m.hasValidation()) {
            throw new IllegalStateException("early stopping watches the validation set, and epoch " + m.epoch()
                    + " has none: hold one out (--validation 0.1, or Trainer.fit with a validation loader)");
        }
        metric = BestEpoch.metricOf(m);
        double score = BestEpoch.score(m, metric);
        if (Double.isNaN(best) || score > best + minDelta) {
            best = score;
            bestEpoch = m.epoch();
            bad = 0;
            return false;
        }
        return ++bad >= patience;
    }

    @Override
    public String stopReason() {
        return String.format(Locale.ROOT, "%s has not improved on %.4f (epoch %d) for %d epoch%s", metric.replace('_', ' '),
                metric.equals("val_acc") ? best : -best, bestEpoch, bad, bad == 1 ? "" : "s");
    }
}
