package perceptron.train;

import java.util.List;
import java.util.Locale;

/**
 * Model selection on the validation set: the epoch whose weights a run keeps. Classification runs select the
 * highest validation accuracy, regression runs the lowest validation loss; the earliest epoch wins a tie. The
 * test set never takes part.
 *
 * @param epoch  the selected epoch (from 1)
 * @param metric {@code "val_acc"} or {@code "val_loss"}
 * @param value  its value at that epoch
 */
public record BestEpoch(int epoch, String metric, double value) {

    /** The metric a run selects on, from one epoch's metrics: val_acc if measured, else val_loss. */
    static String metricOf(EpochMetrics m) {
        return Double.isNaN(m.validationAccuracy()) ? "val_loss" : "val_acc";
    }

    /** The value of {@code metric} in {@code m}, signed so that larger is better. */
    static double score(EpochMetrics m, String metric) {
        return metric.equals("val_acc") ? m.validationAccuracy() : -m.validationLoss();
    }

    /**
     * The best epoch of a history measured on a validation set, or null if it has none (a run without
     * {@code --validation}, where the last epoch is kept).
     */
    public static BestEpoch of(List<EpochMetrics> history) {
        BestEpoch best = null;
        for (EpochMetrics m : history) {
            if (!m.hasValidation()) {
                continue;
            }
            String metric = metricOf(m);
            double s = score(m, metric);
            if (best == null || s > score(best, metric)) {
                best = new BestEpoch(m.epoch(), metric, metric.equals("val_acc") ? s : -s);
            }
        }
        return best;
    }

    private static double score(BestEpoch b, String metric) {
        return metric.equals("val_acc") ? b.value : -b.value;
    }

    /** For the run's output: "epoch 7 (best val_acc 0.8512)". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "epoch %d (best %s %.4f)", epoch, metric, value);
    }
}
